package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"opsdesk/internal/actor"
	"opsdesk/internal/app/apptest"
	"opsdesk/internal/demo"
	"opsdesk/internal/mailin"
	"opsdesk/internal/store"
)

// TestBrowserNotifications drives the notification pages in headless Chromium on the demo
// organisation: the header badge and the inbox with htmx marking read in place, the preference
// matrix, and the administrator's flow of a webhook channel through the form, 发送测试, the dead
// message in the outbox and its 重试. Screenshots go to OPSDESK_SCREENSHOT_DIR. It runs when
// OPSDESK_E2E_BROWSER=1.
func TestBrowserNotifications(t *testing.T) {
	ctx := apptest.Browser(t)
	env := apptest.New(t, store.SQLite)
	sys := actor.NewContext(context.Background(), actor.System(actor.SourceJob))
	if _, err := demo.Load(sys, env.App.IAM); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.LoadTickets(sys, env.App.IAM, env.App.Tickets); err != nil {
		t.Fatal(err)
	}
	watch := apptest.Watch(ctx)
	loginAs := func(user, password string) {
		t.Helper()
		err := chromedp.Do(ctx,
			chromedp.Navigate(env.URL+"/login"),
			chromedp.SendKeys(`input[name=username]`, user),
			chromedp.SendKeys(`input[name=password]`, password),
			chromedp.Click(`form[action="/login"] button[type=submit]`),
			chromedp.WaitVisible(`#logout`),
		)
		if err != nil {
			t.Fatalf("login as %s: %v", user, err)
		}
	}
	count := func() string {
		t.Helper()
		s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('#inbox-link .count-badge')||{}).textContent||''`))
		return s
	}

	// An agent of the demo service desk has notifications of the demo tickets.
	loginAs("zhangwei", demo.Password)
	before := count()
	if before == "" {
		t.Fatal("no unread badge for the demo agent")
	}
	apptest.Screenshot(t, ctx, "notify-01-home-badge.png")
	if err := chromedp.Do(ctx, chromedp.Click(`#inbox-link`), chromedp.WaitVisible(`#inbox li.unread`)); err != nil {
		t.Fatal(err)
	}
	apptest.Screenshot(t, ctx, "notify-02-inbox.png")
	unread0, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#inbox li.unread').length`))
	if err := chromedp.Do(ctx, chromedp.Click(`#inbox li.unread .inbox-action button`)); err != nil {
		t.Fatal(err)
	}
	fewer, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll('#inbox li.unread').length === `+itoa(int64(unread0-1)),
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !fewer {
		t.Fatalf("htmx did not mark the row read: %v", err)
	}
	if after := count(); after == before && before != "99+" {
		t.Errorf("the header badge stayed at %s", after)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('header').length`)); n != 1 {
		t.Errorf("the fragment brought a second page header (%d)", n)
	}
	// Opening an unread notification marks it read and goes to its ticket.
	if err := chromedp.Do(ctx, chromedp.Click(`#inbox li.unread .inbox-title a`)); err != nil {
		t.Fatal(err)
	}
	// The page navigates away under the poll, so the location is read until it moved.
	var loc string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && !strings.Contains(loc, "/tickets/"); {
		time.Sleep(100 * time.Millisecond)
		loc, _ = chromedp.Run(ctx, chromedp.Location())
	}
	if !strings.Contains(loc, "/tickets/") {
		t.Errorf("opening a notification went to %s", loc)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/me/notifications"), chromedp.WaitVisible(`.prefs-table`)); err != nil {
		t.Fatal(err)
	}
	apptest.Screenshot(t, ctx, "notify-03-preferences.png")
	err = chromedp.Do(ctx,
		chromedp.Click(`#p-email-ticket\.created`),
		chromedp.Click(`form[action="/me/notifications"] button[type=submit]`),
		chromedp.WaitVisible(`.alert-ok`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if on, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('p-email-ticket.created').checked`)); on {
		t.Error("the unticked preference did not stay off")
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#logout`), chromedp.WaitVisible(`input[name=username]`)); err != nil {
		t.Fatal(err)
	}

	// The administrator sets up a webhook whose receiver first refuses it.
	var refuse atomic.Bool
	refuse.Store(true)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if refuse.Load() {
			http.Error(w, "signature mismatch", http.StatusUnauthorized)
		}
	}))
	defer hook.Close()
	loginAs("admin", apptest.Password)
	err = chromedp.Do(ctx,
		chromedp.Click(`#main-nav a[href="/admin/channels"]`),
		chromedp.WaitVisible(`a[href="/admin/channels/new"]`),
		chromedp.Navigate(env.URL+"/admin/channels/new?kind=email"),
		chromedp.WaitVisible(`#channel-form select[name=tls]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	apptest.Screenshot(t, ctx, "notify-04-channel-form-email.png")
	err = chromedp.Do(ctx,
		chromedp.Click(`a[href="/admin/channels/new?kind=webhook"]`),
		chromedp.WaitVisible(`#channel-form input[name=secret]`),
		chromedp.SendKeys(`#f-name`, "监控平台"),
		chromedp.SendKeys(`#f-url`, hook.URL+"/opsdesk"),
		chromedp.SendKeys(`#f-secret`, "hook-s3cret"),
		chromedp.Click(`#channel-form input[name=events][value="sla.breach"]`),
		chromedp.Click(`#channel-form button[type=submit]`),
		chromedp.WaitVisible(`#channel-table`),
	)
	if err != nil {
		t.Fatalf("channel form: %v", err)
	}
	err = chromedp.Do(ctx, chromedp.Click(`#channel-table form[action$="/test"] button`), chromedp.WaitVisible(`.alert-ok`))
	if err != nil {
		t.Fatal(err)
	}
	apptest.Screenshot(t, ctx, "notify-05-channels.png")
	if _, _, err := env.App.Sender.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx, chromedp.Navigate(env.URL+"/admin/outbox?status=dead"), chromedp.WaitVisible(`#outbox-table form[action$="/retry"]`))
	if err != nil {
		t.Fatalf("no dead message to retry: %v", err)
	}
	text, _ := chromedp.Run(ctx, chromedp.Text(`#outbox-table`))
	if !strings.Contains(text, "401 Unauthorized") || !strings.Contains(text, "测试消息") {
		t.Errorf("dead row: %q", text)
	}
	apptest.Screenshot(t, ctx, "notify-06-outbox-dead.png")
	refuse.Store(false)
	if err := chromedp.Do(ctx, chromedp.Click(`#outbox-table form[action$="/retry"] button`), chromedp.WaitVisible(`.alert-ok`)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := env.App.Sender.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx, chromedp.Navigate(env.URL+"/admin/outbox?status=sent"), chromedp.WaitVisible(`#outbox-table`))
	if err != nil {
		t.Fatalf("the retried message is not sent: %v", err)
	}
	apptest.Screenshot(t, ctx, "notify-07-outbox-sent.png")

	// Mailboxes and the received mail with a held one.
	err = chromedp.Do(ctx,
		chromedp.Navigate(env.URL+"/admin/mailboxes/new"),
		chromedp.SendKeys(`#f-name`, "服务台邮箱"),
		chromedp.SendKeys(`#f-host`, "imap.corp.cn"),
		chromedp.SendKeys(`#f-username`, "servicedesk"),
		chromedp.SendKeys(`#f-password`, "imap-s3cret"),
		chromedp.SendKeys(`#f-address`, "servicedesk@corp.cn"),
		chromedp.Click(`#mailbox-form button[type=submit]`),
		chromedp.WaitVisible(`#mailbox-table`),
	)
	if err != nil {
		t.Fatalf("mailbox form: %v", err)
	}
	apptest.Screenshot(t, ctx, "notify-08-mailboxes.png")
	job := actor.NewContext(context.Background(), actor.System(actor.SourceJob))
	ms, _ := env.App.Mail.Store.Mailboxes(context.Background())
	first, err := env.App.Mail.Deliver(job, ms[0].ID, []byte(mailText("yangxue@demo.opsdesk.cn", "Printer on floor 3 jammed", "<b1@demo>")))
	if err != nil {
		t.Fatal(err)
	}
	tk, err := env.App.Tickets.Store.Get(context.Background(), first.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	if m, err := env.App.Mail.Deliver(job, ms[0].ID, []byte(mailText("mallory@elsewhere.cn", "Re: ["+tk.Number+"] printer", "<b2@x>"))); err != nil || m.Outcome != mailin.OutHeld {
		t.Fatalf("held: %v %v", m, err)
	}
	err = chromedp.Do(ctx, chromedp.Navigate(env.URL+"/admin/mail"), chromedp.WaitVisible(`#mail-table form[action$="/release"]`))
	if err != nil {
		t.Fatal(err)
	}
	apptest.Screenshot(t, ctx, "notify-09-mail.png")
	if err := chromedp.Do(ctx, chromedp.Click(`#mail-table form[action$="/release"] button`), chromedp.WaitVisible(`.alert-ok`)); err != nil {
		t.Fatal(err)
	}

	// A narrow screen keeps the header usable with the inbox link.
	err = chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(env.URL+"/admin/outbox"),
		chromedp.WaitVisible(`#inbox-link`))
	if err != nil {
		t.Fatal(err)
	}
	apptest.Screenshot(t, ctx, "notify-10-phone.png")
	if wide, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`)); !wide {
		t.Error("the outbox page scrolls sideways on a phone")
	}

	time.Sleep(200 * time.Millisecond) // console events still in flight
	for _, p := range watch.Problems() {
		t.Errorf("browser console: %s", p)
	}
}
