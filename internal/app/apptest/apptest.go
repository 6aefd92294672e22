// Package apptest starts a complete opsdesk on a fresh database for tests: one user per built-in role,
// each with an API token, served by httptest on 127.0.0.1.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"opsdesk/internal/actor"
	"opsdesk/internal/app"
	"opsdesk/internal/iam"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// Password is the password of every test user.
const Password = "Opsdesk@2026!"

// Env is a running opsdesk for one test.
type Env struct {
	App    *app.App
	Server *httptest.Server
	URL    string
	// Users maps a built-in role code to the username holding (only) that role.
	Users map[string]string
	// Tokens maps a built-in role code to an API token of that user.
	Tokens map[string]string
	// IDs maps a built-in role code to the user's id.
	IDs map[string]int64
}

// Usernames: the three administrators from the first start keep their names (admin, secadmin,
// auditor); the business roles get a user named after the role code.
var usernames = map[string]string{iam.RoleSysAdmin: "admin", iam.RoleSecAdmin: "secadmin", iam.RoleAuditor: "auditor"}

// New starts opsdesk on engine (store.SQLite or store.Postgres).
func New(t testing.TB, engine string) *Env {
	t.Helper()
	cfg := storetest.Config(t, engine)
	cfg.AdminPassword = Password
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.Open(ctx, cfg, log, app.WithArgon2(iam.CheapArgon2))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	env := &Env{App: a, Users: map[string]string{}, Tokens: map[string]string{}, IDs: map[string]int64{}}
	st := store.IAM{DB: a.DB}
	sys := actor.NewContext(ctx, actor.System(actor.SourceJob))
	root, err := a.IAM.EnsureRoot(sys, "总部")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range iam.BuiltinRoles {
		name, ok := usernames[r.Code]
		if !ok {
			name = r.Code
			u := &iam.User{Username: name, Name: r.Name + "测试", OrgUnitID: root.ID,
				PasswordHash: iam.HashPassword(Password, iam.CheapArgon2), PasswordChangedAt: a.DB.Now()}
			if err := st.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			if err := st.SetUserRoles(ctx, u.ID, []string{r.Code}); err != nil {
				t.Fatal(err)
			}
		}
		u, err := st.UserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if u.MustChangePassword {
			u.MustChangePassword = false
			if err := st.UpdateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		tok, _, err := a.IAM.IssueTokenFor(sys, u.ID, "test", 30)
		if err != nil {
			t.Fatal(err)
		}
		env.Users[r.Code], env.Tokens[r.Code], env.IDs[r.Code] = name, tok, u.ID
	}
	env.Server = httptest.NewServer(a.Handler)
	t.Cleanup(env.Server.Close)
	env.URL = env.Server.URL
	return env
}
