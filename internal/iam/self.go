package iam

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp/totp"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// Me returns the acting user.
func (s *Service) Me(ctx context.Context) (*User, error) {
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	return s.Store.User(ctx, a.UserID)
}

// checkNewPassword applies the policy and the history rule to a new password for u.
func (s *Service) checkNewPassword(ctx context.Context, u *User, pw string, pol Policy) error {
	if probs := PasswordProblems(pw, u.Username, pol); len(probs) > 0 {
		return errs.E(errs.Invalid, probs[0], errs.Field("new_password", probs[0]))
	}
	if CheckPassword(u.PasswordHash, pw) {
		return errs.E(errs.Invalid, "err.password.reused", errs.Field("new_password", "err.password.reused"))
	}
	hist, err := s.Store.PasswordHistory(ctx, u.ID, pol.HistoryCount)
	if err != nil {
		return err
	}
	for _, h := range hist {
		if CheckPassword(h, pw) {
			return errs.E(errs.Invalid, "err.password.reused", errs.Field("new_password", "err.password.reused"))
		}
	}
	return nil
}

// setPassword stores a new password hash for u and remembers it in the history.
func (s *Service) setPassword(ctx context.Context, u *User, pw string, mustChange bool) error {
	u.PasswordHash = HashPassword(pw, s.Argon2)
	u.PasswordChangedAt = s.Now()
	u.MustChangePassword = mustChange
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return err
	}
	return s.Store.AddPasswordHistory(ctx, u.ID, u.PasswordHash, s.Now())
}

// ChangePassword lets the acting user replace their password after proving the old one. The user's
// other browser sessions end; the current one and the API tokens (separate credentials) stay.
func (s *Service) ChangePassword(ctx context.Context, oldPW, newPW string) error {
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 {
		return errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	pol, err := s.Policy(ctx)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.Store.User(ctx, a.UserID)
		if err != nil {
			return err
		}
		if !CheckPassword(u.PasswordHash, oldPW) {
			return errs.E(errs.Invalid, "err.password.wrong_old", errs.Field("old_password", "err.password.wrong_old"))
		}
		if err := s.checkNewPassword(ctx, u, newPW, pol); err != nil {
			return err
		}
		if err := s.setPassword(ctx, u, newPW, false); err != nil {
			return err
		}
		// Whoever else holds a session of this account (perhaps the reason for the change) is out.
		if err := s.Store.DeleteUserSessionsExcept(ctx, u.ID, a.SessionID); err != nil {
			return err
		}
		return s.record(ctx, "user.password_change", "user", u.ID, nil, nil)
	})
}

// NeedsPasswordChange reports whether u must set a new password before working: an administrator
// reset it, or it expired under the policy.
func (s *Service) NeedsPasswordChange(ctx context.Context, u *User) (bool, error) {
	pol, err := s.Policy(ctx)
	if err != nil {
		return false, err
	}
	return u.MustChangePassword || pol.PasswordExpired(u.PasswordChangedAt, s.Now()), nil
}

// NeedsMFAEnrolment reports whether the policy requires u, an administrator, to enrol a second factor.
func (s *Service) NeedsMFAEnrolment(ctx context.Context, u *User) (bool, error) {
	pol, err := s.Policy(ctx)
	if err != nil {
		return false, err
	}
	return pol.RequireMFAForAdmins && u.IsAdmin() && !u.TOTPEnabled, nil
}

// TOTPEnrolment is what the profile page shows to enrol an authenticator app.
type TOTPEnrolment struct {
	Secret string
	URL    string // otpauth:// URL
	QRPNG  string // data: URI of a QR code of URL
}

// BeginTOTP generates a new secret for the acting user; it takes effect when ConfirmTOTP sees a code.
func (s *Service) BeginTOTP(ctx context.Context) (*TOTPEnrolment, error) {
	u, err := s.Me(ctx)
	if err != nil {
		return nil, err
	}
	if u.TOTPEnabled {
		return nil, errs.E(errs.Conflict, "err.totp.already")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "opsdesk", AccountName: u.Username})
	if err != nil {
		return nil, err
	}
	img, err := key.Image(200, 200)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		u.TOTPSecret = key.Secret()
		if err := s.Store.UpdateUser(ctx, u); err != nil {
			return err
		}
		return s.record(ctx, "user.totp_begin", "user", u.ID, nil, nil)
	})
	if err != nil {
		return nil, err
	}
	return &TOTPEnrolment{Secret: key.Secret(), URL: key.URL(),
		QRPNG: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// ConfirmTOTP turns the second factor on once the user shows a valid code from the new secret.
func (s *Service) ConfirmTOTP(ctx context.Context, code string) error {
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.Me(ctx)
		if err != nil {
			return err
		}
		if u.TOTPEnabled {
			return errs.E(errs.Conflict, "err.totp.already")
		}
		step, ok := s.checkTOTP(u, strings.TrimSpace(code))
		if !ok {
			return errs.E(errs.Invalid, "err.totp.invalid", errs.Field("code", "err.totp.invalid"))
		}
		u.TOTPEnabled, u.TOTPLastStep = true, step
		if err := s.Store.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := s.Store.RecordLogin(ctx, u); err != nil {
			return err
		}
		return s.record(ctx, "user.totp_enable", "user", u.ID, map[string]bool{"totp": false}, map[string]bool{"totp": true})
	})
}

// DisableTOTP turns the second factor off after the password is re-entered, unless the policy
// requires it for this user.
func (s *Service) DisableTOTP(ctx context.Context, password string) error {
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.Me(ctx)
		if err != nil {
			return err
		}
		if !CheckPassword(u.PasswordHash, password) {
			return errs.E(errs.Invalid, "err.password.wrong_old", errs.Field("password", "err.password.wrong_old"))
		}
		pol, err := s.Policy(ctx)
		if err != nil {
			return err
		}
		if pol.RequireMFAForAdmins && u.IsAdmin() {
			return errs.E(errs.Forbidden, "err.totp.required")
		}
		u.TOTPEnabled, u.TOTPSecret = false, ""
		if err := s.Store.UpdateUser(ctx, u); err != nil {
			return err
		}
		return s.record(ctx, "user.totp_disable", "user", u.ID, map[string]bool{"totp": true}, map[string]bool{"totp": false})
	})
}

// SetLocale stores the acting user's language choice ("zh-CN", "en" or "" for the browser's).
func (s *Service) SetLocale(ctx context.Context, locale string) error {
	if locale != "" && locale != "zh-CN" && locale != "en" {
		return errs.E(errs.Invalid, "err.locale", errs.Field("locale", "err.locale"))
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.Me(ctx)
		if err != nil {
			return err
		}
		before := u.Locale
		u.Locale = locale
		if err := s.Store.UpdateUser(ctx, u); err != nil {
			return err
		}
		return s.record(ctx, "user.locale", "user", u.ID, map[string]string{"locale": before}, map[string]string{"locale": locale})
	})
}

// CreateToken issues a personal API token for the acting user. The secret is returned once; only
// its hash is kept.
func (s *Service) CreateToken(ctx context.Context, name string, days int) (string, *Token, error) {
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 {
		return "", nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	return s.issueToken(ctx, a.UserID, name, days)
}

// IssueTokenFor issues a token for another user; the CLI on the server uses it (operator access).
func (s *Service) IssueTokenFor(ctx context.Context, userID int64, name string, days int) (string, *Token, error) {
	return s.issueToken(ctx, userID, name, days)
}

func (s *Service) issueToken(ctx context.Context, userID int64, name string, days int) (string, *Token, error) {
	name = strings.TrimSpace(name)
	pol, err := s.Policy(ctx)
	if err != nil {
		return "", nil, err
	}
	var fields []any
	if name == "" || len([]rune(name)) > 100 {
		fields = append(fields, errs.Field("name", "err.required_max100"))
	}
	if days < 1 || days > pol.TokenMaxDays {
		fields = append(fields, errs.Field("days", "err.out_of_range"))
	}
	if len(fields) > 0 {
		return "", nil, errs.E(append([]any{errs.Invalid, "err.invalid"}, fields...)...)
	}
	plain, hash := secret("odk_")
	now := s.Now()
	t := &Token{UserID: userID, Name: name, Prefix: plain[:12], Hash: hash, CreatedAt: now, ExpiresAt: now.Add(time.Duration(days) * 24 * time.Hour)}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.Store.User(ctx, userID)
		if err != nil {
			return err
		}
		if u.Disabled {
			return errs.E(errs.Invalid, "err.user.disabled")
		}
		if err := s.Store.CreateToken(ctx, t); err != nil {
			return err
		}
		return s.record(ctx, "token.create", "token", t.ID, nil, map[string]any{"user_id": userID, "name": name, "prefix": t.Prefix, "expires_at": t.ExpiresAt})
	})
	if err != nil {
		return "", nil, err
	}
	return plain, t, nil
}

// MyTokens lists the acting user's tokens.
func (s *Service) MyTokens(ctx context.Context) ([]*Token, error) {
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	return s.Store.Tokens(ctx, a.UserID)
}

// RevokeToken revokes one of the acting user's tokens.
func (s *Service) RevokeToken(ctx context.Context, id int64) error {
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 {
		return errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		t, err := s.Store.Token(ctx, id)
		if err != nil || t.UserID != a.UserID {
			return errs.E(errs.NotFound, "err.not_found")
		}
		if err := s.Store.RevokeToken(ctx, id, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, "token.revoke", "token", id, nil, nil)
	})
}
