package store

import (
	"context"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
)

func (s IAM) groupQuery(ctx context.Context) *bun.SelectQuery {
	return s.r(ctx).NewSelect().Model((*groupRow)(nil)).ColumnExpr("g.*").
		ColumnExpr("COALESCE(m.name, '') AS manager_name").
		Join("LEFT JOIN users AS m ON m.id = g.manager_id")
}

func (s IAM) toGroups(ctx context.Context, rows []groupRow) ([]*iam.Group, error) {
	out := make([]*iam.Group, len(rows))
	ids := make([]int64, len(rows))
	byID := map[int64]*iam.Group{}
	for i, r := range rows {
		out[i] = &iam.Group{ID: r.ID, Name: r.Name, Code: r.Code, Tier: iam.Tier(r.Tier),
			ManagerID: valID(r.ManagerID), ManagerName: r.ManagerName, OrgUnitID: valID(r.OrgUnitID),
			Description: r.Description, Version: r.Version}
		ids[i] = r.ID
		byID[r.ID] = out[i]
	}
	if len(ids) == 0 {
		return out, nil
	}
	var members []groupMemberRow
	if err := s.r(ctx).NewSelect().Model(&members).Where("group_id IN (?)", bun.In(ids)).OrderExpr("group_id, user_id").Scan(ctx); err != nil {
		return nil, err
	}
	for _, m := range members {
		byID[m.GroupID].MemberIDs = append(byID[m.GroupID].MemberIDs, m.UserID)
	}
	return out, nil
}

// Group loads one group with its members.
func (s IAM) Group(ctx context.Context, id int64) (*iam.Group, error) {
	var rows []groupRow
	if err := s.groupQuery(ctx).Where("g.id = ?", id).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, errs.E(errs.NotFound, "err.not_found")
	}
	gs, err := s.toGroups(ctx, rows)
	if err != nil {
		return nil, err
	}
	return gs[0], nil
}

// Groups lists every group by tier and name.
func (s IAM) Groups(ctx context.Context) ([]*iam.Group, error) {
	var rows []groupRow
	if err := s.groupQuery(ctx).OrderExpr("g.tier, g.name").Scan(ctx, &rows); err != nil {
		return nil, err
	}
	return s.toGroups(ctx, rows)
}

// CreateGroup inserts g and its members.
func (s IAM) CreateGroup(ctx context.Context, g *iam.Group) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		now := s.Now().UTC()
		row := &groupRow{Name: g.Name, Code: g.Code, Tier: int(g.Tier), ManagerID: ptrID(g.ManagerID),
			OrgUnitID: ptrID(g.OrgUnitID), Description: g.Description, Version: 1, CreatedAt: now, UpdatedAt: now}
		if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return classify(err, "group")
		}
		g.ID, g.Version = row.ID, 1
		return s.setMembers(ctx, g.ID, g.MemberIDs)
	})
}

// UpdateGroup saves g and replaces its members, checking the version.
func (s IAM) UpdateGroup(ctx context.Context, g *iam.Group) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		res, err := s.w(ctx).NewUpdate().Model((*groupRow)(nil)).
			Set("name = ?", g.Name).Set("code = ?", g.Code).Set("tier = ?", g.Tier).
			Set("manager_id = ?", ptrID(g.ManagerID)).Set("org_unit_id = ?", ptrID(g.OrgUnitID)).
			Set("description = ?", g.Description).Set("version = version + 1").Set("updated_at = ?", s.Now().UTC()).
			Where("id = ? AND version = ?", g.ID, g.Version).Exec(ctx)
		if err != nil {
			return classify(err, "group")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.Conflict, "err.stale")
		}
		g.Version++
		return s.setMembers(ctx, g.ID, g.MemberIDs)
	})
}

func (s IAM) setMembers(ctx context.Context, groupID int64, userIDs []int64) error {
	if _, err := s.w(ctx).NewDelete().Model((*groupMemberRow)(nil)).Where("group_id = ?", groupID).Exec(ctx); err != nil {
		return err
	}
	if len(userIDs) == 0 {
		return nil
	}
	rows := make([]groupMemberRow, len(userIDs))
	for i, id := range userIDs {
		rows[i] = groupMemberRow{GroupID: groupID, UserID: id}
	}
	_, err := s.w(ctx).NewInsert().Model(&rows).Exec(ctx)
	return classify(err, "group")
}

// DeleteGroup removes a group and its memberships.
func (s IAM) DeleteGroup(ctx context.Context, id int64) error {
	_, err := s.w(ctx).NewDelete().Model((*groupRow)(nil)).Where("id = ?", id).Exec(ctx)
	return classify(err, "group")
}
