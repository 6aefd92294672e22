package iam

import (
	"context"
	"time"
)

// Tx runs fn in one database transaction carried by the context; store methods called with that
// context join it. A domain change and its audit entry therefore commit together or not at all.
type Tx interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// UserFilter selects users. Scope restricts to an organisation subtree (materialised path prefix).
type UserFilter struct {
	Scope     string
	Query     string // name, username, phone or e-mail contains
	OrgUnitID int64
	Role      string
	Disabled  *bool
	Limit     int
	Offset    int
}

// UserStore persists users, their role grants and password history.
type UserStore interface {
	User(ctx context.Context, id int64) (*User, error) // errs.NotFound when absent
	UserByUsername(ctx context.Context, username string) (*User, error)
	Users(ctx context.Context, f UserFilter) ([]*User, int, error)
	CountUsers(ctx context.Context) (int, error)
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser saves u if its Version is current and bumps it; errs.Conflict otherwise.
	UpdateUser(ctx context.Context, u *User) error
	// RecordLogin saves the lock-out and login counters without a version check: logins race with edits.
	RecordLogin(ctx context.Context, u *User) error
	SetUserRoles(ctx context.Context, userID int64, roleCodes []string) error
	PasswordHistory(ctx context.Context, userID int64, n int) ([]string, error)
	AddPasswordHistory(ctx context.Context, userID int64, hash string, at time.Time) error
}

// OrgStore persists the organisation tree.
type OrgStore interface {
	OrgUnit(ctx context.Context, id int64) (*OrgUnit, error)
	OrgUnits(ctx context.Context, scope string) ([]*OrgUnit, error) // in path order
	CreateOrgUnit(ctx context.Context, u *OrgUnit) error            // sets ID and Path
	UpdateOrgUnit(ctx context.Context, u *OrgUnit, oldPath string) error
	DeleteOrgUnit(ctx context.Context, id int64) error
	OrgUnitUsage(ctx context.Context, id int64) (children, users int, err error)
}

// GroupStore persists support groups and their members.
type GroupStore interface {
	Group(ctx context.Context, id int64) (*Group, error)
	Groups(ctx context.Context) ([]*Group, error)
	CreateGroup(ctx context.Context, g *Group) error
	UpdateGroup(ctx context.Context, g *Group) error
	DeleteGroup(ctx context.Context, id int64) error
}

// RoleStore persists roles and their permissions.
type RoleStore interface {
	Role(ctx context.Context, id int64) (*Role, error)
	RoleByCode(ctx context.Context, code string) (*Role, error)
	Roles(ctx context.Context) ([]*Role, error)
	CreateRole(ctx context.Context, r *Role) error
	UpdateRole(ctx context.Context, r *Role) error
	DeleteRole(ctx context.Context, id int64) error
	RoleHolders(ctx context.Context, code string) (int, error)
	// PermsOf returns the union of the permissions of the given roles.
	PermsOf(ctx context.Context, roleCodes []string) ([]string, error)
}

// SessionStore persists browser sessions.
type SessionStore interface {
	CreateSession(ctx context.Context, s *Session) error
	Session(ctx context.Context, id string) (*Session, error)
	TouchSession(ctx context.Context, id string, at time.Time) error
	CompleteMFA(ctx context.Context, id string) error
	DeleteSession(ctx context.Context, id string) error
	DeleteUserSessions(ctx context.Context, userID int64) error
	DeleteUserSessionsExcept(ctx context.Context, userID int64, keep string) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
}

// TokenStore persists API tokens.
type TokenStore interface {
	CreateToken(ctx context.Context, t *Token) error
	TokenByHash(ctx context.Context, hash string) (*Token, error)
	Tokens(ctx context.Context, userID int64) ([]*Token, error)
	Token(ctx context.Context, id int64) (*Token, error)
	RevokeToken(ctx context.Context, id int64, at time.Time) error
	RevokeUserTokens(ctx context.Context, userID int64, at time.Time) error
	TouchToken(ctx context.Context, id int64, at time.Time) error
}

// SettingStore keeps small JSON settings such as the security policy and the one-time setup token.
type SettingStore interface {
	Setting(ctx context.Context, key string, into any) (bool, error)
	SaveSetting(ctx context.Context, key string, v any) error
}

// Store is everything the iam service needs from persistence.
type Store interface {
	Tx
	UserStore
	OrgStore
	GroupStore
	RoleStore
	SessionStore
	TokenStore
	SettingStore
}
