// Package e2e drives opsdesk in headless Chromium the way a person would.
package e2e

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// TestBrowserSmoke logs in as the system administrator, switches to English, opens the users admin
// page, logs out, and saves a screenshot at each step.
func TestBrowserSmoke(t *testing.T) {
	ctx := apptest.Browser(t)
	env := apptest.New(t, store.SQLite)
	err := chromedp.Do(ctx,
		chromedp.Navigate(env.URL+"/login"),
		chromedp.WaitVisible(`input[name=username]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := chromedp.Run(ctx, chromedp.Text(`body`))
	if !strings.Contains(text, "登录") {
		t.Fatalf("login page is not in Chinese: %q", text)
	}
	apptest.Screenshot(t, ctx, "01-login-zh.png")
	err = chromedp.Do(ctx,
		chromedp.SendKeys(`input[name=username]`, "admin"),
		chromedp.SendKeys(`input[name=password]`, apptest.Password),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`#logout`),
	)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	apptest.Screenshot(t, ctx, "02-home-zh.png")
	err = chromedp.Do(ctx,
		chromedp.Click(`#lang-en`),
		// Both buttons are always there: wait for the English page itself, or the next navigation
		// aborts the one the click started.
		chromedp.WaitVisible(`html[lang=en] #lang-en.on`),
		chromedp.Navigate(env.URL+"/admin/users"),
		chromedp.WaitVisible(`table`),
	)
	if err == nil {
		text, err = chromedp.Run(ctx, chromedp.Text(`body`))
	}
	if err != nil {
		t.Fatalf("language switch / users page: %v", err)
	}
	if !strings.Contains(text, "Users") || !strings.Contains(text, "secadmin") {
		t.Fatalf("English users page expected, got %q", text)
	}
	apptest.Screenshot(t, ctx, "03-users-en.png")
	err = chromedp.Do(ctx,
		chromedp.Click(`#logout`),
		chromedp.WaitVisible(`input[name=username]`),
		chromedp.Navigate(env.URL+"/admin/users"),
		chromedp.WaitVisible(`input[name=password]`),
	)
	if err != nil {
		t.Fatalf("logout: %v", err)
	}
	apptest.Screenshot(t, ctx, "04-logged-out.png")
}
