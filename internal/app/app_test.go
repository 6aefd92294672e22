package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/audit"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

func get(t *testing.T, url, token string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestOperationsEndpoints(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine)
			if code, body, _ := get(t, env.URL+"/healthz", ""); code != 200 || !strings.Contains(body, "ok") {
				t.Errorf("healthz %d %q", code, body)
			}
			if code, _, _ := get(t, env.URL+"/readyz", ""); code != 200 {
				t.Errorf("readyz %d", code)
			}
			if code, _, _ := get(t, env.URL+"/metrics", ""); code != 401 {
				t.Errorf("metrics without token %d, want 401", code)
			}
			if code, _, _ := get(t, env.URL+"/metrics", env.Tokens["auditor"]); code != 403 {
				t.Errorf("metrics as auditor %d, want 403", code)
			}
			code, body, _ := get(t, env.URL+"/metrics", env.Tokens["sysadmin"])
			if code != 200 || !strings.Contains(body, "opsdesk_http_requests_total") || !strings.Contains(body, "go_goroutines") {
				t.Errorf("metrics as sysadmin %d", code)
			}
		})
	}
}

func TestSecurityHeadersAndCSRF(t *testing.T) {
	env := apptest.New(t, store.SQLite)
	_, _, h := get(t, env.URL+"/login", "")
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	for k, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	// A forged cross-site form post is refused before it reaches a handler, and audited.
	for _, path := range []string{"/login", "/api/v1/me/tokens"} {
		req, _ := http.NewRequest("POST", env.URL+path, strings.NewReader("username=admin&password=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d, want 403", path, resp.StatusCode)
		}
	}
	ents, err := store.Audit{DB: env.App.DB}.Search(t.Context(), audit.Filter{Action: "security.csrf", Limit: 10})
	if err != nil || len(ents) != 2 || ents[0].Result != audit.ResultDenied {
		t.Fatalf("CSRF refusals audited: %d %v", len(ents), err)
	}
}
