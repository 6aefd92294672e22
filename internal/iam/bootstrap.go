package iam

import (
	"context"
	"slices"

	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
)

// The accounts created on first start, one per administrator duty of 三员分立.
var firstAccounts = []struct{ Username, Name, Role string }{
	{"admin", "系统管理员", RoleSysAdmin},
	{"secadmin", "安全管理员", RoleSecAdmin},
	{"auditor", "安全审计员", RoleAuditor},
}

const setupKey = "setup_token"

// SyncBuiltinRoles creates the built-in roles that are missing and resets the permissions of those
// that drifted, recording each change. It runs at every start.
func (s *Service) SyncBuiltinRoles(ctx context.Context) error {
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		for _, b := range BuiltinRoles {
			perms := slices.Clone(b.Perms)
			slices.Sort(perms)
			r, err := s.Store.RoleByCode(ctx, b.Code)
			if errs.Is(err, errs.NotFound) {
				r = &Role{Code: b.Code, Name: b.Name, NameEN: b.NameEN, Description: b.Description, Builtin: true, Perms: perms}
				if err := s.Store.CreateRole(ctx, r); err != nil {
					return err
				}
				if err := s.record(ctx, "role.create", "role", r.ID, nil, r); err != nil {
					return err
				}
				continue
			}
			if err != nil {
				return err
			}
			have := slices.Sorted(slices.Values(r.Perms))
			if slices.Equal(have, perms) && r.Name == b.Name && r.NameEN == b.NameEN && r.Description == b.Description {
				continue
			}
			before := *r
			r.Name, r.NameEN, r.Description, r.Perms = b.Name, b.NameEN, b.Description, perms
			if err := s.Store.UpdateRole(ctx, r); err != nil {
				return err
			}
			if err := s.record(ctx, "role.sync", "role", r.ID, before, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// EnsureRoot creates the root of the organisation tree (总部) when the tree is empty, and returns it.
func (s *Service) EnsureRoot(ctx context.Context, name string) (*OrgUnit, error) {
	var root *OrgUnit
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		units, err := s.Store.OrgUnits(ctx, "")
		if err != nil {
			return err
		}
		if len(units) > 0 {
			root = units[0]
			return nil
		}
		root = &OrgUnit{Name: name, Code: "hq", Kind: OrgHQ}
		if err := s.Store.CreateOrgUnit(ctx, root); err != nil {
			return err
		}
		return s.record(ctx, "org.create", "org_unit", root.ID, nil, root)
	})
	return root, err
}

// FirstStart prepares an empty database. With a password it creates the three administrator
// accounts (admin keeps the password; secadmin and auditor must change it at first login) and returns
// "". Without one it returns a one-time setup token for the /setup page. On a database that already
// has users it does nothing and returns "".
func (s *Service) FirstStart(ctx context.Context, password string) (string, error) {
	if err := s.SyncBuiltinRoles(ctx); err != nil {
		return "", err
	}
	root, err := s.EnsureRoot(ctx, "总部")
	if err != nil {
		return "", err
	}
	n, err := s.Store.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	if password != "" {
		return "", s.createFirstAccounts(ctx, root.ID, []string{password, password, password}, false)
	}
	plain, hash := secret("")
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.SaveSetting(ctx, setupKey, hash); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{Action: "setup.token", Detail: "one-time setup link issued"})
	})
	return plain, err
}

// SetupPending reports whether the one-time setup link is still open.
func (s *Service) SetupPending(ctx context.Context) (bool, error) {
	var hash string
	ok, err := s.Store.Setting(ctx, setupKey, &hash)
	return ok && hash != "", err
}

// Setup consumes the one-time setup token and creates the three administrator accounts with the
// passwords given, in the order admin, secadmin, auditor.
func (s *Service) Setup(ctx context.Context, token string, passwords [3]string) error {
	pol, err := s.Policy(ctx)
	if err != nil {
		return err
	}
	var f errs.Fields
	for i, pw := range passwords {
		if probs := PasswordProblems(pw, firstAccounts[i].Username, pol); len(probs) > 0 {
			f.Add(firstAccounts[i].Username, probs[0])
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		var hash string
		ok, err := s.Store.Setting(ctx, setupKey, &hash)
		if err != nil {
			return err
		}
		if !ok || hash == "" || HashSecret(token) != hash {
			return errs.E(errs.Forbidden, "err.setup.token")
		}
		if err := s.Store.SaveSetting(ctx, setupKey, ""); err != nil {
			return err
		}
		root, err := s.EnsureRoot(ctx, "总部")
		if err != nil {
			return err
		}
		return s.createFirstAccounts(ctx, root.ID, passwords[:], true)
	})
}

func (s *Service) createFirstAccounts(ctx context.Context, rootID int64, passwords []string, chosen bool) error {
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		for i, fa := range firstAccounts {
			u := &User{Username: fa.Username, Name: fa.Name, OrgUnitID: rootID, Post: fa.Name,
				PasswordHash: HashPassword(passwords[i], s.Argon2), PasswordChangedAt: s.Now(),
				// When one password came from the environment, only admin keeps it.
				MustChangePassword: !chosen && i > 0}
			if err := s.Store.CreateUser(ctx, u); err != nil {
				return err
			}
			if err := s.Store.AddPasswordHistory(ctx, u.ID, u.PasswordHash, s.Now()); err != nil {
				return err
			}
			if err := s.Store.SetUserRoles(ctx, u.ID, []string{fa.Role}); err != nil {
				return err
			}
			u.Roles = []string{fa.Role}
			if err := s.record(ctx, "user.create", "user", u.ID, nil, userView(u)); err != nil {
				return err
			}
		}
		return nil
	})
}
