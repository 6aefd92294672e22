package webhook

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"opsdesk/internal/notify"
)

// weComDoc is the group-robot markdown message as WeCom documents it.
type weComDoc struct {
	MsgType  string `json:"msgtype"`
	Markdown struct {
		Content string `json:"content"`
	} `json:"markdown"`
}

func weComConfig(r *receiver) map[string]string {
	return map[string]string{"url": r.srv.URL + "/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"}
}

func TestWeCom_PostsMarkdown(t *testing.T) {
	r := newReceiver(t, http.StatusOK, `{"errcode":0,"errmsg":"ok"}`)
	m := testMessage()
	if err := send(testDriver(), notify.WeCom, weComConfig(r), m); err != nil {
		t.Fatal(err)
	}
	c := r.one(t)
	if c.method != http.MethodPost || c.path != "/cgi-bin/webhook/send" ||
		c.query.Get("key") != "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa" {
		t.Errorf("request %s %s?%s", c.method, c.path, c.raw)
	}
	if ct := c.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if k := c.header.Get("Idempotency-Key"); k != m.Key {
		t.Errorf("Idempotency-Key = %q, want %q", k, m.Key)
	}
	var doc weComDoc
	strict(t, c.body, &doc)
	want := "### [INC-2026-000123] 打印机无法连接\n\n" + m.Text + "\n\n[查看工单](https://desk.example.com/tickets/123)"
	if doc.MsgType != "markdown" || doc.Markdown.Content != want {
		t.Errorf("msgtype %q content\n%q\nwant\n%q", doc.MsgType, doc.Markdown.Content, want)
	}
}

func TestWeCom_TruncatesToLimitOnRuneBoundary(t *testing.T) {
	r := newReceiver(t, http.StatusOK, `{"errcode":0,"errmsg":"ok"}`)
	// Shifting the text by 0–3 ASCII bytes puts the cut inside 3- and 4-byte runes in turn.
	for shift := range 4 {
		m := testMessage()
		m.Text = strings.Repeat("a", shift) + strings.Repeat("工单描述很长😀", 1000)
		if err := send(testDriver(), notify.WeCom, weComConfig(r), m); err != nil {
			t.Fatal(err)
		}
		var doc weComDoc
		strict(t, r.one(t).body, &doc)
		got := doc.Markdown.Content
		if len(got) > 4096 || len(got) < 4096-4 {
			t.Errorf("shift %d: content is %d bytes, want just under 4096", shift, len(got))
		}
		if !utf8.ValidString(got) || strings.ContainsRune(got, utf8.RuneError) {
			t.Errorf("shift %d: content is not clean UTF-8", shift)
		}
		if !strings.HasPrefix(got, "### [INC-2026-000123]") ||
			!strings.HasSuffix(got, "…\n\n[查看工单](https://desk.example.com/tickets/123)") {
			t.Errorf("shift %d: title or link lost: %q … %q", shift, got[:40], got[len(got)-80:])
		}
	}
}

func TestWeCom_Failures(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		reply     string
		permanent bool
	}{
		{"rate limited", 200, `{"errcode":45009,"errmsg":"api freq out of limit"}`, false},
		{"system busy", 200, `{"errcode":-1,"errmsg":"system busy"}`, false},
		{"invalid webhook", 200, `{"errcode":93000,"errmsg":"invalid webhook url"}`, true},
		{"server error", 500, `oops`, false},
		{"bad gateway page", 200, `<html>502 Bad Gateway</html>`, false},
		{"no errcode", 200, `{}`, false},
		{"not found", 404, `{}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newReceiver(t, tc.status, tc.reply)
			err := send(testDriver(), notify.WeCom, weComConfig(r), testMessage())
			checkErr(t, err, tc.permanent)
			r.one(t)
		})
	}
}

// A response that never ends is read only up to the limit, and the attempt fails fast.
func TestWeCom_ResponseSizeIsLimited(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.WriteString(w, `{"errcode":0,"errmsg":"`)
		chunk := strings.Repeat("a", 32<<10)
		for req.Context().Err() == nil {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	err := send(testDriver(), notify.WeCom, map[string]string{"url": srv.URL}, testMessage())
	checkErr(t, err, false)
	if !strings.Contains(err.Error(), "unexpected response") {
		t.Errorf("err = %v, want the truncated answer refused", err)
	}
}

func TestDriver_CommonFailures(t *testing.T) {
	kinds := []notify.Kind{notify.WeCom, notify.DingTalk, notify.Feishu, notify.Webhook}
	for _, kind := range kinds {
		t.Run(string(kind), func(t *testing.T) {
			m := testMessage()
			m.Payload = `{"event":"ticket.assigned"}`
			// Unreachable: retried, and the token in the URL stays out of the error text.
			err := send(testDriver(), kind, map[string]string{"url": closedURL(t) + "/hook/T0KEN?key=S3CRET", "secret": "x"}, m)
			checkErr(t, err, false)
			if strings.Contains(err.Error(), "S3CRET") || strings.Contains(err.Error(), "T0KEN") {
				t.Errorf("error reveals the URL's token: %v", err)
			}
			for _, bad := range []string{"", "ftp://example.com/x", "http://", "::"} {
				checkErr(t, send(testDriver(), kind, map[string]string{"url": bad}, m), true)
			}
		})
	}
	checkErr(t, send(testDriver(), notify.Email, map[string]string{"url": "http://127.0.0.1/"}, testMessage()), true)
}

func TestDriver_TimeoutIsRetried(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		select { // hold the request until the client gives up or the test ends
		case <-req.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	d := testDriver()
	d.Timeout = 50 * time.Millisecond // the client's own deadline, not a timed assertion
	checkErr(t, send(d, notify.WeCom, map[string]string{"url": srv.URL}, testMessage()), false)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := d.Send(ctx, &notify.Channel{Kind: notify.WeCom, Config: map[string]string{"url": srv.URL}}, testMessage())
	checkErr(t, err, false)
}
