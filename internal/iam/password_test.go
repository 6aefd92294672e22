package iam

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestHashAndCheck(t *testing.T) {
	h := HashPassword("Opsdesk@2026", CheapArgon2)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("unexpected PHC string %q", h)
	}
	if !CheckPassword(h, "Opsdesk@2026") {
		t.Fatal("right password rejected")
	}
	for _, bad := range []string{"opsdesk@2026", "", "Opsdesk@2027"} {
		if CheckPassword(h, bad) {
			t.Fatalf("wrong password %q accepted", bad)
		}
	}
	if CheckPassword("garbage", "x") || CheckPassword("$argon2id$v=19$m=x$a$b", "x") {
		t.Fatal("malformed hash accepted")
	}
	if HashPassword("same", CheapArgon2) == HashPassword("same", CheapArgon2) {
		t.Fatal("salt not random")
	}
}

func TestPasswordProblems(t *testing.T) {
	pol := DefaultPolicy()
	cases := []struct {
		name, pw string
		want     []string
	}{
		{"good", "Opsdesk@2026", nil},
		{"chinese counts as letters", "运维服务台2026!ab", nil},
		{"short", "Ab1!", []string{"err.password.too_short"}},
		{"one class", "abcdefghijkl", []string{"err.password.classes"}},
		{"username inside", "Zhangsan@2026", []string{"err.password.contains_username"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := PasswordProblems(tc.pw, "zhangsan", pol)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPolicyTimeouts(t *testing.T) {
	pol := DefaultPolicy()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	s := &Session{LastSeenAt: now.Add(-29 * time.Minute), ExpiresAt: now.Add(time.Hour)}
	if !pol.SessionValid(s, now) {
		t.Error("session within idle limit rejected")
	}
	s.LastSeenAt = now.Add(-31 * time.Minute)
	if pol.SessionValid(s, now) {
		t.Error("idle session accepted")
	}
	s.LastSeenAt, s.ExpiresAt = now, now
	if pol.SessionValid(s, now) {
		t.Error("session past absolute time-out accepted")
	}
	if !pol.PasswordExpired(now.AddDate(0, 0, -91), now) || pol.PasswordExpired(now.AddDate(0, 0, -89), now) {
		t.Error("expiry wrong")
	}
	pol.ExpiryDays = 0
	if pol.PasswordExpired(now.AddDate(-5, 0, 0), now) {
		t.Error("expiry 0 must mean never")
	}
	bad := DefaultPolicy()
	bad.MinLength = 3
	if err := bad.Validate(); err == nil {
		t.Error("min length 3 accepted")
	}
}
