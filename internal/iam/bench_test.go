package iam_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/iam"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// benchFixture is newFixture for benchmarks: a real clock and n extra users.
func benchFixture(b *testing.B, engine string, n int) *fixture {
	b.Helper()
	db := storetest.Open(b, engine)
	f := &fixture{users: map[string]*iam.User{}}
	f.au = &audit.Service{Store: store.Audit{DB: db}, Now: time.Now}
	f.s = &iam.Service{Store: store.IAM{DB: db}, Audit: f.au, Now: time.Now, Argon2: iam.CheapArgon2}
	op := actor.System(actor.SourceCLI)
	for _, p := range iam.AllPermissions {
		op.Perms[p] = true
	}
	f.ctx = actor.NewContext(context.Background(), op)
	f.s.FirstStart(f.ctx, pw)
	f.root, _ = f.s.EnsureRoot(f.ctx, "总部")
	err := f.s.Store.InTx(f.ctx, func(ctx context.Context) error {
		for i := 0; i < n; i++ {
			u := &iam.User{Username: fmt.Sprintf("user%05d", i), Name: fmt.Sprintf("用户%d", i), OrgUnitID: f.root.ID,
				PasswordHash: "x", PasswordChangedAt: time.Now()}
			if err := f.s.Store.CreateUser(ctx, u); err != nil {
				return err
			}
			if err := f.s.Store.SetUserRoles(ctx, u.ID, []string{iam.RoleUser}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return f
}

func engines(b *testing.B, fn func(b *testing.B, engine string)) {
	for _, e := range storetest.Engines() {
		b.Run(e, func(b *testing.B) { fn(b, e) })
	}
}

// BenchmarkAuthenticateToken is the cost every API request pays to resolve its bearer token.
func BenchmarkAuthenticateToken(b *testing.B) {
	engines(b, func(b *testing.B, engine string) {
		f := benchFixture(b, engine, 1000)
		admin, _ := f.s.Store.UserByUsername(f.ctx, "admin")
		tok, _, err := f.s.IssueTokenFor(f.ctx, admin.ID, "bench", 30)
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := f.s.AuthenticateToken(ctx, tok); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkAuthenticateSession is the cost every UI request pays to resolve its session cookie.
func BenchmarkAuthenticateSession(b *testing.B) {
	engines(b, func(b *testing.B, engine string) {
		f := benchFixture(b, engine, 1000)
		res, err := f.s.Login(context.Background(), "admin", pw)
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, _, _, err := f.s.Authenticate(ctx, res.Secret); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkAuditRecord appends audit entries to the hash chain, each in its own transaction.
func BenchmarkAuditRecord(b *testing.B) {
	engines(b, func(b *testing.B, engine string) {
		f := benchFixture(b, engine, 0)
		ctx := f.ctx
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			err := f.s.Store.InTx(ctx, func(ctx context.Context) error {
				return f.au.Record(ctx, audit.Entry{Action: "bench.record", TargetType: "user", TargetID: "1",
					Before: `{"name":"张三"}`, After: `{"name":"张三丰"}`})
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkUserSearch is the users admin page: a name search in the actor's subtree among 10,000 users.
func BenchmarkUserSearch(b *testing.B) {
	engines(b, func(b *testing.B, engine string) {
		f := benchFixture(b, engine, 10000)
		ctx := f.ctx
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, _, err := f.s.Users(ctx, iam.UserFilter{Query: "用户12", Limit: 50}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLogin includes the production argon2id cost (19 MiB, 2 passes) that dominates a login.
func BenchmarkLogin(b *testing.B) {
	engines(b, func(b *testing.B, engine string) {
		f := benchFixture(b, engine, 0)
		f.s.Argon2 = iam.DefaultArgon2
		if err := f.s.ResetPassword(f.ctx, f.users0(b), pw+"x"); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := f.s.Login(context.Background(), "secadmin", pw+"x"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func (f *fixture) users0(b *testing.B) int64 {
	u, err := f.s.Store.UserByUsername(context.Background(), "secadmin")
	if err != nil {
		b.Fatal(err)
	}
	return u.ID
}
