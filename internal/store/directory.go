package store

import (
	"context"

	"opsdesk/internal/ticket"
)

// Directory implements ticket.Directory over the iam tables.
type Directory struct{ *DB }

var _ ticket.Directory = Directory{}

// Person returns a user's organisation path and state.
func (d Directory) Person(ctx context.Context, id int64) (*ticket.Person, error) {
	var row struct {
		Path     string
		Disabled bool
	}
	err := d.r(ctx).NewSelect().TableExpr("users AS u").ColumnExpr("ou.path, u.disabled").
		Join("JOIN org_units AS ou ON ou.id = u.org_unit_id").Where("u.id = ?", id).Scan(ctx, &row.Path, &row.Disabled)
	if err != nil {
		return nil, classify(err, "user")
	}
	return &ticket.Person{ID: id, OrgPath: row.Path, Disabled: row.Disabled}, nil
}

// Group returns a support group's tier, manager and active members.
func (d Directory) Group(ctx context.Context, id int64) (*ticket.Group, error) {
	g := &ticket.Group{ID: id}
	var manager *int64
	err := d.r(ctx).NewSelect().Table("support_groups").Column("tier", "manager_id").Where("id = ?", id).Scan(ctx, &g.Tier, &manager)
	if err != nil {
		return nil, classify(err, "group")
	}
	g.ManagerID = valID(manager)
	err = d.r(ctx).NewSelect().TableExpr("group_members AS m").Column("m.user_id").
		Join("JOIN users AS u ON u.id = m.user_id").Where("m.group_id = ? AND NOT u.disabled", id).
		OrderExpr("m.user_id").Scan(ctx, &g.Members)
	return g, err
}
