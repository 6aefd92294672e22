package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/iam"
	"opsdesk/internal/store"
)

// TestBrowserTickets walks the phone intake, the ticket page and a reply in headless Chromium, at
// desktop and phone widths, saving screenshots, and fails on any script or CSP error. It runs when
// OPSDESK_E2E_BROWSER=1.
func TestBrowserTickets(t *testing.T) {
	ctx := apptest.Browser(t)
	env := apptest.New(t, store.SQLite)
	watch := apptest.Watch(ctx)
	err := chromedp.Do(ctx,
		chromedp.Navigate(env.URL+"/login"),
		chromedp.SendKeys(`input[name=username]`, env.Users[iam.RoleAgent]),
		chromedp.SendKeys(`input[name=password]`, apptest.Password),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`#logout`),
		chromedp.Navigate(env.URL+"/tickets/new"),
		chromedp.WaitVisible(`#f-caller-q`),
		chromedp.SendKeys(`#f-caller-q`, env.Users[iam.RoleUser]),
		chromedp.WaitVisible(`#callers input[name=requester_id]`),
		chromedp.SendKeys(`#f-subject`, "打印机卡纸"),
		chromedp.SendKeys(`#f-description`, "三楼东侧打印机卡纸，无法打印"),
		chromedp.SendKeys(`#f-location`, "三楼东侧"),
	)
	if err != nil {
		t.Fatalf("intake form: %v", err)
	}
	apptest.Screenshot(t, ctx, "tickets-intake-1366.png")
	err = chromedp.Do(ctx,
		chromedp.Click(`#intake-form button[type=submit]`),
		chromedp.WaitVisible(`#reply-form`),
		chromedp.SendKeys(`#f-body`, "已联系用户，正在处理"),
		chromedp.Click(`#reply-form button[type=submit]`),
		chromedp.WaitVisible(`.comment`),
	)
	if err != nil {
		t.Fatalf("ticket page and reply: %v", err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	apptest.Screenshot(t, ctx, "tickets-show-1366.png")
	if err := chromedp.Do(ctx, chromedp.Navigate(env.URL+"/tickets?tab=updated"), chromedp.WaitVisible(`#queue-table table`)); err != nil {
		t.Fatalf("queue: %v", err)
	}
	apptest.Screenshot(t, ctx, "tickets-queue-1366.png")

	err = chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(env.URL+"/tickets?tab=updated"), chromedp.WaitVisible(`#queue-table`))
	if err != nil {
		t.Fatal(err)
	}
	apptest.Screenshot(t, ctx, "tickets-queue-390.png")
	for _, p := range []struct{ url, shot string }{{loc, "tickets-show-390.png"}, {env.URL + "/tickets/new", "tickets-intake-390.png"}} {
		if err := chromedp.Do(ctx, chromedp.Navigate(p.url), chromedp.WaitVisible(`#main`)); err != nil {
			t.Fatal(err)
		}
		wide, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
		if !wide {
			t.Errorf("%s scrolls sideways on a phone", p.shot)
		}
		apptest.Screenshot(t, ctx, p.shot)
	}
	time.Sleep(200 * time.Millisecond)
	for _, p := range watch.Problems() {
		t.Errorf("browser console: %s", p)
	}
}
