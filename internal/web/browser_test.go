package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/store"
)

// TestBrowserUI drives the UI in headless Chromium where the markup alone says little: htmx filtering
// with a pushed URL, the confirmation dialogs of app.js, the navigation button on a phone, and that
// the page logs no Content-Security-Policy violation or script error. It runs when
// OPSDESK_E2E_BROWSER=1, as CI sets.
func TestBrowserUI(t *testing.T) {
	ctx := apptest.Browser(t)
	env := apptest.New(t, store.SQLite)

	watch := apptest.Watch(ctx)

	err := chromedp.Do(ctx,
		chromedp.Navigate(env.URL+"/login"),
		chromedp.SendKeys(`input[name=username]`, "admin"),
		chromedp.SendKeys(`input[name=password]`, apptest.Password),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`#logout`),
		chromedp.Navigate(env.URL+"/admin/users"),
		chromedp.WaitVisible(`#f-q`),
		chromedp.SendKeys(`#f-q`, "secadmin"),
	)
	if err != nil {
		t.Fatal(err)
	}
	// htmx replaces the table after the typing pauses and pushes the filter into the address bar.
	rows, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll('#user-table tbody tr').length === 1`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !rows {
		t.Fatalf("htmx search did not narrow the table: %v", err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "q=secadmin") {
		t.Errorf("search not in the URL: %s", loc)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('header').length`)); n != 1 {
		t.Errorf("the fragment brought a second page header (%d)", n)
	}

	// app.js asks before revoking a token.
	err = chromedp.Do(ctx,
		chromedp.Navigate(env.URL+"/profile/tokens"),
		chromedp.SendKeys(`#f-name`, "浏览器测试"),
		chromedp.Click(`form[action="/profile/tokens"] button[type=submit]`),
		chromedp.WaitVisible(`#token-secret`),
		chromedp.Click(`form[action$="/revoke"] button`),
		chromedp.WaitVisible(`.alert-ok`),
	)
	if err != nil {
		t.Fatalf("revoke with confirmation: %v", err)
	}
	if dialogs := watch.Dialogs(); len(dialogs) == 0 || !strings.Contains(dialogs[0], "吊销") {
		t.Errorf("no confirmation dialog before revoking: %q", dialogs)
	}

	// On a phone the menu folds behind a button.
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(env.URL+"/"),
		chromedp.WaitVisible(`#nav-toggle`),
	)
	if err != nil {
		t.Fatal(err)
	}
	hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`getComputedStyle(document.getElementById('main-nav')).display === 'none'`))
	if !hidden {
		t.Error("navigation not folded on a phone")
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#nav-toggle`), chromedp.WaitVisible(`#main-nav a[href="/admin/users"]`)); err != nil {
		t.Errorf("menu button: %v", err)
	}
	wide, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
	if !wide {
		t.Error("the home page scrolls sideways on a phone")
	}

	time.Sleep(200 * time.Millisecond)
	for _, p := range watch.Problems() {
		t.Errorf("browser console: %s", p)
	}
}
