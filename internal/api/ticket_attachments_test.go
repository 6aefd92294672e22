package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// upload builds a multipart body with optional fields (in order) and then the file.
func upload(t testing.TB, name string, content []byte, fields ...string) (string, map[string]string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		w.WriteField(fields[i], fields[i+1])
	}
	f, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(content)
	w.Close()
	return b.String(), map[string]string{"Content-Type": w.FormDataContentType()}
}

// TestTicketAttachments uploads, lists and downloads files over the API, and checks the refusals:
// too large, unsafe types, other people's tickets and internal notes' files.
func TestTicketAttachments(t *testing.T) {
	engines(t, func(r *run) {
		log := []byte("打印机日志：卡纸 E-03\n第二行\n")
		sum := sha256.Sum256(log)
		body, mp := upload(t, "打印机日志.txt", log)
		r.scenarios([]scenario{
			{Name: "requester creates", Method: "POST", Path: "/tickets", Role: "requester", Status: 201, Capture: "t",
				Body: `{"type":"incident","subject":"三楼打印机卡纸","urgency":2,"impact":3}`},
			{Name: "requester attaches", Method: "POST", Path: "/tickets/{{t}}/attachments", Role: "requester", Status: 201,
				Capture: "a", Body: body, Header: mp,
				Want: []string{`"name":"打印机日志.txt"`, `"content_type":"text/plain; charset=utf-8"`, `"internal":false`,
					`"sha256":"` + hex.EncodeToString(sum[:]) + `"`, `"uploader_name":"报障用户测试"`}},
			{Name: "agent lists", Method: "GET", Path: "/tickets/{{t}}/attachments", Role: "agent", Status: 200,
				Want: []string{`"name":"打印机日志.txt"`}},
			{Name: "history has the file", Method: "GET", Path: "/tickets/{{t}}/events", Role: "agent", Status: 200,
				Want: []string{`"kind":"attached"`, `"reason":"打印机日志.txt"`}},
			{Name: "internal note", Method: "POST", Path: "/tickets/{{t}}/comments", Role: "agent", Status: 201, Capture: "note",
				Body: `{"body":"内部：疑似硬件故障","internal":true}`},
		})
		pdf := []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")
		noteBody, noteMP := upload(t, "内部诊断.pdf", pdf, "comment_id", r.vars["note"])
		exeBody, exeMP := upload(t, "setup.exe", []byte("MZ\x90\x00\x03\x00\x00\x00"))
		htmlBody, htmlMP := upload(t, "page.txt", []byte("<!DOCTYPE html><script>alert(1)</script>"))
		svgBody, svgMP := upload(t, "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`))
		bigBody, bigMP := upload(t, "big.txt", bytes.Repeat([]byte("a"), 20<<20+1))
		r.scenarios([]scenario{
			{Name: "agent attaches to the note", Method: "POST", Path: "/tickets/{{t}}/attachments", Role: "agent", Status: 201,
				Capture: "secret", Body: noteBody, Header: noteMP, Want: []string{`"internal":true`, `"comment_id":{{note}}`}},
			{Name: "requester lists no internal file", Method: "GET", Path: "/tickets/{{t}}/attachments", Role: "requester", Status: 200,
				Want: []string{"打印机日志.txt"}, NotWant: []string{"内部诊断"}},
			{Name: "history hides the internal file", Method: "GET", Path: "/tickets/{{t}}/events", Role: "requester", Status: 200,
				NotWant: []string{"内部诊断"}},
			{Name: "requester cannot download it", Method: "GET", Path: "/tickets/{{t}}/attachments/{{secret}}", Role: "requester", Status: 404},
			{Name: "engineer downloads it", Method: "GET", Path: "/tickets/{{t}}/attachments/{{secret}}", Role: "engineer", Status: 200,
				Want: []string{"%PDF-1.7"}},
			{Name: "a stranger sees nothing", Method: "GET", Path: "/tickets/{{t}}/attachments/{{a}}", Role: "vendor", Status: 404},
			{Name: "a stranger lists nothing", Method: "GET", Path: "/tickets/{{t}}/attachments", Role: "vendor", Status: 404},
			{Name: "a stranger cannot attach", Method: "POST", Path: "/tickets/{{t}}/attachments", Role: "vendor", Status: 404,
				Body: body, Header: mp},
			{Name: "no ticket permission", Method: "GET", Path: "/tickets/{{t}}/attachments/{{a}}", Role: "sysadmin", Status: 403},
			{Name: "too large", Method: "POST", Path: "/tickets/{{t}}/attachments", Role: "requester", Status: 413,
				Body: bigBody, Header: bigMP, Want: []string{"文件过大"}},
			{Name: "executable", Method: "POST", Path: "/tickets/{{t}}/attachments", Role: "requester", Status: 422,
				Body: exeBody, Header: exeMP, Want: []string{"可执行文件"}},
			{Name: "html", Method: "POST", Path: "/tickets/{{t}}/attachments", Role: "requester", Status: 422,
				Body: htmlBody, Header: htmlMP, Want: []string{"HTML"}},
			{Name: "svg", Method: "POST", Path: "/tickets/{{t}}/attachments", Role: "requester", Status: 422,
				Body: svgBody, Header: svgMP, Want: []string{"SVG"}},
			{Name: "not multipart", Method: "POST", Path: "/tickets/{{t}}/attachments", Role: "requester", Status: 400,
				Body: `{"file":"x"}`, Want: []string{"multipart/form-data"}},
			{Name: "refusals stored nothing", Method: "GET", Path: "/tickets/{{t}}/attachments", Role: "agent", Status: 200,
				NotWant: []string{"big.txt", "setup.exe", "page.txt", "logo.svg"}},
			{Name: "agent opens own ticket", Method: "POST", Path: "/tickets", Role: "agent", Status: 201, Capture: "t2",
				Body: `{"type":"incident","subject":"坐席自己的工单","urgency":2,"impact":3}`},
			{Name: "agent attaches there", Method: "POST", Path: "/tickets/{{t2}}/attachments", Role: "agent", Status: 201,
				Capture: "a2", Body: body, Header: mp},
			{Name: "requester cannot download another's file", Method: "GET", Path: "/tickets/{{t2}}/attachments/{{a2}}", Role: "requester", Status: 404},
			{Name: "nor through their own ticket", Method: "GET", Path: "/tickets/{{t}}/attachments/{{a2}}", Role: "requester", Status: 404},
		})

		// The download: the bytes, the sniffed type, a UTF-8 file name, and nothing a browser would run.
		resp, data := r.do(t, http.MethodGet, "/tickets/{{t}}/attachments/{{a}}", "requester", "", "", nil)
		if resp.StatusCode != 200 || !bytes.Equal(data, log) {
			t.Fatalf("download: %d %q", resp.StatusCode, data)
		}
		for h, want := range map[string]string{
			"Content-Type":            "text/plain; charset=utf-8",
			"Content-Disposition":     `attachment; filename="_____.txt"; filename*=UTF-8''%E6%89%93%E5%8D%B0%E6%9C%BA%E6%97%A5%E5%BF%97.txt`,
			"X-Content-Type-Options":  "nosniff",
			"Content-Security-Policy": "sandbox; default-src 'none'",
		} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
		var list struct {
			Items []struct {
				Name string `json:"name"`
				Size int64  `json:"size"`
			} `json:"items"`
		}
		r.getJSON(t, "agent", "/tickets/"+r.vars["t"]+"/attachments", &list)
		if len(list.Items) != 2 || list.Items[0].Size != int64(len(log)) {
			out, _ := json.Marshal(list)
			t.Fatalf("list %s", out)
		}
		if strings.Contains(resp.Header.Get("Content-Type"), "html") {
			t.Fatal("served as HTML")
		}
	})
}
