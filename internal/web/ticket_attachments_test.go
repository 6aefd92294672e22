package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/iam"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// upload posts a file through an attachments form, as a browser sends it.
func (c *client) upload(path, name string, content []byte) response {
	c.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	f, err := w.CreateFormFile("file", name)
	if err != nil {
		c.t.Fatal(err)
	}
	f.Write(content)
	w.Close()
	return c.do(http.MethodPost, path, &b, "Content-Type", w.FormDataContentType())
}

func TestTicketAttachmentsUI(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) { testTicketAttachmentsUI(t, apptest.New(t, engine)) })
	}
}

func testTicketAttachmentsUI(t *testing.T, env *apptest.Env) {
	requester := login(t, env, env.Users[iam.RoleUser], apptest.Password)
	agent := login(t, env, env.Users[iam.RoleAgent], apptest.Password)
	vendor := login(t, env, env.Users[iam.RoleVendor], apptest.Password)
	id, mine := submit(t, requester, "打印机卡纸")
	staffPage := "/tickets/" + strconv.FormatInt(id, 10)

	// The requester attaches a log with a Chinese name in the portal.
	log := []byte("打印机日志：卡纸 E-03\n")
	wantLocation(t, "portal upload", requester.upload(mine+"/attachments", "打印机日志.txt", log), mine)
	d := requester.get(mine).doc(t)
	link := d.Find(`#attachments a[href^="` + mine + `/attachments/"]`)
	if link.Length() != 1 || link.Text() != "打印机日志.txt" || !strings.Contains(d.Find("#attachments li").Text(), " B") {
		t.Fatalf("portal list: %q", d.Find("#attachments").Text())
	}
	href, _ := link.Attr("href")
	dl := requester.get(href)
	wantStatus(t, "portal download", dl, http.StatusOK)
	if dl.body != string(log) || dl.header.Get("Content-Type") != "text/plain; charset=utf-8" ||
		!strings.HasPrefix(dl.header.Get("Content-Disposition"), "attachment;") ||
		!strings.Contains(dl.header.Get("Content-Disposition"), "filename*=UTF-8''%E6%89%93%E5%8D%B0%E6%9C%BA%E6%97%A5%E5%BF%97.txt") ||
		dl.header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(dl.header.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("portal download: %q %v", dl.body, dl.header)
	}
	aid := strings.TrimPrefix(href, mine+"/attachments/")

	// The agent sees it on the ticket page, downloads it, and attaches a file of their own.
	wantText(t, "staff page", agent.get(staffPage), "打印机日志.txt")
	wantStatus(t, "staff download", agent.get(staffPage+"/attachments/"+aid), http.StatusOK)
	wantLocation(t, "staff upload", agent.upload(staffPage+"/attachments", "现场照片.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")), staffPage)
	wantText(t, "portal sees the agent's file", requester.get(mine), "现场照片.png")

	// A file on an internal note stays with the staff.
	ctx := staffCtx(t, env, iam.RoleAgent)
	note, err := env.App.Tickets.Comment(ctx, id, "内部：疑似硬件故障", true, 0)
	if err != nil {
		t.Fatal(err)
	}
	secret, err := env.App.Tickets.Attach(ctx, id, ticket.Upload{CommentID: note.ID, Name: "内部诊断.pdf", Body: strings.NewReader("%PDF-1.7\n")})
	if err != nil {
		t.Fatal(err)
	}
	sid := strconv.FormatInt(secret.ID, 10)
	if p := requester.get(mine); strings.Contains(p.body, "内部诊断") {
		t.Error("the portal lists an internal note's file")
	}
	wantStatus(t, "requester opens the internal file", requester.get(mine+"/attachments/"+sid), http.StatusNotFound)
	wantText(t, "staff page lists the internal file", agent.get(staffPage), "内部诊断.pdf")
	wantStatus(t, "agent opens the internal file", agent.get(staffPage+"/attachments/"+sid), http.StatusOK)

	// Strangers and other people's tickets: nothing.
	wantStatus(t, "vendor download", vendor.get(staffPage+"/attachments/"+aid), http.StatusNotFound)
	otherID, other := submit(t, agent, "坐席自己的工单")
	wantLocation(t, "agent portal upload", agent.upload(other+"/attachments", "a.txt", []byte("x")), other)
	files, err := env.App.Tickets.Attachments(ctx, otherID)
	if err != nil || len(files) != 1 {
		t.Fatalf("agent's files: %v %v", files, err)
	}
	oid := strconv.FormatInt(files[0].ID, 10)
	wantStatus(t, "requester opens another's file", requester.get(other+"/attachments/"+oid), http.StatusNotFound)
	wantStatus(t, "through their own ticket", requester.get(mine+"/attachments/"+oid), http.StatusNotFound)

	// Refusals come back beside the form, and store nothing.
	for _, c := range []struct {
		name    string
		content []byte
		want    string
	}{
		{"setup.exe", []byte("MZ\x90\x00\x03\x00"), "可执行文件"},
		{"page.html", []byte("<html><script>alert(1)</script>"), "HTML"},
		{"logo.svg", []byte(`<svg onload="alert(1)"/>`), "SVG"},
		{"big.txt", bytes.Repeat([]byte("a"), 20<<20+1), "文件过大"},
	} {
		r := requester.upload(mine+"/attachments", c.name, c.content)
		wantStatus(t, "portal "+c.name, r, http.StatusUnprocessableEntity)
		if got := r.doc(t).Find("#attach-form .alert-error").Text(); !strings.Contains(got, c.want) {
			t.Errorf("portal %s: error %q, want %q beside the form", c.name, got, c.want)
		}
	}
	r := agent.upload(staffPage+"/attachments", "run.txt", []byte("#!/bin/sh\n"))
	wantStatus(t, "staff script", r, http.StatusUnprocessableEntity)
	if got := r.doc(t).Find("#attach-form .alert-error").Text(); !strings.Contains(got, "脚本") {
		t.Errorf("staff script: error %q beside the form", got)
	}
	if files, _ := env.App.Tickets.Attachments(ctx, id); len(files) != 3 {
		t.Errorf("%d files after the refusals, want 3", len(files))
	}
}
