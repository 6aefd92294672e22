package iam

import (
	"context"
	"time"

	"github.com/pquerna/otp/totp"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
)

// LoginResult is a new session and what the user must still do before working.
type LoginResult struct {
	Secret  string // cookie value; only its hash is stored
	Session *Session
	User    *User
}

// dummyHash keeps the time of a login for an unknown user close to that of a wrong password, so that
// response times do not reveal which usernames exist.
var dummyHash = HashPassword("opsdesk-dummy-password", DefaultArgon2)

// Login checks a username and password and opens a session. Failures are counted, audited and lead to
// a lock-out after the policy's threshold; the message never says whether the username exists.
func (s *Service) Login(ctx context.Context, username, password string) (*LoginResult, error) {
	pol, err := s.Policy(ctx)
	if err != nil {
		return nil, err
	}
	a := actor.FromContext(ctx)
	now := s.Now()
	var res *LoginResult
	var fail error
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.Store.UserByUsername(ctx, username)
		if errs.Is(err, errs.NotFound) {
			CheckPassword(dummyHash, password)
			fail = errs.E(errs.Unauthenticated, "err.login.failed")
			return s.Audit.Record(ctx, audit.Entry{Action: "auth.login", TargetType: "user", Detail: "unknown user " + truncate(username, 64), Result: audit.ResultDenied})
		}
		if err != nil {
			return err
		}
		denied := func(detail string) error {
			return s.Audit.Record(ctx, audit.Entry{Action: "auth.login", TargetType: "user", TargetID: itoa(u.ID), Detail: detail, Result: audit.ResultDenied})
		}
		if u.IsLocked(now) {
			fail = errs.E(errs.TooMany, "err.login.locked")
			return denied("locked until " + u.LockedUntil.UTC().Format(time.RFC3339))
		}
		if !CheckPassword(u.PasswordHash, password) {
			u.FailedLogins++
			fail = errs.E(errs.Unauthenticated, "err.login.failed")
			detail := "wrong password"
			if u.FailedLogins >= pol.LockoutThreshold {
				u.LockedUntil, u.FailedLogins = now.Add(time.Duration(pol.LockoutMinutes)*time.Minute), 0
				fail = errs.E(errs.TooMany, "err.login.locked")
				if err := s.Audit.Record(ctx, audit.Entry{Action: "auth.lockout", TargetType: "user", TargetID: itoa(u.ID),
					Detail: "locked after failed logins until " + u.LockedUntil.UTC().Format(time.RFC3339), Result: audit.ResultDenied}); err != nil {
					return err
				}
			}
			if err := s.Store.RecordLogin(ctx, u); err != nil {
				return err
			}
			return denied(detail)
		}
		if u.Disabled {
			fail = errs.E(errs.Unauthenticated, "err.login.failed")
			return denied("account disabled")
		}
		u.FailedLogins, u.LockedUntil, u.LastLoginAt = 0, time.Time{}, now
		if err := s.Store.RecordLogin(ctx, u); err != nil {
			return err
		}
		plain, hash := secret("")
		sess := &Session{ID: hash, UserID: u.ID, CreatedAt: now, LastSeenAt: now,
			ExpiresAt: now.Add(time.Duration(pol.SessionMaxHours) * time.Hour), MFAPending: u.TOTPEnabled}
		if a != nil {
			sess.IP, sess.UserAgent = a.IP, truncate(a.UserAgent, 512)
		}
		if err := s.Store.CreateSession(ctx, sess); err != nil {
			return err
		}
		res = &LoginResult{Secret: plain, Session: sess, User: u}
		ctx = actor.NewContext(ctx, s.actorFor(a, u, nil))
		detail := "password accepted"
		if sess.MFAPending {
			detail += ", second factor pending"
		}
		return s.Audit.Record(ctx, audit.Entry{Action: "auth.login", TargetType: "user", TargetID: itoa(u.ID), Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	if fail != nil {
		return nil, fail
	}
	return res, nil
}

// VerifyMFA completes a login whose session waits for the TOTP code.
func (s *Service) VerifyMFA(ctx context.Context, sessionID, code string) error {
	sess, err := s.Store.Session(ctx, sessionID)
	if err != nil {
		return errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	if !sess.MFAPending {
		return errs.E(errs.Conflict, "err.totp.not_pending")
	}
	pol, err := s.Policy(ctx)
	if err != nil {
		return err
	}
	now := s.Now()
	var fail error
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.Store.User(ctx, sess.UserID)
		if err != nil {
			return err
		}
		ctx = actor.NewContext(ctx, s.actorFor(actor.FromContext(ctx), u, nil))
		if u.IsLocked(now) {
			fail = errs.E(errs.TooMany, "err.login.locked")
			return s.Audit.Record(ctx, audit.Entry{Action: "auth.mfa", TargetType: "user", TargetID: itoa(u.ID), Detail: "locked", Result: audit.ResultDenied})
		}
		step, ok := s.checkTOTP(u, code)
		if !ok {
			// Wrong codes count like wrong passwords: otherwise a stolen password would allow
			// unlimited guessing of the six digits. At the threshold the pending session ends too.
			fail = errs.E(errs.Unauthenticated, "err.totp.invalid", errs.Field("code", "err.totp.invalid"))
			u.FailedLogins++
			if u.FailedLogins >= pol.LockoutThreshold {
				u.LockedUntil, u.FailedLogins = now.Add(time.Duration(pol.LockoutMinutes)*time.Minute), 0
				fail = errs.E(errs.TooMany, "err.login.locked")
				if err := s.Store.DeleteSession(ctx, sessionID); err != nil {
					return err
				}
				if err := s.Audit.Record(ctx, audit.Entry{Action: "auth.lockout", TargetType: "user", TargetID: itoa(u.ID),
					Detail: "locked after wrong second-factor codes until " + u.LockedUntil.UTC().Format(time.RFC3339), Result: audit.ResultDenied}); err != nil {
					return err
				}
			}
			if err := s.Store.RecordLogin(ctx, u); err != nil {
				return err
			}
			return s.Audit.Record(ctx, audit.Entry{Action: "auth.mfa", TargetType: "user", TargetID: itoa(u.ID), Result: audit.ResultDenied})
		}
		u.FailedLogins, u.TOTPLastStep = 0, step
		if err := s.Store.RecordLogin(ctx, u); err != nil {
			return err
		}
		if err := s.Store.CompleteMFA(ctx, sessionID); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{Action: "auth.mfa", TargetType: "user", TargetID: itoa(u.ID)})
	})
	if err != nil {
		return err
	}
	return fail
}

// checkTOTP accepts a code of the current, previous or next 30-second step, but never a step at or
// before the last one accepted, so that an observed code cannot be replayed.
func (s *Service) checkTOTP(u *User, code string) (int64, bool) {
	if u.TOTPSecret == "" || len(code) != 6 {
		return 0, false
	}
	now := s.Now()
	for _, d := range []int64{0, -1, 1} {
		at := now.Add(time.Duration(d) * 30 * time.Second)
		step := at.Unix() / 30
		if step <= u.TOTPLastStep {
			continue
		}
		want, err := totp.GenerateCode(u.TOTPSecret, at)
		if err == nil && want == code {
			return step, true
		}
	}
	return 0, false
}

// Authenticate resolves a session cookie into the acting user. It enforces the idle and absolute
// time-outs and a disabled account, and refreshes the idle clock at most once a minute.
func (s *Service) Authenticate(ctx context.Context, cookie string) (*actor.Actor, *Session, *User, error) {
	unauth := errs.E(errs.Unauthenticated, "err.session.expired")
	if cookie == "" {
		return nil, nil, nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	id := HashSecret(cookie)
	now := s.Now()
	if e, ok := s.Cache.get(sessionsOf, id); ok { // read within the cache's TTL; checked again for time
		sess, u := e.sess, e.user
		if !e.pol.SessionValid(&sess, now) {
			_ = s.Store.DeleteSession(ctx, sess.ID)
			return nil, nil, nil, unauth
		}
		if now.Sub(sess.LastSeenAt) > time.Minute {
			if err := s.Store.TouchSession(ctx, sess.ID, now); err != nil {
				return nil, nil, nil, err
			}
			s.Cache.touched(sessionsOf, id, now)
		}
		a := s.actorFor(actor.FromContext(ctx), &u, e.perms)
		a.SessionID = sess.ID
		return a, &sess, &u, nil
	}
	gen := s.Cache.start()
	sess, err := s.Store.Session(ctx, id)
	if err != nil {
		return nil, nil, nil, unauth
	}
	pol, err := s.Policy(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	if !pol.SessionValid(sess, now) {
		_ = s.Store.DeleteSession(ctx, sess.ID)
		return nil, nil, nil, unauth
	}
	u, err := s.Store.User(ctx, sess.UserID)
	if err != nil || u.Disabled {
		return nil, nil, nil, unauth
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := s.Store.TouchSession(ctx, sess.ID, now); err != nil {
			return nil, nil, nil, err
		}
		sess.LastSeenAt = now
	}
	perms, err := s.Store.PermsOf(ctx, u.Roles)
	if err != nil {
		return nil, nil, nil, err
	}
	s.Cache.put(sessionsOf, id, gen, &authEntry{user: *u, perms: perms, sess: *sess, pol: pol})
	a := s.actorFor(actor.FromContext(ctx), u, perms)
	a.SessionID = sess.ID
	return a, sess, u, nil
}

// AuthenticateToken resolves an API bearer token into the acting user.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (*actor.Actor, error) {
	unauth := errs.E(errs.Unauthenticated, "err.token.invalid")
	hash := HashSecret(token)
	now := s.Now()
	if e, ok := s.Cache.get(tokensOf, hash); ok { // read within the cache's TTL; checked again for time
		if !e.token.IsActive(now) {
			return nil, unauth
		}
		if now.Sub(e.token.LastUsedAt) > time.Minute {
			if err := s.Store.TouchToken(ctx, e.token.ID, now); err != nil {
				return nil, err
			}
			s.Cache.touched(tokensOf, hash, now)
		}
		u := e.user
		a := s.actorFor(actor.FromContext(ctx), &u, e.perms)
		a.TokenID = e.token.ID
		return a, nil
	}
	gen := s.Cache.start()
	t, err := s.Store.TokenByHash(ctx, hash)
	if err != nil {
		return nil, unauth
	}
	if !t.IsActive(now) {
		return nil, unauth
	}
	u, err := s.Store.User(ctx, t.UserID)
	if err != nil || u.Disabled {
		return nil, unauth
	}
	if now.Sub(t.LastUsedAt) > time.Minute {
		if err := s.Store.TouchToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
		t.LastUsedAt = now
	}
	perms, err := s.Store.PermsOf(ctx, u.Roles)
	if err != nil {
		return nil, err
	}
	s.Cache.put(tokensOf, hash, gen, &authEntry{user: *u, perms: perms, token: *t})
	a := s.actorFor(actor.FromContext(ctx), u, perms)
	a.TokenID = t.ID
	return a, nil
}

// Logout ends the session in ctx.
func (s *Service) Logout(ctx context.Context) error {
	a := actor.FromContext(ctx)
	if a == nil || a.SessionID == "" {
		return nil
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.DeleteSession(ctx, a.SessionID); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{Action: "auth.logout", TargetType: "user", TargetID: itoa(a.UserID)})
	})
}

// ActorFor builds the actor for u, keeping the request details (IP, user agent, source, language) of base.
func (s *Service) ActorFor(ctx context.Context, base *actor.Actor, u *User) (*actor.Actor, error) {
	perms, err := s.Store.PermsOf(ctx, u.Roles)
	if err != nil {
		return nil, err
	}
	return s.actorFor(base, u, perms), nil
}

func (s *Service) actorFor(base *actor.Actor, u *User, perms []string) *actor.Actor {
	a := &actor.Actor{UserID: u.ID, Username: u.Username, Name: u.Name, Roles: u.Roles,
		Perms: map[string]bool{}, OrgUnitID: u.OrgUnitID, OrgPath: u.OrgPath, ServicePath: u.ServicePath, Lang: u.Locale}
	for _, p := range perms {
		a.Perms[p] = true
	}
	if base != nil {
		a.IP, a.UserAgent, a.Source = base.IP, base.UserAgent, base.Source
		if a.Lang == "" {
			a.Lang = base.Lang
		}
	}
	return a
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// SweepSessions deletes the sessions past their absolute time-out and audits how many went; the
// background loop calls it.
func (s *Service) SweepSessions(ctx context.Context) (int64, error) {
	var n int64
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if n, err = s.Store.DeleteExpiredSessions(ctx, s.Now()); err != nil || n == 0 {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{Action: "session.sweep", TargetType: "session", Detail: itoa(n) + " expired sessions removed"})
	})
	return n, err
}
