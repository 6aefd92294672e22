package store

import (
	"context"
	"strconv"

	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
)

func toOrgUnit(r *orgUnitRow) *iam.OrgUnit {
	return &iam.OrgUnit{ID: r.ID, ParentID: valID(r.ParentID), Name: r.Name, Code: r.Code,
		Kind: iam.OrgKind(r.Kind), Path: r.Path, Sort: r.Sort, Version: r.Version}
}

// OrgUnit loads one unit.
func (s IAM) OrgUnit(ctx context.Context, id int64) (*iam.OrgUnit, error) {
	var row orgUnitRow
	if err := s.r(ctx).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, classify(err, "org")
	}
	return toOrgUnit(&row), nil
}

// OrgUnits lists the units under scope in tree order (by path, then sort order within a parent).
func (s IAM) OrgUnits(ctx context.Context, scope string) ([]*iam.OrgUnit, error) {
	var rows []orgUnitRow
	q := s.r(ctx).NewSelect().Model(&rows)
	if scope != "" {
		q.Where("path LIKE ?", likePrefix(scope))
	}
	if err := q.OrderExpr("path").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*iam.OrgUnit, len(rows))
	for i := range rows {
		out[i] = toOrgUnit(&rows[i])
	}
	return sortTree(out), nil
}

// sortTree orders units depth-first, siblings by Sort then name, so the list reads as a tree.
func sortTree(units []*iam.OrgUnit) []*iam.OrgUnit {
	children := map[int64][]*iam.OrgUnit{}
	ids := map[int64]bool{}
	for _, u := range units {
		ids[u.ID] = true
	}
	var roots []*iam.OrgUnit
	for _, u := range units {
		if ids[u.ParentID] {
			children[u.ParentID] = append(children[u.ParentID], u)
		} else {
			roots = append(roots, u)
		}
	}
	less := func(list []*iam.OrgUnit) {
		for i := 1; i < len(list); i++ {
			for j := i; j > 0 && (list[j].Sort < list[j-1].Sort || list[j].Sort == list[j-1].Sort && list[j].Name < list[j-1].Name); j-- {
				list[j], list[j-1] = list[j-1], list[j]
			}
		}
	}
	out := make([]*iam.OrgUnit, 0, len(units))
	var walk func([]*iam.OrgUnit)
	walk = func(list []*iam.OrgUnit) {
		less(list)
		for _, u := range list {
			out = append(out, u)
			walk(children[u.ID])
		}
	}
	walk(roots)
	return out
}

// CreateOrgUnit inserts u under its parent and sets its ID and materialised path.
func (s IAM) CreateOrgUnit(ctx context.Context, u *iam.OrgUnit) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		parentPath := "/"
		if u.ParentID != 0 {
			p, err := s.OrgUnit(ctx, u.ParentID)
			if err != nil {
				return err
			}
			parentPath = p.Path
		}
		now := s.Now().UTC()
		row := &orgUnitRow{ParentID: ptrID(u.ParentID), Name: u.Name, Code: u.Code, Kind: string(u.Kind),
			Sort: u.Sort, Version: 1, CreatedAt: now, UpdatedAt: now}
		if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return classify(err, "org")
		}
		row.Path = parentPath + strconv.FormatInt(row.ID, 10) + "/"
		if _, err := s.w(ctx).NewUpdate().Model(row).Column("path").WherePK().Exec(ctx); err != nil {
			return err
		}
		u.ID, u.Path, u.Version = row.ID, row.Path, 1
		return nil
	})
}

// UpdateOrgUnit saves u (checking its version). When u moved, the paths of its whole subtree follow.
func (s IAM) UpdateOrgUnit(ctx context.Context, u *iam.OrgUnit, oldPath string) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		res, err := s.w(ctx).NewUpdate().Model((*orgUnitRow)(nil)).
			Set("parent_id = ?", ptrID(u.ParentID)).Set("name = ?", u.Name).Set("code = ?", u.Code).
			Set("kind = ?", u.Kind).Set("sort = ?", u.Sort).Set("path = ?", u.Path).
			Set("version = version + 1").Set("updated_at = ?", s.Now().UTC()).
			Where("id = ? AND version = ?", u.ID, u.Version).Exec(ctx)
		if err != nil {
			return classify(err, "org")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.Conflict, "err.stale")
		}
		u.Version++
		if oldPath == u.Path {
			return nil
		}
		_, err = s.w(ctx).NewUpdate().Model((*orgUnitRow)(nil)).
			Set("path = ? || SUBSTR(path, ?)", u.Path, len(oldPath)+1).
			Where("path LIKE ? AND id <> ?", likePrefix(oldPath), u.ID).Exec(ctx)
		return err
	})
}

// DeleteOrgUnit removes an empty unit.
func (s IAM) DeleteOrgUnit(ctx context.Context, id int64) error {
	_, err := s.w(ctx).NewDelete().Model((*orgUnitRow)(nil)).Where("id = ?", id).Exec(ctx)
	return classify(err, "org")
}

// OrgUnitUsage counts what still hangs on a unit: child units and users.
func (s IAM) OrgUnitUsage(ctx context.Context, id int64) (children, users int, err error) {
	children, err = count(ctx, s.r(ctx).NewSelect().Model((*orgUnitRow)(nil)).Where("parent_id = ?", id))
	if err != nil {
		return 0, 0, err
	}
	users, err = count(ctx, s.r(ctx).NewSelect().Model((*userRow)(nil)).Where("org_unit_id = ?", id))
	return children, users, err
}
