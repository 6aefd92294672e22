package iam

import (
	"context"
	"slices"
	"strings"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// userView is the audit snapshot of a user: never the password hash or the TOTP secret.
func userView(u *User) map[string]any {
	return map[string]any{"username": u.Username, "name": u.Name, "phone": u.Phone, "email": u.Email,
		"org_unit_id": u.OrgUnitID, "post": u.Post, "disabled": u.Disabled, "roles": u.Roles, "totp": u.TOTPEnabled}
}

// readScope is the part of the organisation whose people the actor may look up: service-desk staff
// find callers anywhere in the area their desk serves; everyone else reads their own subtree.
// Changing people always stays within the actor's own subtree (manageable).
func readScope(a *actor.Actor) string {
	if a.Can(PermTicketIntake) || a.Can(PermTicketWork) || a.Can(PermTicketAssign) || a.Can(PermTicketManage) {
		return a.ServiceScope()
	}
	return a.OrgPath
}

// Users lists the users the actor may look up (readScope).
func (s *Service) Users(ctx context.Context, f UserFilter) ([]*User, int, error) {
	a, err := s.need(ctx, PermUserRead)
	if err != nil {
		return nil, 0, err
	}
	f.Scope = readScope(a)
	return s.Store.Users(ctx, f)
}

// User returns one user in the actor's scope; users outside it do not exist for the actor.
func (s *Service) User(ctx context.Context, id int64) (*User, error) {
	a, err := s.need(ctx, PermUserRead)
	if err != nil {
		return nil, err
	}
	u, err := s.Store.User(ctx, id)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(u.OrgPath, readScope(a)) {
		return nil, errs.E(errs.NotFound, "err.not_found")
	}
	return u, nil
}

// manageable loads a user the actor may change: in scope, and for holders of an administrator role
// only by the security administrator (三员分立: the system administrator cannot take over the
// auditor's or the security administrator's account).
func (s *Service) manageable(ctx context.Context, a *actor.Actor, id int64) (*User, error) {
	u, err := s.Store.User(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.InScope(u.OrgPath) {
		return nil, errs.E(errs.NotFound, "err.not_found")
	}
	perm := PermUserManage
	if u.IsAdmin() {
		perm = PermUserManageAdmin
	}
	if !a.Can(perm) {
		s.Denied(ctx, "user.manage", "user", itoa(id))
		return nil, errs.E(errs.Forbidden, "err.user.admin_protected")
	}
	return u, nil
}

// CreateUser creates an account with an initial password that must be changed at first login.
func (s *Service) CreateUser(ctx context.Context, n NewUser) (*User, error) {
	a, err := s.need(ctx, PermUserManage)
	if err != nil {
		return nil, err
	}
	if err := n.check(); err != nil {
		return nil, err
	}
	pol, err := s.Policy(ctx)
	if err != nil {
		return nil, err
	}
	if probs := PasswordProblems(n.Password, n.Username, pol); len(probs) > 0 {
		return nil, errs.E(errs.Invalid, probs[0], errs.Field("password", probs[0]))
	}
	if err := s.checkGrant(a, nil, n.Roles); err != nil {
		return nil, err
	}
	u := &User{Username: n.Username, Name: n.Name, Phone: n.Phone, Email: n.Email, Post: n.Post,
		OrgUnitID: n.OrgUnitID, PasswordHash: HashPassword(n.Password, s.Argon2), PasswordChangedAt: s.Now(),
		MustChangePassword: true}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.checkOrgInScope(ctx, a, n.OrgUnitID); err != nil {
			return err
		}
		if err := s.Store.CreateUser(ctx, u); err != nil {
			return err
		}
		if err := s.Store.AddPasswordHistory(ctx, u.ID, u.PasswordHash, s.Now()); err != nil {
			return err
		}
		if err := s.Store.SetUserRoles(ctx, u.ID, n.Roles); err != nil {
			return err
		}
		u.Roles = slices.Sorted(slices.Values(n.Roles))
		return s.record(ctx, "user.create", "user", u.ID, nil, userView(u))
	})
	if err != nil {
		return nil, err
	}
	return s.Store.User(ctx, u.ID)
}

func (s *Service) checkOrgInScope(ctx context.Context, a *actor.Actor, orgID int64) error {
	ou, err := s.Store.OrgUnit(ctx, orgID)
	if err != nil || !a.InScope(ou.Path) {
		return errs.E(errs.Invalid, "err.org.unknown", errs.Field("org_unit_id", "err.org.unknown"))
	}
	return nil
}

// UpdateUser changes a user's attributes; version must be the one the editor saw.
func (s *Service) UpdateUser(ctx context.Context, id int64, version int, uf UserFields) (*User, error) {
	a := actor.FromContext(ctx)
	if a == nil {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	uf.normalize()
	var f errs.Fields
	uf.check(&f)
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *User
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.manageable(ctx, a, id)
		if err != nil {
			return err
		}
		if u.Version != version {
			return errs.E(errs.Conflict, "err.stale")
		}
		if err := s.checkOrgInScope(ctx, a, uf.OrgUnitID); err != nil {
			return err
		}
		before := userView(u)
		u.Name, u.Phone, u.Email, u.Post, u.OrgUnitID = uf.Name, uf.Phone, uf.Email, uf.Post, uf.OrgUnitID
		if err := s.Store.UpdateUser(ctx, u); err != nil {
			return err
		}
		out = u
		return s.record(ctx, "user.update", "user", id, before, userView(u))
	})
	if err != nil {
		return nil, err
	}
	return s.Store.User(ctx, out.ID)
}

// SetDisabled disables or re-enables an account. Disabling ends the user's sessions and revokes their
// API tokens at once. Nobody can disable themselves.
func (s *Service) SetDisabled(ctx context.Context, id int64, disabled bool) error {
	a := actor.FromContext(ctx)
	if a == nil {
		return errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	if id == a.UserID {
		return errs.E(errs.Invalid, "err.user.self")
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.manageable(ctx, a, id)
		if err != nil {
			return err
		}
		if u.Disabled == disabled {
			return nil
		}
		before := userView(u)
		u.Disabled = disabled
		if err := s.Store.UpdateUser(ctx, u); err != nil {
			return err
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
			if err := s.Store.DeleteUserSessions(ctx, id); err != nil {
				return err
			}
			if err := s.Store.RevokeUserTokens(ctx, id, s.Now()); err != nil {
				return err
			}
		}
		return s.record(ctx, action, "user", id, before, userView(u))
	})
}

// ResetPassword sets a temporary password that the user must change at next login, and ends the
// user's sessions. It also lifts a lock-out.
func (s *Service) ResetPassword(ctx context.Context, id int64, temp string) error {
	a := actor.FromContext(ctx)
	if a == nil {
		return errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	pol, err := s.Policy(ctx)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.manageable(ctx, a, id)
		if err != nil {
			return err
		}
		if probs := PasswordProblems(temp, u.Username, pol); len(probs) > 0 {
			return errs.E(errs.Invalid, probs[0], errs.Field("password", probs[0]))
		}
		if err := s.setPassword(ctx, u, temp, true); err != nil {
			return err
		}
		u.FailedLogins = 0
		u.LockedUntil = time.Time{}
		if err := s.Store.RecordLogin(ctx, u); err != nil {
			return err
		}
		if err := s.Store.DeleteUserSessions(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, "user.password_reset", "user", id, nil, nil)
	})
}

// SetRoles replaces a user's roles under the rules of checkGrant.
func (s *Service) SetRoles(ctx context.Context, id int64, roles []string) error {
	a := actor.FromContext(ctx)
	if a == nil {
		return errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	if !a.Can(PermRoleAssign) && !a.Can(PermUserManage) {
		s.Denied(ctx, "user.roles", "user", itoa(id))
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	roles = slices.Compact(slices.Sorted(slices.Values(roles)))
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.Store.User(ctx, id)
		if err != nil {
			return err
		}
		if !a.InScope(u.OrgPath) {
			return errs.E(errs.NotFound, "err.not_found")
		}
		if id == a.UserID {
			s.Denied(ctx, "user.roles", "user", itoa(id))
			return errs.E(errs.Forbidden, "err.role.self")
		}
		if err := s.checkGrant(a, u.Roles, roles); err != nil {
			return err
		}
		before := userView(u)
		if err := s.Store.SetUserRoles(ctx, id, roles); err != nil {
			return err
		}
		u.Roles = roles
		// A change of roles changes what the sessions may do; they end so that nothing runs on old grants.
		if err := s.Store.DeleteUserSessions(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, "user.roles", "user", id, before, userView(u))
	})
}

// checkGrant enforces 三员分立 on a change of roles from old to new: at most one administrator role per
// account; granting or removing an administrator role or a custom role needs role.assign (the
// security administrator); the system administrator (user.manage) may change the built-in business
// roles only.
func (s *Service) checkGrant(a *actor.Actor, old, new []string) error {
	admins := 0
	for _, r := range new {
		if IsAdminRole(r) {
			admins++
		}
	}
	if admins > 1 {
		return errs.E(errs.Invalid, "err.role.sod", errs.Field("roles", "err.role.sod"))
	}
	if a.Can(PermRoleAssign) {
		return nil
	}
	changed := map[string]bool{}
	for _, r := range old {
		if !slices.Contains(new, r) {
			changed[r] = true
		}
	}
	for _, r := range new {
		if !slices.Contains(old, r) {
			changed[r] = true
		}
	}
	for r := range changed {
		if _, builtin := Builtin(r); !builtin || IsAdminRole(r) {
			return errs.E(errs.Forbidden, "err.role.assign_forbidden", errs.Field("roles", "err.role.assign_forbidden"))
		}
	}
	return nil
}

// Unlock lifts a lock-out early (security administrator).
func (s *Service) Unlock(ctx context.Context, id int64) error {
	a, err := s.need(ctx, PermSecurityPolicy)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.Store.User(ctx, id)
		if err != nil {
			return err
		}
		if !a.InScope(u.OrgPath) {
			return errs.E(errs.NotFound, "err.not_found")
		}
		u.FailedLogins = 0
		u.LockedUntil = time.Time{}
		if err := s.Store.RecordLogin(ctx, u); err != nil {
			return err
		}
		return s.record(ctx, "user.unlock", "user", id, nil, nil)
	})
}
