package mailin_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/emersion/go-message/mail"
	"golang.org/x/text/encoding"
)

// seq numbers the fixtures' Message-IDs, so that every message is new unless a test says otherwise.
var seq atomic.Int64

// letter is a message under construction: a header and a text/plain UTF-8 body unless tweaked.
type letter struct {
	header [][2]string
	body   []byte
}

// msg builds a message from a sender to the desk; tweaks change it.
func msg(from, subject, body string, tweaks ...func(*letter)) []byte {
	l := &letter{body: []byte(body)}
	l.set("From", from)
	l.set("To", "服务台 <servicedesk@corp.cn>")
	l.set("Subject", mime.BEncoding.Encode("utf-8", subject))
	l.set("Date", "Mon, 23 Nov 2026 09:00:00 +0800")
	l.set("Message-ID", fmt.Sprintf("<m%d.%s>", seq.Add(1), "test@mail.example"))
	l.set("MIME-Version", "1.0")
	l.set("Content-Type", "text/plain; charset=utf-8")
	l.set("Content-Transfer-Encoding", "8bit")
	for _, tw := range tweaks {
		tw(l)
	}
	var b bytes.Buffer
	for _, h := range l.header {
		if h[1] != "" {
			b.WriteString(h[0] + ": " + h[1] + "\r\n")
		}
	}
	b.WriteString("\r\n")
	b.Write(bytes.ReplaceAll(bytes.ReplaceAll(l.body, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n")))
	return b.Bytes()
}

// set replaces a header field, or adds it; an empty value drops it.
func (l *letter) set(k, v string) {
	for i := range l.header {
		if strings.EqualFold(l.header[i][0], k) {
			l.header[i][1] = v
			return
		}
	}
	l.header = append(l.header, [2]string{k, v})
}

func header(k, v string) func(*letter) { return func(l *letter) { l.set(k, v) } }

func messageID(id string) func(*letter) { return header("Message-ID", id) }

// rawSubject puts the subject as given (already encoded, or raw 8-bit).
func rawSubject(s string) func(*letter) { return header("Subject", s) }

// encodedBody writes the body in a legacy charset, base64 transfer-encoded.
func encodedBody(charset string, enc encoding.Encoding, text string) func(*letter) {
	return func(l *letter) {
		b, err := enc.NewEncoder().Bytes([]byte(text))
		if err != nil {
			panic(err)
		}
		l.set("Content-Type", "text/plain; charset="+charset)
		l.set("Content-Transfer-Encoding", "base64")
		l.body = []byte(base64.StdEncoding.EncodeToString(b))
	}
}

// encodedWord encodes text in a legacy charset as one RFC 2047 B-word.
func encodedWord(charset string, enc encoding.Encoding, text string) string {
	b, err := enc.NewEncoder().Bytes([]byte(text))
	if err != nil {
		panic(err)
	}
	return "=?" + charset + "?B?" + base64.StdEncoding.EncodeToString(b) + "?="
}

// file is an attachment of a multipart fixture.
type file struct {
	name, ctype string
	data        []byte
}

// withFiles makes the message multipart/mixed: its text, then the files, written by go-message.
func withFiles(t testing.TB, text string, files ...file) func(*letter) {
	return func(l *letter) {
		var b bytes.Buffer
		var h mail.Header
		h.SetContentType("multipart/mixed", map[string]string{"boundary": "b-" + fmt.Sprint(seq.Add(1))})
		w, err := mail.CreateWriter(&b, h)
		if err != nil {
			t.Fatal(err)
		}
		var th mail.InlineHeader
		th.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
		tw, err := w.CreateSingleInline(th)
		if err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(text))
		tw.Close()
		for _, f := range files {
			var ah mail.AttachmentHeader
			ah.SetContentType(f.ctype, nil)
			ah.SetFilename(f.name)
			aw, err := w.CreateAttachment(ah)
			if err != nil {
				t.Fatal(err)
			}
			aw.Write(f.data)
			aw.Close()
		}
		w.Close()
		head, body, _ := bytes.Cut(b.Bytes(), []byte("\r\n\r\n"))
		unfolded := strings.ReplaceAll(strings.ReplaceAll(string(head), "\r\n ", " "), "\r\n\t", " ")
		for _, line := range strings.Split(unfolded, "\r\n") {
			if k, v, ok := strings.Cut(line, ": "); ok {
				l.set(k, v)
			}
		}
		l.set("Content-Transfer-Encoding", "")
		l.body = body
	}
}

// dsn is a delivery status notification (RFC 3464) from the mail system.
func dsn(original string) []byte {
	body := "--dsn\r\nContent-Type: text/plain\r\n\r\nDelivery to the following recipient failed permanently.\r\n" +
		"--dsn\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.corp.cn\r\n\r\n" +
		"Final-Recipient: rfc822; nobody@corp.cn\r\nAction: failed\r\nStatus: 5.1.1\r\n" +
		"--dsn\r\nContent-Type: message/rfc822\r\n\r\n" + original + "\r\n--dsn--\r\n"
	return msg("Mail Delivery System <MAILER-DAEMON@mx.corp.cn>", "Undelivered Mail Returned to Sender", body,
		header("Content-Type", `multipart/report; report-type=delivery-status; boundary="dsn"`),
		header("Content-Transfer-Encoding", ""))
}

// pngData is a valid 1×1 PNG.
var pngData = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
