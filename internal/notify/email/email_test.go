package email

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"

	"opsdesk/internal/notify"
)

var testNow = time.Date(2026, 3, 14, 9, 26, 53, 0, time.FixedZone("CST", 8*3600))

func testMessage() *notify.Message {
	return &notify.Message{
		Kind: notify.Email, Event: notify.TicketAssigned, Ref: "INC-2026-000123",
		To:      "张三 <zhangsan@corp.example.com>",
		Subject: "[INC-2026-000123] 打印机无法连接：三楼财务室",
		Text:    "工单 INC-2026-000123 已分派给你。\n请尽快处理。",
		HTML:    "<p>工单 <b>INC-2026-000123</b> 已分派给你。</p>",
		Key:     "n1f3c9a7b2e4d6",
		Link:    "https://desk.example.com/tickets/123",
	}
}

func send(t *testing.T, d *Driver, cfg map[string]string, m *notify.Message) error {
	t.Helper()
	return d.Send(context.Background(), &notify.Channel{Kind: notify.Email, Config: cfg}, m)
}

func permanentErr(err error) bool {
	var pe *notify.PermanentError
	return errors.As(err, &pe)
}

// parsed is what a mail client sees of a received mail.
type parsed struct {
	Subject, MessageID, From, ReplyTo, To string
	AutoSubmitted, Suppress, Key, Ticket  string
	Date                                  time.Time
	MediaType                             string
	Parts                                 map[string]string // content type → decoded body
}

func parse(t *testing.T, raw []byte) parsed {
	t.Helper()
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse mail: %v\n%s", err, raw)
	}
	h := mr.Header
	var p parsed
	if p.Subject, err = h.Subject(); err != nil {
		t.Fatal(err)
	}
	if p.MessageID, err = h.MessageID(); err != nil {
		t.Fatal(err)
	}
	addr := func(key string) string {
		l, err := h.AddressList(key)
		if err != nil || len(l) != 1 {
			t.Fatalf("%s: %v %v", key, l, err)
		}
		return l[0].Name + " <" + l[0].Address + ">"
	}
	p.From, p.To, p.ReplyTo = addr("From"), addr("To"), addr("Reply-To")
	p.AutoSubmitted, p.Suppress = h.Get("Auto-Submitted"), h.Get("X-Auto-Response-Suppress")
	p.Key, p.Ticket = h.Get("X-Opsdesk-Key"), h.Get("X-Opsdesk-Ticket")
	if p.Date, err = h.Date(); err != nil {
		t.Fatal(err)
	}
	p.MediaType, _, _ = h.ContentType()
	p.Parts = map[string]string{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ih, ok := part.Header.(*mail.InlineHeader)
		if !ok {
			t.Fatalf("unexpected attachment part %v", part.Header)
		}
		ct, _, _ := ih.ContentType()
		body, _ := io.ReadAll(part.Body)
		p.Parts[ct] = strings.ReplaceAll(string(body), "\r\n", "\n") // SMTP canonical line ends
	}
	return p
}

func TestSend_STARTTLSWithPlainAuth(t *testing.T) {
	ms := startServer(t, startTLSServer, func(ms *mailServer) {
		ms.user, ms.pass, ms.mechs = "desk", "s3cret", []string{"PLAIN"}
	})
	cfg := ms.config(notify.TLSStart)
	cfg["plus_addressing"] = "true"
	d := &Driver{Timeout: 10 * time.Second, Now: func() time.Time { return testNow }, RootCAs: ms.pool}
	m := testMessage()
	if err := send(t, d, cfg, m); err != nil {
		t.Fatal(err)
	}
	got := ms.received()
	if len(got) != 1 {
		t.Fatalf("received %d mails, want 1", len(got))
	}
	r := got[0]
	if !r.tls || r.user != "desk" || r.from != "desk@ops.example.com" ||
		!cmp.Equal(r.to, []string{"zhangsan@corp.example.com"}) {
		t.Errorf("envelope: tls=%v user=%q from=%q to=%v", r.tls, r.user, r.from, r.to)
	}
	// The raw header must carry the Chinese subject and names as RFC 2047 encoded-words: pure
	// ASCII, so that no relay without SMTPUTF8 mangles it.
	rawHeader := string(r.data[:bytes.Index(r.data, []byte("\r\n\r\n"))])
	unfolded := strings.ReplaceAll(rawHeader, "\r\n ", " ")
	if !strings.Contains(unfolded, "Subject: =?UTF-8?q?[INC-2026-000123]_=E6=89=93") {
		t.Errorf("subject not encoded-word:\n%s", rawHeader)
	}
	for i := range len(rawHeader) {
		if rawHeader[i] >= 0x80 {
			t.Fatalf("raw header has a non-ASCII byte at %d:\n%s", i, rawHeader)
		}
	}
	want := parsed{
		Subject:       m.Subject,
		MessageID:     "n1f3c9a7b2e4d6@ops.example.com",
		From:          "运维服务台 <desk@ops.example.com>",
		To:            "张三 <zhangsan@corp.example.com>",
		ReplyTo:       "运维服务台 INC-2026-000123 <desk+INC-2026-000123@ops.example.com>",
		AutoSubmitted: "auto-generated", Suppress: "All",
		Key: m.Key, Ticket: m.Ref,
		Date:      testNow,
		MediaType: "multipart/alternative",
		Parts:     map[string]string{"text/plain": m.Text, "text/html": m.HTML},
	}
	p := parse(t, r.data)
	if diff := cmp.Diff(want, p, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("mail mismatch (-want +got):\n%s", diff)
	}
}

func TestSend_ImplicitTLSWithLoginAuth(t *testing.T) {
	ms := startServer(t, implicitServer, func(ms *mailServer) {
		ms.user, ms.pass, ms.mechs = "desk", "s3cret", []string{"LOGIN"}
	})
	cfg := ms.config(notify.TLSImplicit)
	cfg["reply_to"] = "helpdesk@ops.example.com"
	d := &Driver{Timeout: 10 * time.Second, RootCAs: ms.pool}
	if err := send(t, d, cfg, testMessage()); err != nil {
		t.Fatal(err)
	}
	got := ms.received()
	if len(got) != 1 || !got[0].tls || got[0].user != "desk" {
		t.Fatalf("received %+v", got)
	}
	// Without plus addressing the number still travels in the display name.
	if p := parse(t, got[0].data); p.ReplyTo != "运维服务台 INC-2026-000123 <helpdesk@ops.example.com>" {
		t.Errorf("Reply-To = %q, want the configured address without a tag, the number in its name", p.ReplyTo)
	}
}

func TestSend_NoTLSRelayWithoutAuth(t *testing.T) {
	ms := startServer(t, plainServer, nil)
	d := &Driver{Timeout: 10 * time.Second}
	m := testMessage()
	m.HTML = "" // a text-only mail is a single part
	if err := send(t, d, ms.config(notify.TLSNone), m); err != nil {
		t.Fatal(err)
	}
	got := ms.received()
	if len(got) != 1 || got[0].tls || got[0].user != "" {
		t.Fatalf("received %+v", got)
	}
	mr, err := mail.CreateReader(bytes.NewReader(got[0].data))
	if err != nil {
		t.Fatal(err)
	}
	if ct, _, _ := mr.Header.ContentType(); ct != "text/plain" {
		t.Errorf("Content-Type = %q, want text/plain", ct)
	}
}

// A server without STARTTLS must not receive the mail in clear when starttls is configured.
func TestSend_STARTTLSIsNeverDowngraded(t *testing.T) {
	ms := startServer(t, plainServer, nil)
	err := send(t, &Driver{Timeout: 10 * time.Second}, ms.config(notify.TLSStart), testMessage())
	if err == nil || permanentErr(err) {
		t.Fatalf("err = %v, want a retryable error", err)
	}
	if n := len(ms.received()); n != 0 {
		t.Fatalf("the server received %d mails in clear", n)
	}
}

func TestSend_Failures(t *testing.T) {
	rcpt := func(code int, enh smtp.EnhancedCode) func(*mailServer) {
		return func(ms *mailServer) { ms.rcptErr = &smtp.SMTPError{Code: code, EnhancedCode: enh, Message: "no"} }
	}
	tests := []struct {
		name      string
		mode      serverMode
		tweak     func(*mailServer)
		cfg       func(ms *mailServer, cfg map[string]string)
		msg       func(m *notify.Message)
		trust     bool   // whether the driver trusts the test server's certificate
		want      string // a fragment of the error, which tells the cause
		permanent bool
	}{
		{name: "unreachable port", want: `connection refused`, cfg: func(_ *mailServer, c map[string]string) { c["port"] = closedPort(t) }},
		{name: "mailbox unknown 550", want: `550`, tweak: rcpt(550, smtp.EnhancedCode{5, 1, 1}), permanent: true},
		{name: "greylisted 451", want: `451`, tweak: rcpt(451, smtp.EnhancedCode{4, 7, 1})},
		{name: "wrong password", want: `535`, mode: startTLSServer, trust: true,
			tweak: func(ms *mailServer) { ms.user, ms.pass = "desk", "s3cret" },
			cfg:   func(_ *mailServer, c map[string]string) { c["password"] = "guess" }, permanent: true},
		{name: "untrusted certificate", want: `certificate signed by unknown authority`, mode: startTLSServer},
		{name: "invalid recipient", want: `recipient`, msg: func(m *notify.Message) { m.To = "not an address" }, permanent: true},
		{name: "key unfit for a Message-ID", want: `Message-ID`, msg: func(m *notify.Message) { m.Key = "a key" }, permanent: true},
		{name: "unknown tls mode", want: `tls "ssl"`, cfg: func(_ *mailServer, c map[string]string) { c["tls"] = "ssl" }, permanent: true},
		{name: "no host", want: `host is empty`, cfg: func(_ *mailServer, c map[string]string) { c["host"] = "" }, permanent: true},
		{name: "bad from", want: `from "desk"`, cfg: func(_ *mailServer, c map[string]string) { c["from"] = "desk" }, permanent: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms := startServer(t, tc.mode, tc.tweak)
			mode := notify.TLSNone
			if tc.mode == startTLSServer {
				mode = notify.TLSStart
			}
			cfg := ms.config(mode)
			if tc.cfg != nil {
				tc.cfg(ms, cfg)
			}
			m := testMessage()
			if tc.msg != nil {
				tc.msg(m)
			}
			d := &Driver{Timeout: 10 * time.Second}
			if tc.trust {
				d.RootCAs = ms.pool
			}
			err := send(t, d, cfg, m)
			if err == nil {
				t.Fatal("Send succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
			if permanentErr(err) != tc.permanent {
				t.Errorf("permanent = %v, want %v: %v", permanentErr(err), tc.permanent, err)
			}
			if n := len(ms.received()); n != 0 {
				t.Errorf("the server received %d mails", n)
			}
		})
	}
}
