package store

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
)

func (s IAM) toRoles(ctx context.Context, rows []roleRow) ([]*iam.Role, error) {
	out := make([]*iam.Role, len(rows))
	byID := map[int64]*iam.Role{}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = &iam.Role{ID: r.ID, Code: r.Code, Name: r.Name, NameEN: r.NameEN, Description: r.Description,
			Builtin: r.Builtin, Version: r.Version}
		byID[r.ID], ids[i] = out[i], r.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var perms []rolePermRow
	if err := s.r(ctx).NewSelect().Model(&perms).Where("role_id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	for _, p := range perms {
		byID[p.RoleID].Perms = append(byID[p.RoleID].Perms, p.Permission)
	}
	for _, r := range out {
		slices.SortFunc(r.Perms, func(a, b string) int {
			return slices.Index(iam.AllPermissions, a) - slices.Index(iam.AllPermissions, b)
		})
	}
	return out, nil
}

func (s IAM) oneRole(ctx context.Context, where string, arg any) (*iam.Role, error) {
	var rows []roleRow
	if err := s.r(ctx).NewSelect().Model(&rows).Where(where, arg).Scan(ctx); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, errs.E(errs.NotFound, "err.not_found")
	}
	rs, err := s.toRoles(ctx, rows)
	if err != nil {
		return nil, err
	}
	return rs[0], nil
}

// Role loads one role with its permissions.
func (s IAM) Role(ctx context.Context, id int64) (*iam.Role, error) {
	return s.oneRole(ctx, "id = ?", id)
}

// RoleByCode loads a role by code.
func (s IAM) RoleByCode(ctx context.Context, code string) (*iam.Role, error) {
	return s.oneRole(ctx, "code = ?", code)
}

// Roles lists built-in roles first, then custom ones by name.
func (s IAM) Roles(ctx context.Context) ([]*iam.Role, error) {
	var rows []roleRow
	if err := s.r(ctx).NewSelect().Model(&rows).OrderExpr("builtin DESC, id").Scan(ctx); err != nil {
		return nil, err
	}
	return s.toRoles(ctx, rows)
}

// CreateRole inserts r with its permissions.
func (s IAM) CreateRole(ctx context.Context, r *iam.Role) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		row := &roleRow{Code: r.Code, Name: r.Name, NameEN: r.NameEN, Description: r.Description,
			Builtin: r.Builtin, Version: 1, CreatedAt: s.Now().UTC()}
		if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return classify(err, "role")
		}
		r.ID, r.Version = row.ID, 1
		return s.setPerms(ctx, r.ID, r.Perms)
	})
}

// UpdateRole saves r and its permissions, checking the version.
func (s IAM) UpdateRole(ctx context.Context, r *iam.Role) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		res, err := s.w(ctx).NewUpdate().Model((*roleRow)(nil)).Set("name = ?", r.Name).Set("name_en = ?", r.NameEN).
			Set("description = ?", r.Description).Set("version = version + 1").
			Where("id = ? AND version = ?", r.ID, r.Version).Exec(ctx)
		if err != nil {
			return classify(err, "role")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.Conflict, "err.stale")
		}
		r.Version++
		return s.setPerms(ctx, r.ID, r.Perms)
	})
}

func (s IAM) setPerms(ctx context.Context, roleID int64, perms []string) error {
	if _, err := s.w(ctx).NewDelete().Model((*rolePermRow)(nil)).Where("role_id = ?", roleID).Exec(ctx); err != nil {
		return err
	}
	if len(perms) == 0 {
		return nil
	}
	rows := make([]rolePermRow, len(perms))
	for i, p := range perms {
		rows[i] = rolePermRow{RoleID: roleID, Permission: p}
	}
	_, err := s.w(ctx).NewInsert().Model(&rows).Exec(ctx)
	return err
}

// DeleteRole removes a custom role.
func (s IAM) DeleteRole(ctx context.Context, id int64) error {
	_, err := s.w(ctx).NewDelete().Model((*roleRow)(nil)).Where("id = ? AND builtin = ?", id, false).Exec(ctx)
	return classify(err, "role")
}

// RoleHolders counts the users holding a role.
func (s IAM) RoleHolders(ctx context.Context, code string) (int, error) {
	return count(ctx, s.r(ctx).NewSelect().TableExpr("user_roles AS ur").Join("JOIN roles AS r ON r.id = ur.role_id").
		Where("r.code = ?", code))
}

// PermsOf returns the union of the permissions of the given roles.
func (s IAM) PermsOf(ctx context.Context, codes []string) ([]string, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	var perms []string
	err := s.r(ctx).NewSelect().TableExpr("role_permissions AS rp").ColumnExpr("DISTINCT rp.permission").
		Join("JOIN roles AS r ON r.id = rp.role_id").Where("r.code IN (?)", bun.In(codes)).Scan(ctx, &perms)
	return perms, err
}
