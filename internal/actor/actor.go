// Package actor says who is acting (操作人): the user, their roles and permissions, their organisation
// scope, and where the request came from. Every service call reads it from the context.
package actor

import (
	"context"
	"strings"
)

// Source is the path a change came through, recorded in the audit log.
type Source string

const (
	SourceWeb Source = "web"
	SourceAPI Source = "api"
	SourceCLI Source = "cli"
	SourceJob Source = "job"
)

// Actor is the authenticated principal of one request.
type Actor struct {
	UserID    int64
	Username  string
	Name      string
	Roles     []string        // role codes
	Perms     map[string]bool // union of the roles' permissions
	OrgUnitID int64
	OrgPath   string // materialised path of the user's unit, e.g. "/1/4/"; scope is its subtree
	// ServicePath is the nearest headquarters or branch at or above the user's unit: the tickets a
	// service-desk member works are those of this subtree, wherever in it their own department sits.
	ServicePath string
	SessionID   string // hash of the session or token in use, so a user can end "this" session
	TokenID     int64  // set when authenticated by API token
	IP          string
	UserAgent   string
	Source      Source
	Lang        string
}

// Can reports whether the actor holds permission p.
func (a *Actor) Can(p string) bool { return a != nil && a.Perms[p] }

// HasRole reports whether the actor holds the role with code r.
func (a *Actor) HasRole(r string) bool {
	if a == nil {
		return false
	}
	for _, x := range a.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// InScope reports whether an organisation path lies in the actor's subtree (统一领导、分级管理).
func (a *Actor) InScope(path string) bool {
	return a != nil && a.OrgPath != "" && strings.HasPrefix(path, a.OrgPath)
}

// InServiceScope reports whether path lies in the part of the organisation the actor's service
// desk serves (ServicePath, or the actor's own subtree when no headquarters or branch is above it).
func (a *Actor) InServiceScope(path string) bool {
	if a == nil {
		return false
	}
	if a.ServicePath != "" {
		return strings.HasPrefix(path, a.ServicePath)
	}
	return a.InScope(path)
}

// ServiceScope is the path prefix of InServiceScope.
func (a *Actor) ServiceScope() string {
	if a.ServicePath != "" {
		return a.ServicePath
	}
	return a.OrgPath
}

// System returns the actor used by start-up tasks and the CLI when no user is named.
func System(src Source) *Actor {
	return &Actor{Username: "system", Name: "system", Source: src, OrgPath: "/", Perms: map[string]bool{}}
}

type ctxKey struct{}

// NewContext returns ctx carrying a.
func NewContext(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, ctxKey{}, a)
}

// FromContext returns the actor in ctx, or nil.
func FromContext(ctx context.Context) *Actor {
	a, _ := ctx.Value(ctxKey{}).(*Actor)
	return a
}
