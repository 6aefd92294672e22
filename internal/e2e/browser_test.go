// Package e2e drives opsdesk in headless Chromium the way a person would.
package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// browser starts headless Chromium with the flags this network needs (no background connections).
// The test runs when OPSDESK_E2E_BROWSER=1 (CI sets it); then a missing Chromium is a failure.
func browser(t *testing.T) context.Context {
	t.Helper()
	if os.Getenv("OPSDESK_E2E_BROWSER") != "1" {
		t.Skip("set OPSDESK_E2E_BROWSER=1 to run the browser test (needs Debian's chromium)")
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium not found: apt-get install -y chromium")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1366, 768))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	// The first Run starts the browser and must not carry a timeout (it would stop the browser).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	return ctx
}

// shotDir is where screenshots go: OPSDESK_SCREENSHOT_DIR (CI keeps them) or the test's temp dir.
func shotDir(t *testing.T) string {
	if d := os.Getenv("OPSDESK_SCREENSHOT_DIR"); d != "" {
		os.MkdirAll(d, 0o755)
		return d
	}
	return t.TempDir()
}

func shot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserSmoke logs in as the system administrator, switches to English, opens the users admin
// page, logs out, and saves a screenshot at each step.
func TestBrowserSmoke(t *testing.T) {
	ctx := browser(t)
	env := apptest.New(t, store.SQLite)
	dir := shotDir(t)
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
	shot(t, ctx, dir, "01-login-zh.png")
	err = chromedp.Do(ctx,
		chromedp.SendKeys(`input[name=username]`, "admin"),
		chromedp.SendKeys(`input[name=password]`, apptest.Password),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`#logout`),
	)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	shot(t, ctx, dir, "02-home-zh.png")
	err = chromedp.Do(ctx,
		chromedp.Click(`#lang-en`),
		chromedp.WaitVisible(`#lang-zh`),
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
	shot(t, ctx, dir, "03-users-en.png")
	err = chromedp.Do(ctx,
		chromedp.Click(`#logout`),
		chromedp.WaitVisible(`input[name=username]`),
		chromedp.Navigate(env.URL+"/admin/users"),
		chromedp.WaitVisible(`input[name=password]`),
	)
	if err != nil {
		t.Fatalf("logout: %v", err)
	}
	shot(t, ctx, dir, "04-logged-out.png")
}
