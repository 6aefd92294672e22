package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"opsdesk/internal/actor"
	"opsdesk/internal/app/apptest"
	"opsdesk/internal/mailin"
	"opsdesk/internal/notify"
	"opsdesk/internal/store/storetest"
)

// TestNotifyAdmin walks the system administrator's channel, outbox and mailbox pages: the channel
// form is generated from the kind's settings, secrets are never put in a page, a failed test message
// can be retried, and held mail can be opened as a ticket or discarded. Others get 403.
func TestNotifyAdmin(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine)
			t.Run("channels and outbox", func(t *testing.T) { testChannelPages(t, env) })
			t.Run("mailboxes and mail", func(t *testing.T) { testMailboxPages(t, env) })
			t.Run("others", func(t *testing.T) {
				c := login(t, env, "manager", apptest.Password)
				for _, p := range []string{"/admin/channels", "/admin/outbox", "/admin/mailboxes", "/admin/mail"} {
					wantStatus(t, p, c.get(p), http.StatusForbidden)
				}
				if d := c.get("/").doc(t); d.Find(`#main-nav a[href="/admin/channels"]`).Length() != 0 {
					t.Error("the manager sees the notifications admin entry")
				}
			})
		})
	}
}

func testChannelPages(t *testing.T, env *apptest.Env) {
	var fail atomic.Bool
	fail.Store(true)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			http.Error(w, "bad signature", http.StatusForbidden)
		}
	}))
	defer hook.Close()
	c := login(t, env, "admin", apptest.Password)
	if d := c.get("/").doc(t); d.Find(`#main-nav a[href="/admin/channels"]`).Length() != 1 {
		t.Error("no notifications admin entry in the navigation")
	}
	wantText(t, "empty list", c.get("/admin/channels"), "还没有通知渠道")

	r := c.get("/admin/channels/new?kind=webhook")
	wantStatus(t, "new form", r, http.StatusOK)
	d := r.doc(t)
	form := d.Find("#channel-form")
	for _, sel := range []string{`input[name=kind][value=webhook]`, `input[name=url][type=url]`, `input[name=secret][type=password]`,
		`select[name=lang]`, `input[name=events][value="sla.breach"]`, `select[name=group_id]`} {
		if form.Find(sel).Length() != 1 {
			t.Errorf("webhook form lacks %s", sel)
		}
	}
	if d.Find(`a[href="/admin/channels/new?kind=wecom"]`).Length() != 1 {
		t.Error("no kind tabs on the new form")
	}
	if f := c.get("/admin/channels/new?kind=email").doc(t).Find("#channel-form"); f.Find(`select[name=tls]`).Length() != 1 ||
		f.Find(`input[name=password][type=password]`).Length() != 1 || f.Find(`input[name=events]`).Length() != 0 {
		t.Error("e-mail form: tls select, password box and no event subscription expected")
	}

	bad := url.Values{"kind": {"webhook"}, "name": {"监控平台"}, "enabled": {"1"}, "url": {"ftp://x"}, "secret": {"hook-s3cret"}}
	r = c.post("/admin/channels", bad)
	wantStatus(t, "invalid", r, http.StatusUnprocessableEntity)
	if d := r.doc(t); d.Find(".has-error #f-url").Length() != 1 || !strings.Contains(r.body, "地址须以 http:// 或 https:// 开头") {
		t.Errorf("the url error is not next to the field:\n%.3000s", r.body)
	}
	if strings.Contains(r.body, "hook-s3cret") {
		t.Error("a typed secret came back in the page")
	}

	good := url.Values{"kind": {"webhook"}, "name": {"监控平台"}, "enabled": {"1"}, "url": {hook.URL + "/in"},
		"secret": {"hook-s3cret"}, "events": {"sla.breach", "ticket.created"}}
	wantLocation(t, "create", c.post("/admin/channels", good), "/admin/channels")
	ctx := context.Background()
	cs, err := env.App.Notify.Store.Channels(ctx)
	if err != nil || len(cs) != 1 {
		t.Fatalf("channels %v %v", cs, err)
	}
	id := itoa(cs[0].ID)
	list := c.get("/admin/channels")
	wantText(t, "list", list, "监控平台", "Webhook", "已超时", "发送测试")
	edit := c.get("/admin/channels/" + id + "/edit")
	wantText(t, "edit", edit, "已设置")
	if strings.Contains(list.body+edit.body, "hook-s3cret") || strings.Contains(edit.body, notify.Masked) {
		t.Error("the secret reached a page")
	}
	ed := edit.doc(t)
	if ed.Find(`input[name=secret]`).AttrOr("value", "x") != "" || ed.Find(`input[name=events][value="sla.breach"][checked]`).Length() != 1 {
		t.Errorf("edit form state:\n%.3000s", edit.body)
	}
	// Saving with the secret left empty keeps it.
	upd := url.Values{"name": {"监控平台（生产）"}, "enabled": {"1"}, "url": {hook.URL + "/in"}, "secret": {""},
		"version": {ed.Find(`input[name=version]`).AttrOr("value", "")}}
	wantLocation(t, "update", c.post("/admin/channels/"+id, upd), "/admin/channels")
	if ch, _ := env.App.Notify.Store.Channel(ctx, cs[0].ID); ch.Config["secret"] != "hook-s3cret" || ch.Name != "监控平台（生产）" || len(ch.Events) != 0 {
		t.Errorf("after update: %+v", ch)
	}
	wantStatus(t, "stale", c.post("/admin/channels/"+id, upd), http.StatusConflict)

	// 发送测试 → 发件箱 → 发送失败 → 重试 → 已发送.
	wantLocation(t, "test", c.post("/admin/channels/"+id+"/test", nil), "/admin/channels")
	wantText(t, "queued", c.get("/admin/channels"), "测试消息已放入发件箱", "1 条待发送")
	if _, _, err := env.App.Sender.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	r = c.get("/admin/outbox")
	wantText(t, "dead tab chosen", r, "发送失败", "403 Forbidden", "测试消息")
	retry := r.doc(t).Find(`#outbox-table form[action$="/retry"]`)
	if retry.Length() != 1 {
		t.Fatalf("no retry button:\n%.3000s", r.body)
	}
	wantLocation(t, "retry", c.post(retry.AttrOr("action", ""), nil), "/admin/outbox?status=dead")
	fail.Store(false)
	if _, _, err := env.App.Sender.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := env.App.Notify.Store.OutboxCounts(ctx); n[notify.Sent] != 1 || n[notify.Dead] != 0 {
		t.Errorf("after retry: %v", n)
	}
	wantText(t, "sent tab", c.get("/admin/outbox?status=sent"), "已发送", "测试消息")

	wantLocation(t, "delete", c.post("/admin/channels/"+id+"/delete", nil), "/admin/channels")
	wantStatus(t, "gone", c.get("/admin/channels/"+id+"/edit"), http.StatusNotFound)
}

func testMailboxPages(t *testing.T, env *apptest.Env) {
	c := login(t, env, "admin", apptest.Password)
	r := c.get("/admin/mailboxes/new")
	wantStatus(t, "new mailbox", r, http.StatusOK)
	if d := r.doc(t); d.Find(`#f-port`).AttrOr("value", "") != "993" || d.Find(`#f-tls option[selected]`).AttrOr("value", "") != "tls" {
		t.Error("the new form lacks the IMAPS defaults")
	}
	form := url.Values{"name": {"服务台"}, "enabled": {"1"}, "host": {"imap corp"}, "port": {"993"}, "tls": {"tls"},
		"username": {"servicedesk"}, "password": {"imap-s3cret"}, "folder": {"INBOX"}, "address": {"servicedesk@corp.cn"}, "poll_seconds": {"60"}}
	r = c.post("/admin/mailboxes", form)
	wantStatus(t, "bad host", r, http.StatusUnprocessableEntity)
	if r.doc(t).Find(".has-error #f-host").Length() != 1 || strings.Contains(r.body, "imap-s3cret") {
		t.Errorf("bad host form:\n%.2000s", r.body)
	}
	form.Set("host", "imap.corp.cn")
	wantLocation(t, "create", c.post("/admin/mailboxes", form), "/admin/mailboxes")
	ctx := context.Background()
	ms, err := env.App.Mail.Store.Mailboxes(ctx)
	if err != nil || len(ms) != 1 {
		t.Fatalf("mailboxes %v %v", ms, err)
	}
	id := itoa(ms[0].ID)
	list := c.get("/admin/mailboxes")
	wantText(t, "list", list, "服务台", "imap.corp.cn:993", "每 60 秒")
	edit := c.get("/admin/mailboxes/" + id + "/edit")
	wantText(t, "edit", edit, "已设置")
	if strings.Contains(list.body+edit.body, "imap-s3cret") || strings.Contains(edit.body, mailin.Mask) {
		t.Error("the password reached a page")
	}

	// A forged reply is held for review.
	job := actor.NewContext(ctx, actor.System(actor.SourceJob))
	first, err := env.App.Mail.Deliver(job, ms[0].ID, []byte(mailText("li.lei@partner.cn", "Printer jammed", "<w1@partner.cn>")))
	if err != nil || first.Outcome != mailin.OutTicket {
		t.Fatalf("new mail: %+v %v", first, err)
	}
	tk, err := env.App.Tickets.Store.Get(ctx, first.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	held, err := env.App.Mail.Deliver(job, ms[0].ID, []byte(mailText("mallory@elsewhere.cn", "Re: ["+tk.Number+"] Printer", "<w2@elsewhere.cn>")))
	if err != nil || held.Outcome != mailin.OutHeld {
		t.Fatalf("forged reply: %+v %v", held, err)
	}
	r = c.get("/admin/mail?outcome=held")
	wantText(t, "held", r, "mallory@elsewhere.cn", "待处理", "转为工单", "丢弃")
	if strings.Contains(r.body, "li.lei@partner.cn") {
		t.Error("the outcome filter let another mail through")
	}
	raw := c.get("/admin/mail/" + itoa(held.ID) + "/raw")
	if raw.status != http.StatusOK || raw.header.Get("Content-Type") != "message/rfc822" || !strings.Contains(raw.header.Get("Content-Disposition"), "attachment") {
		t.Errorf("raw download: %d %v", raw.status, raw.header)
	}
	wantLocation(t, "release", c.post("/admin/mail/"+itoa(held.ID)+"/release", nil), "/admin/mail?outcome=held")
	if m, _ := env.App.Mail.Store.Mail(ctx, held.ID); m.Outcome != mailin.OutTicket || m.TicketID == 0 || m.TicketID == tk.ID {
		t.Errorf("released mail: %+v", m)
	}
	wantStatus(t, "discard a released mail", c.post("/admin/mail/"+itoa(held.ID)+"/discard", nil), http.StatusConflict)
	wantLocation(t, "delete mailbox", c.post("/admin/mailboxes/"+id+"/delete", nil), "/admin/mailboxes")
	wantText(t, "records stay", c.get("/admin/mail"), "li.lei@partner.cn")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// mailText is a minimal plain-text message.
func mailText(from, subject, id string) string {
	return "From: " + from + "\r\nTo: servicedesk@corp.cn\r\nSubject: " + subject + "\r\nMessage-ID: " + id +
		"\r\nDate: Mon, 04 May 2026 09:00:00 +0800\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe printer on floor 3 is jammed.\r\n"
}
