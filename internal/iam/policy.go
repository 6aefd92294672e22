package iam

import (
	"time"

	"opsdesk/internal/errs"
)

// Policy is the security policy (安全策略) the security administrator sets: passwords, lock-out,
// sessions and second factors. Durations are whole minutes, hours or days so that forms stay simple.
type Policy struct {
	MinLength           int  `json:"min_length"`
	MinClasses          int  `json:"min_classes"`            // of lower, upper, digit, symbol
	ExpiryDays          int  `json:"expiry_days"`            // 0: never
	HistoryCount        int  `json:"history_count"`          // last N passwords may not be reused
	LockoutThreshold    int  `json:"lockout_threshold"`      // failed logins before a lock-out
	LockoutMinutes      int  `json:"lockout_minutes"`        // cool-down
	SessionIdleMinutes  int  `json:"session_idle_minutes"`   // idle time-out
	SessionMaxHours     int  `json:"session_max_hours"`      // absolute time-out
	TokenMaxDays        int  `json:"token_max_days"`         // longest API token lifetime
	RequireMFAForAdmins bool `json:"require_mfa_for_admins"` // the three administrator roles must use TOTP
}

// DefaultPolicy follows common MLPS 2.0 (等保2.0) practice.
func DefaultPolicy() Policy {
	return Policy{
		MinLength: 10, MinClasses: 3, ExpiryDays: 90, HistoryCount: 5,
		LockoutThreshold: 5, LockoutMinutes: 15,
		SessionIdleMinutes: 30, SessionMaxHours: 12, TokenMaxDays: 365,
	}
}

// Validate checks that every value is in a sane range and names each one that is not.
func (p Policy) Validate() error {
	var fields []any
	check := func(name string, v, lo, hi int) {
		if v < lo || v > hi {
			fields = append(fields, errs.Field(name, "err.out_of_range"))
		}
	}
	check("min_length", p.MinLength, 8, 128)
	check("min_classes", p.MinClasses, 1, 4)
	check("expiry_days", p.ExpiryDays, 0, 3650)
	check("history_count", p.HistoryCount, 0, 24)
	check("lockout_threshold", p.LockoutThreshold, 1, 100)
	check("lockout_minutes", p.LockoutMinutes, 1, 1440)
	check("session_idle_minutes", p.SessionIdleMinutes, 1, 1440)
	check("session_max_hours", p.SessionMaxHours, 1, 720)
	check("token_max_days", p.TokenMaxDays, 1, 3650)
	if len(fields) > 0 {
		return errs.E(append([]any{errs.Invalid, "err.policy.invalid"}, fields...)...)
	}
	return nil
}

// PasswordExpired reports whether a password set at changed has expired at now.
func (p Policy) PasswordExpired(changed, now time.Time) bool {
	return p.ExpiryDays > 0 && now.After(changed.Add(time.Duration(p.ExpiryDays)*24*time.Hour))
}

// SessionValid reports whether s is still within both time-outs at now.
func (p Policy) SessionValid(s *Session, now time.Time) bool {
	if !now.Before(s.ExpiresAt) {
		return false
	}
	return now.Sub(s.LastSeenAt) < time.Duration(p.SessionIdleMinutes)*time.Minute
}
