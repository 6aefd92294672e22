package apptest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Browser starts headless Chromium for one test, with the flags this offline network needs and a
// zh-CN Accept-Language (Chromium would otherwise send en-US and opsdesk would answer in English).
// The test runs only when OPSDESK_E2E_BROWSER=1, as CI sets; then a missing Chromium is a failure.
// The returned context carries a 90 s limit for the whole test.
func Browser(t *testing.T) context.Context {
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
		chromedp.Flag("accept-lang", "zh-CN,zh"), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1366, 768))
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

// Screenshot saves a full-page PNG as name in OPSDESK_SCREENSHOT_DIR (CI keeps them) or in the
// test's temporary directory.
func Screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("OPSDESK_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// FullScreenshot with quality 100 encodes PNG; below 100 it would be JPEG under a .png name.
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// PageWatch is what Watch has seen on a page so far.
type PageWatch struct {
	mu       sync.Mutex
	problems []string // "type: text" of each script error and CSP violation
	dialogs  []string // the message of each JavaScript dialog, in order
}

// Watch collects a page's script errors and Content-Security-Policy violations and accepts every
// JavaScript dialog (keeping its message), for the rest of the browser context's life. Call it
// before the first navigation: a message the page writes before Watch subscribes is lost. An
// unanswered dialog would block the page until the test's time limit, so each one gets "yes",
// as a person confirming app.js's data-confirm question would answer.
func Watch(ctx context.Context) *PageWatch {
	w := &PageWatch{}
	// Both iterators subscribe now, not when their goroutine starts to range, and end with ctx.
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			// The text test keeps a CSP violation whatever level the browser gives it.
			if m.IsException() || m.Type == chromedp.ConsoleError || strings.Contains(m.Text, "Content Security Policy") {
				w.mu.Lock()
				w.problems = append(w.problems, string(m.Type)+": "+m.Text)
				w.mu.Unlock()
			}
		}
	}()
	opened := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range opened {
			if err != nil {
				return
			}
			w.mu.Lock()
			w.dialogs = append(w.dialogs, ev.Message)
			w.mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	return w
}

// Problems returns a copy of the script errors and CSP violations seen so far, each as
// "type: text"; it is safe to call while the page still runs. Events travel from the browser
// asynchronously, so one the page has just logged may not be there yet.
func (w *PageWatch) Problems() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.problems)
}

// Dialogs returns a copy of the messages of the JavaScript dialogs accepted so far, in order.
func (w *PageWatch) Dialogs() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.dialogs)
}
