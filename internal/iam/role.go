package iam

import (
	"context"
	"slices"
	"strings"

	"opsdesk/internal/errs"
)

// RoleInput is what the security administrator gives to define a custom role.
type RoleInput struct {
	Code, Name, NameEN, Description string
	Perms                           []string
}

func (in *RoleInput) check() error {
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	in.NameEN, in.Description = strings.TrimSpace(in.NameEN), strings.TrimSpace(in.Description)
	in.Perms = slices.Compact(slices.Sorted(slices.Values(in.Perms)))
	var f errs.Fields
	if !codeRE.MatchString(in.Code) {
		f.Add("code", "err.code")
	}
	f.Line("name", in.Name, 1, 64)
	f.Line("name_en", in.NameEN, 0, 64)
	f.Line("description", in.Description, 0, 500)
	for _, p := range in.Perms {
		if !IsPermission(p) {
			f.Add("perms", "err.role.perm_unknown")
			break
		}
	}
	// A custom role must not gather the duties that 三员分立 keeps apart.
	duties := 0
	for _, b := range []string{PermUserManage, PermRoleAssign, PermAuditRead} {
		if slices.Contains(in.Perms, b) {
			duties++
		}
	}
	if duties > 1 {
		f.Add("perms", "err.role.sod")
	}
	return f.Err()
}

// Roles lists all roles.
func (s *Service) Roles(ctx context.Context) ([]*Role, error) {
	if _, err := s.need(ctx, PermRoleRead); err != nil {
		return nil, err
	}
	return s.Store.Roles(ctx)
}

// Role returns one role.
func (s *Service) Role(ctx context.Context, id int64) (*Role, error) {
	if _, err := s.need(ctx, PermRoleRead); err != nil {
		return nil, err
	}
	return s.Store.Role(ctx, id)
}

// CreateRole defines a custom role.
func (s *Service) CreateRole(ctx context.Context, in RoleInput) (*Role, error) {
	if _, err := s.need(ctx, PermRoleManage); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	if _, builtin := Builtin(in.Code); builtin {
		return nil, errs.E(errs.Conflict, "err.role.exists", errs.Field("code", "err.role.exists"))
	}
	r := &Role{Code: in.Code, Name: in.Name, NameEN: in.NameEN, Description: in.Description, Perms: in.Perms}
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateRole(ctx, r); err != nil {
			return err
		}
		return s.record(ctx, "role.create", "role", r.ID, nil, r)
	})
	return r, err
}

// UpdateRole edits a custom role. Built-in roles are fixed: their permissions are what 三员分立 rests on.
func (s *Service) UpdateRole(ctx context.Context, id int64, version int, in RoleInput) (*Role, error) {
	if _, err := s.need(ctx, PermRoleManage); err != nil {
		return nil, err
	}
	var out *Role
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		r, err := s.Store.Role(ctx, id)
		if err != nil {
			return err
		}
		if r.Builtin {
			return errs.E(errs.Forbidden, "err.role.builtin")
		}
		in.Code = r.Code
		if err := in.check(); err != nil {
			return err
		}
		if r.Version != version {
			return errs.E(errs.Conflict, "err.stale")
		}
		before := *r
		r.Name, r.NameEN, r.Description, r.Perms = in.Name, in.NameEN, in.Description, in.Perms
		if err := s.Store.UpdateRole(ctx, r); err != nil {
			return err
		}
		out = r
		return s.record(ctx, "role.update", "role", id, before, r)
	})
	return out, err
}

// DeleteRole removes a custom role nobody holds.
func (s *Service) DeleteRole(ctx context.Context, id int64) error {
	if _, err := s.need(ctx, PermRoleManage); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		r, err := s.Store.Role(ctx, id)
		if err != nil {
			return err
		}
		if r.Builtin {
			return errs.E(errs.Forbidden, "err.role.builtin")
		}
		n, err := s.Store.RoleHolders(ctx, r.Code)
		if err != nil {
			return err
		}
		if n > 0 {
			return errs.E(errs.Conflict, "err.role.in_use")
		}
		if err := s.Store.DeleteRole(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, "role.delete", "role", id, r, nil)
	})
}
