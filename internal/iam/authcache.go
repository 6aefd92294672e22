package iam

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// AuthCache keeps, per API token and per session, the rows authentication read (the token or
// session, the user, the user's permissions and the policy) for a short time, so that a request
// costs no reads for them. Any change in this process to users, roles, organisation units,
// sessions, tokens or the policy empties it at once, and again after the change's transaction
// committed; a look-up that started before that does not store what it read.
type AuthCache struct {
	ttl time.Duration
	now func() time.Time

	mu       sync.Mutex
	gen      uint64
	tokens   map[string]*authEntry // by token hash
	sessions map[string]*authEntry // by session id (the cookie's hash)
}

type authEntry struct {
	until time.Time
	user  User
	perms []string
	token Token
	sess  Session
	pol   Policy
}

// NewAuthCache returns a cache that keeps entries for ttl; ttl 0 returns nil, which caches nothing.
func NewAuthCache(ttl time.Duration) *AuthCache {
	if ttl <= 0 {
		return nil
	}
	return &AuthCache{ttl: ttl, now: time.Now, tokens: map[string]*authEntry{}, sessions: map[string]*authEntry{}}
}

// start returns the generation a look-up reads in.
func (c *AuthCache) start() uint64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// get returns a copy of the live entry for key.
func (c *AuthCache) get(m func(*AuthCache) map[string]*authEntry, key string) (authEntry, bool) {
	if c == nil {
		return authEntry{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := m(c)[key]
	if e == nil || !c.now().Before(e.until) {
		return authEntry{}, false
	}
	return *e, true
}

// put stores e unless the cache was emptied since gen.
func (c *AuthCache) put(m func(*AuthCache) map[string]*authEntry, key string, gen uint64, e *authEntry) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	mm := m(c)
	if len(mm) >= 10000 { // bounded: drop everything rather than track age
		clear(mm)
	}
	e.until = c.now().Add(c.ttl)
	mm[key] = e
}

// touched records in a cached entry the last-used time just written, keeping its expiry.
func (c *AuthCache) touched(m func(*AuthCache) map[string]*authEntry, key string, at time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := m(c)[key]; e != nil {
		e.token.LastUsedAt, e.sess.LastSeenAt = at, at
	}
}

func tokensOf(c *AuthCache) map[string]*authEntry   { return c.tokens }
func sessionsOf(c *AuthCache) map[string]*authEntry { return c.sessions }

// Purge empties the cache; the next authentication reads the database.
func (c *AuthCache) Purge() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.tokens)
	clear(c.sessions)
}

// purgingStore is the Store of a service with a cache: every write that can change who someone is
// or whether they may still act empties the cache when it is made and, inside a transaction, again
// after the transaction ended (a look-up between the write and the commit reads the old rows).
type purgingStore struct {
	Store
	c *AuthCache
}

type purgeKey struct{}

func (s purgingStore) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if ctx.Value(purgeKey{}) != nil { // nested: the outer InTx purges after the commit
		return s.Store.InTx(ctx, fn)
	}
	var wrote atomic.Bool
	err := s.Store.InTx(context.WithValue(ctx, purgeKey{}, &wrote), fn)
	if wrote.Load() {
		s.c.Purge()
	}
	return err
}

// wrote purges now and marks the transaction in ctx, if any, for a purge after it ends.
func (s purgingStore) wrote(ctx context.Context) {
	if w, ok := ctx.Value(purgeKey{}).(*atomic.Bool); ok {
		w.Store(true)
	}
	s.c.Purge()
}

func (s purgingStore) after(ctx context.Context, err error) error {
	s.wrote(ctx)
	return err
}

func (s purgingStore) UpdateUser(ctx context.Context, u *User) error {
	return s.after(ctx, s.Store.UpdateUser(ctx, u))
}

func (s purgingStore) SetUserRoles(ctx context.Context, userID int64, roleCodes []string) error {
	return s.after(ctx, s.Store.SetUserRoles(ctx, userID, roleCodes))
}

func (s purgingStore) UpdateOrgUnit(ctx context.Context, u *OrgUnit, oldPath string) error {
	return s.after(ctx, s.Store.UpdateOrgUnit(ctx, u, oldPath))
}

func (s purgingStore) DeleteOrgUnit(ctx context.Context, id int64) error {
	return s.after(ctx, s.Store.DeleteOrgUnit(ctx, id))
}

func (s purgingStore) UpdateRole(ctx context.Context, r *Role) error {
	return s.after(ctx, s.Store.UpdateRole(ctx, r))
}

func (s purgingStore) DeleteRole(ctx context.Context, id int64) error {
	return s.after(ctx, s.Store.DeleteRole(ctx, id))
}

func (s purgingStore) CompleteMFA(ctx context.Context, id string) error {
	return s.after(ctx, s.Store.CompleteMFA(ctx, id))
}

func (s purgingStore) DeleteSession(ctx context.Context, id string) error {
	return s.after(ctx, s.Store.DeleteSession(ctx, id))
}

func (s purgingStore) DeleteUserSessions(ctx context.Context, userID int64) error {
	return s.after(ctx, s.Store.DeleteUserSessions(ctx, userID))
}

func (s purgingStore) DeleteUserSessionsExcept(ctx context.Context, userID int64, keep string) error {
	return s.after(ctx, s.Store.DeleteUserSessionsExcept(ctx, userID, keep))
}

func (s purgingStore) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	n, err := s.Store.DeleteExpiredSessions(ctx, now)
	return n, s.after(ctx, err)
}

func (s purgingStore) RevokeToken(ctx context.Context, id int64, at time.Time) error {
	return s.after(ctx, s.Store.RevokeToken(ctx, id, at))
}

func (s purgingStore) RevokeUserTokens(ctx context.Context, userID int64, at time.Time) error {
	return s.after(ctx, s.Store.RevokeUserTokens(ctx, userID, at))
}

func (s purgingStore) SaveSetting(ctx context.Context, key string, v any) error {
	return s.after(ctx, s.Store.SaveSetting(ctx, key, v))
}
