package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"opsdesk/internal/app"
	"opsdesk/internal/app/apptest"
	"opsdesk/internal/iam"
	"opsdesk/internal/store/storetest"
)

// TestSetup walks the one-time first-start page of a database opened without an admin password.
func TestSetup(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			cfg := storetest.Config(t, engine)
			a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.WithArgon2(iam.CheapArgon2))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.Close() })
			if a.SetupToken == "" {
				t.Fatal("no setup token on an empty database")
			}
			srv := httptest.NewServer(a.Handler)
			t.Cleanup(srv.Close)
			env := &apptest.Env{URL: srv.URL}
			c := newClient(t, env)
			page := c.get("/setup?token=" + url.QueryEscape(a.SetupToken))
			wantStatus(t, "setup page", page, http.StatusOK)
			wantText(t, "setup page", page, "系统初始化", `name="admin"`, `name="secadmin"`, `name="auditor"`)
			weak := url.Values{"token": {a.SetupToken}, "admin": {"short"}, "secadmin": {"Sec#admin2026"}, "auditor": {"Aud#it2026x"}}
			r := c.post("/setup", weak)
			wantStatus(t, "weak password", r, http.StatusUnprocessableEntity)
			wantText(t, "weak password", r, "密码长度不足")
			good := url.Values{"token": {"wrong"}, "admin": {"Adm#in2026xy"}, "secadmin": {"Sec#admin2026"}, "auditor": {"Aud#it2026x"}}
			wantStatus(t, "wrong token", c.post("/setup", good), http.StatusForbidden)
			good.Set("token", a.SetupToken)
			wantLocation(t, "setup", c.post("/setup", good), "/login")
			wantText(t, "flash", c.get("/login"), "初始化完成")
			wantStatus(t, "setup again", c.get("/setup?token="+url.QueryEscape(a.SetupToken)), http.StatusNotFound)
			wantStatus(t, "post again", c.post("/setup", good), http.StatusNotFound)
			login(t, env, "admin", "Adm#in2026xy")
		})
	}
}
