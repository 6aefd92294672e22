package mailin

import (
	"context"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
)

// SourceMail is the source the audit log shows for what the mail intake does.
const SourceMail actor.Source = "mail"

// Users finds users by address and the root of the organisation; store.Mailin implements it.
type Users interface {
	// UserIDByEmail returns the enabled user with this address; errs.NotFound when none.
	UserIDByEmail(ctx context.Context, addr string) (int64, error)
	// RootOrgPath returns the path of the organisation's root unit (总部).
	RootOrgPath(ctx context.Context) (string, error)
}

// Directory implements People over iam: a sender with a user's address acts as that user, with the
// user's roles and organisation.
type Directory struct {
	IAM   *iam.Service
	Users Users
}

// ByEmail returns the actor of the enabled user with this address; errs.NotFound when none.
func (d Directory) ByEmail(ctx context.Context, addr string) (*actor.Actor, error) {
	id, err := d.Users.UserIDByEmail(ctx, addr)
	if err != nil {
		return nil, err
	}
	u, err := d.IAM.Store.User(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, errs.E(errs.NotFound, "err.not_found")
	}
	return d.IAM.ActorFor(ctx, &actor.Actor{Source: SourceMail}, u)
}

// Desk returns the actor of the intake itself, scoped to the root unit: external contacts' tickets
// belong to the whole organisation's service desk until an agent takes them.
func (d Directory) Desk(ctx context.Context) (*actor.Actor, error) {
	path, err := d.Users.RootOrgPath(ctx)
	if err != nil {
		return nil, err
	}
	return &actor.Actor{Username: "mail-intake", Name: "mail-intake", Source: SourceMail, OrgPath: path,
		Perms: map[string]bool{}}, nil
}
