package iam_test

import (
	"context"
	"testing"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// TestAuthCacheEmptiedAtOnce: with authentication cached (for an hour in the fixture), every change
// that ends or narrows someone's access takes effect on the very next request in this process.
func TestAuthCacheEmptiedAtOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		u := f.user(t, "lisi", iam.RoleAgent)
		ctx := actor.NewContext(context.Background(), &actor.Actor{IP: "10.1.1.2", Source: actor.SourceAPI})
		tok, tk, err := f.s.IssueTokenFor(f.ctx, u.ID, "ci", 30)
		if err != nil {
			t.Fatal(err)
		}
		login := func() string {
			t.Helper()
			res, err := f.s.Login(ctx, "lisi", pw)
			if err != nil {
				t.Fatal(err)
			}
			return res.Secret
		}
		sess := login()
		byToken := func() (*actor.Actor, error) { return f.s.AuthenticateToken(ctx, tok) }
		bySession := func(secret string) (*actor.Actor, error) {
			a, _, _, err := f.s.Authenticate(ctx, secret)
			return a, err
		}
		for range 2 { // the second time from the cache
			if a, err := byToken(); err != nil || !a.Can("ticket.work") {
				t.Fatalf("token: %v %v", a, err)
			}
			if _, err := bySession(sess); err != nil {
				t.Fatalf("session: %v", err)
			}
		}
		admin := f.as(t, "admin")

		// Disable: both are refused at once; enabled again, both work.
		if err := f.s.SetDisabled(admin, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := byToken(); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("token of a disabled user: %v", err)
		}
		if _, err := bySession(sess); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("session of a disabled user: %v", err)
		}
		if err := f.s.SetDisabled(admin, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := byToken(); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("disabling revokes the tokens: %v", err)
		}
		if tok, tk, err = f.s.IssueTokenFor(f.ctx, u.ID, "ci-2", 30); err != nil {
			t.Fatal(err)
		}
		if _, err := byToken(); err != nil {
			t.Fatalf("new token after enable: %v", err)
		}
		sess = login() // disabling ended the sessions

		// Role change: the permissions follow at once.
		if _, err := bySession(sess); err != nil {
			t.Fatal(err)
		}
		if err := f.s.SetRoles(f.as(t, "secadmin"), u.ID, []string{iam.RoleUser}); err != nil {
			t.Fatal(err)
		}
		if a, err := byToken(); err != nil || a.Can("ticket.work") {
			t.Fatalf("token after the role change: can work %v, %v", a != nil && a.Can("ticket.work"), err)
		}
		if _, err := bySession(sess); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("a role change ends the sessions: %v", err)
		}
		sess = login()
		if a, err := bySession(sess); err != nil || a.Can("ticket.work") {
			t.Fatalf("new session after the role change: can work %v, %v", a != nil && a.Can("ticket.work"), err)
		}

		// Password change ends the user's other sessions.
		other := login()
		if _, err := bySession(other); err != nil {
			t.Fatal(err)
		}
		me, err := bySession(sess)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.ChangePassword(actor.NewContext(context.Background(), me), pw, "Opsdesk@2027!x"); err != nil {
			t.Fatal(err)
		}
		if _, err := bySession(other); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("other session after the password change: %v", err)
		}

		// Logout ends the session at once.
		if err := f.s.Logout(actor.NewContext(context.Background(), me)); err != nil {
			t.Fatal(err)
		}
		if _, err := bySession(sess); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("session after logout: %v", err)
		}

		// Revoking the token refuses it at once.
		owner, err := byToken()
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.RevokeToken(actor.NewContext(context.Background(), owner), tk.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := byToken(); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("revoked token: %v", err)
		}
	})
}
