package api_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"opsdesk/internal/actor"
	"opsdesk/internal/mailin"
)

// TestMailboxesAndMail: the system administrator configures mailboxes (never seeing a password
// again), reviews received mail, downloads the original, and turns a held mail into a ticket or
// discards it; nobody else may.
func TestMailboxesAndMail(t *testing.T) {
	engines(t, func(r *run) {
		r.scenarios([]scenario{
			{Name: "denied", Method: "GET", Path: "/mailboxes", Role: "agent", Status: 403},
			{Name: "no password", Method: "POST", Path: "/mailboxes", Role: "sysadmin", Status: 422,
				Body: `{"name":"服务台","host":"imap.corp.cn","port":993,"tls":"tls","username":"servicedesk","address":"servicedesk@corp.cn"}`,
				Want: []string{`"password":`}},
			{Name: "bad host and address", Method: "POST", Path: "/mailboxes", Role: "sysadmin", Status: 422,
				Body: `{"name":"服务台","host":"imap corp","port":993,"tls":"tls","username":"u","password":"p","address":"not-an-address"}`,
				Want: []string{`"host":`, `"address":`}},
			{Name: "bad tls", Method: "POST", Path: "/mailboxes", Role: "sysadmin", Status: 400,
				Body: `{"name":"服务台","host":"imap.corp.cn","port":993,"tls":"ssl","username":"u","password":"p","address":"a@corp.cn"}`},
			{Name: "create", Method: "POST", Path: "/mailboxes", Role: "sysadmin", Status: 201, Capture: "mb",
				Body:    `{"name":"服务台","host":"imap.corp.cn","port":993,"tls":"tls","username":"servicedesk","password":"imap-s3cret","address":"servicedesk@corp.cn"}`,
				Want:    []string{`"password":"********"`, `"folder":"INBOX"`, `"poll_seconds":60`, `"last_polled_at":null`},
				NotWant: []string{"imap-s3cret"}},
			{Name: "get", Method: "GET", Path: "/mailboxes/{{mb}}", Role: "sysadmin", Status: 200, NotWant: []string{"imap-s3cret"}},
			{Name: "update keeps the password", Method: "PUT", Path: "/mailboxes/{{mb}}", Role: "sysadmin", Status: 200,
				Header: map[string]string{"If-Match": `"{{mb.version}}"`},
				Body:   `{"name":"服务台邮箱","host":"imap.corp.cn","port":993,"tls":"tls","username":"servicedesk","password":"********","address":"servicedesk@corp.cn","poll_seconds":120}`,
				Want:   []string{`"name":"服务台邮箱"`, `"poll_seconds":120`, `"password":"********"`}},
			{Name: "update stale", Method: "PUT", Path: "/mailboxes/{{mb}}", Role: "sysadmin", Status: 409,
				Body: `{"name":"x","host":"imap.corp.cn","port":993,"tls":"tls","username":"u","address":"a@corp.cn","version":{{mb.version}}}`},
			{Name: "list", Method: "GET", Path: "/mailboxes", Role: "sysadmin", Status: 200, Want: []string{`"name":"服务台邮箱"`}},
		})
		ctx := context.Background()
		if mb, err := r.env.App.Mail.Store.Mailbox(ctx, mustID(t, r.vars["mb"])); err != nil || mb.Password != "imap-s3cret" {
			t.Fatalf("the password was not kept: %v", err)
		}
		job := actor.NewContext(ctx, actor.System(actor.SourceJob))
		first, err := r.env.App.Mail.Deliver(job, mustID(t, r.vars["mb"]), []byte(rawMail("li.lei@partner.cn", "打印机卡纸", "<a1@partner.cn>")))
		if err != nil || first.Outcome != mailin.OutTicket {
			t.Fatalf("a new mail: %+v %v", first, err)
		}
		tk, err := r.env.App.Tickets.Store.Get(ctx, first.TicketID)
		if err != nil {
			t.Fatal(err)
		}
		forged, err := r.env.App.Mail.Deliver(job, mustID(t, r.vars["mb"]),
			[]byte(rawMail("mallory@elsewhere.cn", "Re: ["+tk.Number+"] 打印机卡纸", "<a2@elsewhere.cn>")))
		if err != nil || forged.Outcome != mailin.OutHeld {
			t.Fatalf("a forged reply: %+v %v", forged, err)
		}
		r.vars["first"], r.vars["held"] = strconv.FormatInt(first.ID, 10), strconv.FormatInt(forged.ID, 10)
		r.scenarios([]scenario{
			{Name: "mail denied", Method: "GET", Path: "/mail", Role: "manager", Status: 403},
			{Name: "mail", Method: "GET", Path: "/mail", Role: "sysadmin", Status: 200,
				Want: []string{`"outcome":"ticket"`, `"outcome":"held"`, `"from":"mallory@elsewhere.cn"`}},
			{Name: "held only", Method: "GET", Path: "/mail?outcome=held&mailbox_id={{mb}}", Role: "sysadmin", Status: 200,
				Want: []string{`"id":{{held}}`}, NotWant: []string{`"outcome":"ticket"`}},
			{Name: "bad outcome", Method: "GET", Path: "/mail?outcome=spam", Role: "sysadmin", Status: 400},
			{Name: "discard a mail that is not held", Method: "POST", Path: "/mail/{{first}}/discard", Role: "sysadmin", Status: 409},
			{Name: "release denied", Method: "POST", Path: "/mail/{{held}}/release", Role: "agent", Status: 403},
			{Name: "release", Method: "POST", Path: "/mail/{{held}}/release", Role: "sysadmin", Status: 200,
				Want: []string{`"id":{{held}}`, `"outcome":"ticket"`}},
			{Name: "release again", Method: "POST", Path: "/mail/{{held}}/release", Role: "sysadmin", Status: 409},
			{Name: "raw unknown", Method: "GET", Path: "/mail/999999/raw", Role: "sysadmin", Status: 404},
			{Name: "raw denied", Method: "GET", Path: "/mail/{{first}}/raw", Role: "auditor", Status: 403},
			{Name: "delete", Method: "DELETE", Path: "/mailboxes/{{mb}}", Role: "sysadmin", Status: 204},
			{Name: "records stay", Method: "GET", Path: "/mail", Role: "sysadmin", Status: 200, Want: []string{`"id":{{first}}`}},
		})
		resp, body := r.do(t, http.MethodGet, "/mail/{{first}}/raw", "sysadmin", "", "", nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "message/rfc822" ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") || !strings.Contains(string(body), "Subject: ") {
			t.Errorf("raw: %d %v\n%s", resp.StatusCode, resp.Header, body)
		}
		// A discard of another held mail.
		again, err := r.env.App.Mail.Deliver(job, 0, []byte(rawMail("mallory@elsewhere.cn", "Re: ["+tk.Number+"] again", "<a3@elsewhere.cn>")))
		if err != nil || again.Outcome != mailin.OutHeld {
			t.Fatalf("another forged reply: %+v %v", again, err)
		}
		r.vars["again"] = strconv.FormatInt(again.ID, 10)
		r.scenarios([]scenario{
			{Name: "discard", Method: "POST", Path: "/mail/{{again}}/discard", Role: "sysadmin", Status: 204},
			{Name: "rejected", Method: "GET", Path: "/mail?outcome=rejected", Role: "sysadmin", Status: 200, Want: []string{`"id":{{again}}`}},
		})
	})
}

// rawMail is a minimal plain-text message.
func rawMail(from, subject, id string) string {
	return fmt.Sprintf("From: %s\r\nTo: servicedesk@corp.cn\r\nSubject: %s\r\nMessage-ID: %s\r\nDate: Mon, 04 May 2026 09:00:00 +0800\r\n"+
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n三楼打印机卡纸，麻烦处理。\r\n", from, mimeWord(subject), id)
}

// mimeWord encodes a subject with non-ASCII text as an RFC 2047 word.
func mimeWord(s string) string {
	return "=?utf-8?b?" + b64(s) + "?="
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
