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

// GroupHas reports whether the group exists and, for a non-zero user, whether the user is a member.
func (d Directory) GroupHas(ctx context.Context, groupID, userID int64) (bool, error) {
	q := d.r(ctx).NewSelect().TableExpr("support_groups AS g").Where("g.id = ?", groupID)
	if userID != 0 {
		q.Where("EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id AND m.user_id = ?)", userID)
	}
	return q.Exists(ctx)
}
