package mailin_test

import (
	"bytes"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"opsdesk/internal/mailin"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// TestSMTPListener sends mail with a go-smtp client to NewSMTPServer on loopback: a new mail, a
// bounce with the null envelope sender, a malformed message kept byte for byte, and one over the
// size limit answered 552 and recorded as rejected.
func TestSMTPListener(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		mb := e.addMailbox(nil)
		srv := mailin.NewSMTPServer(e.svc, "127.0.0.1:0", mb.ID, 16<<10)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go srv.Serve(ln)
		t.Cleanup(func() { srv.Close() })
		// A relay inside the network: plain SMTP without authentication, as the listener expects.
		send := func(from string, raw []byte) error {
			c, err := smtp.Dial(ln.Addr().String())
			if err != nil {
				return err
			}
			defer c.Close()
			if err := c.SendMail(from, []string{"servicedesk@corp.cn"}, bytes.NewReader(raw)); err != nil {
				return err
			}
			return c.Quit()
		}

		if err := send("zhang.san@corp.cn", msg("张三 <zhang.san@corp.cn>", "邮件服务器转来的", "内网转发")); err != nil {
			t.Fatal(err)
		}
		m := e.last()
		if tk := e.ticket(m.TicketID); m.Outcome != mailin.OutTicket || tk.RequesterID != e.users["zhang"].ID || tk.Description != "内网转发" {
			t.Fatalf("mail %+v", m)
		}

		if err := send("", msg("someone@partner.com", "Returned mail", "user unknown")); err != nil {
			t.Fatal(err)
		}
		if m := e.last(); m.Outcome != mailin.OutBounce || !strings.Contains(m.Reason, "Return-Path") {
			t.Fatalf("null sender %+v", m)
		}

		malformed := "this line is no header\r\nnor this one\r\n\r\nbody\r\n"
		if err := send("x@partner.com", []byte(malformed)); err != nil {
			t.Fatal(err)
		}
		m = e.last()
		raw, _ := e.svc.Raw(e.admin(), m.ID)
		if m.Outcome != mailin.OutHeld || !strings.Contains(m.Reason, "unparseable") || !strings.HasSuffix(string(raw), malformed) {
			t.Fatalf("malformed mail %+v kept as %q", m, raw)
		}

		err = send("zhang.san@corp.cn", msg("zhang.san@corp.cn", "巨大的附件", strings.Repeat("0123456789abcdef\n", 2000)))
		var se *smtp.SMTPError
		if !errors.As(err, &se) || se.Code != 552 {
			t.Fatalf("an oversized mail was answered %v", err)
		}
		if m := e.last(); m.Outcome != mailin.OutRejected || !strings.Contains(m.Reason, "too large") || m.Subject != "巨大的附件" {
			t.Fatalf("oversized mail %+v", m)
		}
		if n := e.ticketCount(); n != 1 {
			t.Fatalf("%d tickets", n)
		}
	})
}
