package store

import (
	"context"
	"strings"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

var _ ticket.Escalation = Directory{}

// NextTierGroup returns the support group of the tier closest in the organisation to fromGroupID:
// the one whose unit shares the longest path with that group's unit (the same unit first, then its
// nearest ancestor's or a sibling's), ties to the lowest id; a group without a unit counts as at the
// root. Support groups are few (tens), so they are compared here rather than in SQL.
func (d Directory) NextTierGroup(ctx context.Context, fromGroupID int64, tier int) (int64, error) {
	type row struct {
		ID   int64
		Path string
	}
	var from string
	if fromGroupID != 0 {
		var rows []row
		err := d.r(ctx).NewSelect().TableExpr("support_groups AS g").ColumnExpr("g.id, COALESCE(ou.path, '') AS path").
			Join("LEFT JOIN org_units AS ou ON ou.id = g.org_unit_id").Where("g.id = ?", fromGroupID).Scan(ctx, &rows)
		if err != nil {
			return 0, err
		}
		if len(rows) > 0 {
			from = rows[0].Path
		}
	}
	var rows []row
	err := d.r(ctx).NewSelect().TableExpr("support_groups AS g").ColumnExpr("g.id, COALESCE(ou.path, '') AS path").
		Join("LEFT JOIN org_units AS ou ON ou.id = g.org_unit_id").Where("g.tier = ?", tier).OrderExpr("g.id").Scan(ctx, &rows)
	if err != nil {
		return 0, err
	}
	best, bestShared := int64(0), -1
	for _, r := range rows {
		if n := sharedUnits(from, r.Path); n > bestShared {
			best, bestShared = r.ID, n
		}
	}
	if best == 0 {
		return 0, errs.E(errs.NotFound, "err.group.unknown")
	}
	return best, nil
}

// sharedUnits counts the organisation units two materialised paths ("/1/4/9/") have in common from
// the root.
func sharedUnits(a, b string) int {
	as, bs := strings.Split(strings.Trim(a, "/"), "/"), strings.Split(strings.Trim(b, "/"), "/")
	n := 0
	for n < len(as) && n < len(bs) && as[n] != "" && as[n] == bs[n] {
		n++
	}
	return n
}

// ManagerAbove returns the manager one level up from a manager (逐级上报): the manager of a support
// group the user is an active member of and does not manage, preferring the higher support line,
// then the lowest id; 0 when there is none.
func (d Directory) ManagerAbove(ctx context.Context, managerID int64) (int64, error) {
	var ids []int64
	err := d.r(ctx).NewSelect().TableExpr("group_members AS m").ColumnExpr("g.manager_id").
		Join("JOIN support_groups AS g ON g.id = m.group_id").
		Join("JOIN users AS u ON u.id = g.manager_id").
		Where("m.user_id = ? AND g.manager_id <> ? AND NOT u.disabled", managerID, managerID).
		OrderExpr("g.tier DESC, g.id").Limit(1).Scan(ctx, &ids)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}
