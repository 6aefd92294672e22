package ticket_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"opsdesk/internal/errs"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// Sample contents, as their first bytes identify them.
var (
	samplePNG  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
	sampleJPEG = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	samplePDF  = []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")
	sampleZip  = []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")
	sample7z   = []byte("7z\xbc\xaf\x27\x1c\x00\x04")
	sampleOLE  = []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00")
	sampleExe  = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00")
)

func TestFileType(t *testing.T) {
	cases := []struct {
		name, file string
		data       []byte
		want       string // "" when refused
		err        string // message key when refused
	}{
		{"png", "截图.png", samplePNG, "image/png", ""},
		{"jpeg", "photo.JPG", sampleJPEG, "image/jpeg", ""},
		{"pdf", "报告.pdf", samplePDF, "application/pdf", ""},
		{"utf-8 text", "说明.txt", []byte("打印机无法连接\n"), "text/plain; charset=utf-8", ""},
		{"csv", "资产.csv", []byte("编号,名称\n1,打印机\n"), "text/csv; charset=utf-8", ""},
		{"gbk log keeps no charset", "app.log", []byte("\xb4\xf2\xd3\xa1\xbb\xfa error\n"), "text/plain", ""},
		{"docx", "方案.docx", sampleZip, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ""},
		{"xlsx", "a.xlsx", sampleZip, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ""},
		{"zip", "logs.zip", sampleZip, "application/zip", ""},
		{"7z", "logs.7z", sample7z, "application/x-7z-compressed", ""},
		{"doc", "旧文档.doc", sampleOLE, "application/msword", ""},
		{"xls", "old.xls", sampleOLE, "application/vnd.ms-excel", ""},

		{"exe", "setup.exe", sampleExe, "", "err.attachment.unsafe"},
		{"exe named pdf", "invoice.pdf", sampleExe, "", "err.attachment.unsafe"},
		{"double extension", "invoice.pdf.exe", samplePDF, "", "err.attachment.unsafe"},
		{"script", "run.txt", []byte("#!/bin/sh\nrm -rf /\n"), "", "err.attachment.unsafe"},
		{"batch", "fix.bat", []byte("@echo off\n"), "", "err.attachment.unsafe"},
		{"html", "page.html", []byte("<html><script>alert(1)</script></html>"), "", "err.attachment.unsafe"},
		{"html named txt", "notes.txt", []byte("<!DOCTYPE html><p>x"), "", "err.attachment.unsafe"},
		{"svg", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "", "err.attachment.unsafe"},
		{"svg named txt", "logo.txt", []byte(`  <svg onload="alert(1)"/>`), "", "err.attachment.unsafe"},
		{"xml named txt", "a.txt", []byte(`<?xml version="1.0"?><svg/>`), "", "err.attachment.unsafe"},
		{"jar", "tool.jar", sampleZip, "", "err.attachment.unsafe"},
		{"zip with another extension", "tool.apkx", sampleZip, "", "err.attachment.type"},
		{"png named pdf", "scan.pdf", samplePNG, "", "err.attachment.type"},
		{"text without extension", "README", []byte("hello"), "", "err.attachment.type"},
		{"unknown binary", "data.dat", []byte{0, 1, 2, 3, 4, 5}, "", "err.attachment.type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ticket.FileType(tc.file, http.DetectContentType(tc.data), tc.data)
			if tc.err != "" {
				if msg, _ := errs.Info(err); msg != tc.err || errs.KindOf(err) != errs.Invalid {
					t.Fatalf("FileType(%q) = %q, %v; want %s", tc.file, got, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("FileType(%q) = %q, %v; want %q", tc.file, got, err, tc.want)
			}
		})
	}
}

func TestCleanName(t *testing.T) {
	long := strings.Repeat("长", 300) + ".pdf"
	cases := []struct{ in, want string }{
		{"报告.pdf", "报告.pdf"},
		{`C:\Users\张伟\Desktop\截图.png`, "截图.png"},
		{"../../etc/passwd.txt", "passwd.txt"},
		{"a\x00b\r\n.txt", "ab.txt"},
		{"gpj\u202e.exe", "gpj.exe"}, // a right-to-left override hid the real extension
		{`a<b>:"c"|?*.txt`, "a_b___c____.txt"},
		{"trailing.exe. . ", "trailing.exe"},
		{long, strings.Repeat("长", 196) + ".pdf"},
	}
	for _, tc := range cases {
		got, err := ticket.CleanName(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("CleanName(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "   ", "../", "..", "\x01\x02"} {
		if _, err := ticket.CleanName(bad); errs.KindOf(err) != errs.Invalid {
			t.Errorf("CleanName(%q): %v, want invalid", bad, err)
		}
	}
}

func TestDisposition(t *testing.T) {
	a := &ticket.Attachment{Name: `打印机 "日志".txt`}
	// The ASCII fallback replaces every non-ASCII rune and the quotes by an underscore.
	want := `attachment; filename="___ ____.txt"; filename*=UTF-8''%E6%89%93%E5%8D%B0%E6%9C%BA%20%22%E6%97%A5%E5%BF%97%22.txt`
	if got := a.Disposition(); got != want {
		t.Errorf("Disposition() =\n%s\nwant\n%s", got, want)
	}
}

func TestAttachments(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		d.s.Files, d.s.MaxAttachment, d.s.Sniff = store.Tickets{DB: db}, 1<<10, http.DetectContentType
		tk := d.open(t, "requester", "打印机卡纸")

		content := []byte("打印机日志：卡纸 E-03\n")
		att, err := d.s.Attach(d.as("requester"), tk.ID, ticket.Upload{Name: "打印机日志.txt", Body: bytes.NewReader(content)})
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(content)
		if att.Name != "打印机日志.txt" || att.Size != int64(len(content)) || att.SHA256 != hex.EncodeToString(sum[:]) ||
			att.ContentType != "text/plain; charset=utf-8" || att.Internal {
			t.Fatalf("attached %+v", att)
		}
		got, data, err := d.s.OpenAttachment(d.as("agent"), tk.ID, att.ID)
		if err != nil || !bytes.Equal(data, content) || got.Name != att.Name {
			t.Fatalf("agent opens the attachment: %+v %q %v", got, data, err)
		}
		if k := kinds(t, d, tk.ID); k[len(k)-1] != ticket.EvAttached {
			t.Fatalf("history %v lacks attached", k)
		}

		// An internal note's file: staff only.
		note, err := d.s.Comment(d.as("agent"), tk.ID, "内部：疑似硬件故障", true, 0)
		if err != nil {
			t.Fatal(err)
		}
		secret, err := d.s.Attach(d.as("agent"), tk.ID, ticket.Upload{CommentID: note.ID, Name: "诊断.pdf", Body: bytes.NewReader(samplePDF)})
		if err != nil || !secret.Internal {
			t.Fatalf("attach to an internal note: %+v %v", secret, err)
		}
		list, err := d.s.Attachments(d.as("requester"), tk.ID)
		if err != nil || len(list) != 1 || list[0].ID != att.ID {
			t.Fatalf("requester lists %v, %v; want only the public file", list, err)
		}
		if list, _ := d.s.Attachments(d.as("agent"), tk.ID); len(list) != 2 {
			t.Fatalf("agent lists %d files, want 2", len(list))
		}
		if _, _, err := d.s.OpenAttachment(d.as("requester"), tk.ID, secret.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("requester opens an internal note's file: %v", err)
		}
		evs, _ := d.s.Events(d.as("requester"), tk.ID)
		for _, e := range evs {
			if strings.Contains(e.Reason, "诊断") {
				t.Fatalf("history tells the requester an internal file's name: %+v", e)
			}
		}

		// Strangers and wrong ids see nothing.
		if _, _, err := d.s.OpenAttachment(d.as("other"), tk.ID, att.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("another requester opens the file: %v", err)
		}
		if _, err := d.s.Attach(d.as("other"), tk.ID, ticket.Upload{Name: "x.txt", Body: strings.NewReader("x")}); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("another requester attaches: %v", err)
		}
		other := d.open(t, "other", "别人的工单")
		if _, _, err := d.s.OpenAttachment(d.as("other"), other.ID, att.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("a file opened through another ticket: %v", err)
		}
		// A file goes with one's own comment only.
		if _, err := d.s.Attach(d.as("requester"), tk.ID, ticket.Upload{CommentID: note.ID, Name: "x.txt", Body: strings.NewReader("x")}); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("requester attaches to the agent's note: %v", err)
		}

		// Refusals store nothing.
		big := bytes.Repeat([]byte("a"), 1<<10+1)
		_, err = d.s.Attach(d.as("requester"), tk.ID, ticket.Upload{Name: "big.txt", Body: bytes.NewReader(big)})
		if !ticket.IsTooLarge(err) || errs.KindOf(err) != errs.Invalid {
			t.Fatalf("over-size: %v", err)
		}
		for name, data := range map[string][]byte{"setup.exe": sampleExe, "a.html": []byte("<html>"), "a.svg": []byte("<svg/>"), "empty.txt": nil} {
			if _, err := d.s.Attach(d.as("requester"), tk.ID, ticket.Upload{Name: name, Body: bytes.NewReader(data)}); errs.KindOf(err) != errs.Invalid {
				t.Fatalf("%s accepted: %v", name, err)
			}
		}
		if list, _ := d.s.Attachments(d.as("agent"), tk.ID); len(list) != 2 {
			t.Fatalf("refused uploads were stored: %d files", len(list))
		}
	})
}
