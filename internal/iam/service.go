package iam

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
)

// Auditor records audit entries in the caller's transaction.
type Auditor interface {
	Record(ctx context.Context, e audit.Entry) error
}

// Service sequences identity and access work: check the actor's permission, apply the rules, save,
// and record the audit entry, all in one transaction.
type Service struct {
	Store  Store
	Audit  Auditor
	Now    func() time.Time
	Argon2 Argon2Params
	// Cache, when set, keeps authentication's reads for a short time; Store must then be the one
	// NewCached returns, which empties it on every relevant change. nil: every request reads.
	Cache *AuthCache
}

// New returns a Service with production defaults. Authentication is not cached: every request
// reads, so that disabling an account or revoking a token takes effect at once on every replica;
// UseAuthCache trades that for speed where an operator chooses to (config http.auth_cache).
func New(st Store, au Auditor) *Service {
	return &Service{Store: st, Audit: au, Now: time.Now, Argon2: DefaultArgon2}
}

// UseAuthCache caches authentication for ttl (0: off). Call it before serving requests.
func (s *Service) UseAuthCache(ttl time.Duration) {
	if ps, ok := s.Store.(purgingStore); ok {
		s.Store = ps.Store
	}
	s.Cache = NewAuthCache(ttl)
	if s.Cache != nil {
		s.Cache.now = func() time.Time { return s.Now() }
		s.Store = purgingStore{Store: s.Store, c: s.Cache}
	}
}

// need returns the actor in ctx when it holds perm, and errs.Forbidden otherwise. A refusal is
// audited: it is security-relevant.
func (s *Service) need(ctx context.Context, perm string) (*actor.Actor, error) {
	a := actor.FromContext(ctx)
	if a == nil {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	if !a.Can(perm) {
		s.Denied(ctx, perm, "", "")
		return nil, errs.E(errs.Forbidden, "err.forbidden")
	}
	return a, nil
}

// Denied records a refused attempt in its own transaction, so that it stays even though the caller
// fails. It is exported for the HTTP layers, which refuse routes before any service is called.
func (s *Service) Denied(ctx context.Context, action, targetType, targetID string) {
	_ = s.Store.InTx(context.WithoutCancel(ctx), func(ctx context.Context) error {
		return s.Audit.Record(ctx, audit.Entry{Action: action, TargetType: targetType, TargetID: targetID, Result: audit.ResultDenied})
	})
}

// record writes an audit entry with before/after snapshots.
func (s *Service) record(ctx context.Context, action, targetType string, targetID int64, before, after any) error {
	return s.Audit.Record(ctx, audit.Entry{
		Action: action, TargetType: targetType, TargetID: itoa(targetID),
		Before: audit.Snapshot(before), After: audit.Snapshot(after),
	})
}

// Policy returns the security policy in force.
func (s *Service) Policy(ctx context.Context) (Policy, error) {
	p := DefaultPolicy()
	if _, err := s.Store.Setting(ctx, "security_policy", &p); err != nil {
		return p, err
	}
	return p, nil
}

// SavePolicy replaces the security policy (security administrator).
func (s *Service) SavePolicy(ctx context.Context, p Policy) error {
	if _, err := s.need(ctx, PermSecurityPolicy); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		old, err := s.Policy(ctx)
		if err != nil {
			return err
		}
		if err := s.Store.SaveSetting(ctx, "security_policy", p); err != nil {
			return err
		}
		return s.record(ctx, "policy.update", "policy", 0, old, p)
	})
}

// secret returns a random URL-safe secret with a prefix, and the hex SHA-256 under which it is stored.
func secret(prefix string) (plain, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	plain = prefix + base64.RawURLEncoding.EncodeToString(b)
	return plain, HashSecret(plain)
}

// HashSecret is how session cookies, API tokens and setup links are stored: only their SHA-256.
func HashSecret(plain string) string {
	h := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(h[:])
}

func itoa(n int64) string {
	if n == 0 {
		return ""
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
