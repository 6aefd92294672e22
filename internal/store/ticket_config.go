package store

import (
	"context"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

type ticketCategoryRow struct {
	bun.BaseModel `bun:"table:ticket_categories"`
	ID            int64 `bun:",pk,autoincrement"`
	ParentID      *int64
	Name          string
	NameEN        string `bun:"name_en"`
	Sort          int
	Active        bool
}

// Categories lists the category tree: top level first, each level in sort order.
func (s Tickets) Categories(ctx context.Context) ([]*ticket.Category, error) {
	var rows []ticketCategoryRow
	if err := s.r(ctx).NewSelect().Model(&rows).OrderExpr("parent_id IS NOT NULL, sort, id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*ticket.Category, len(rows))
	for i, r := range rows {
		out[i] = &ticket.Category{ID: r.ID, ParentID: valID(r.ParentID), Name: r.Name, NameEN: r.NameEN, Sort: r.Sort, Active: r.Active, Version: 1}
	}
	return out, nil
}

// Category returns one category.
func (s Tickets) Category(ctx context.Context, id int64) (*ticket.Category, error) {
	var r ticketCategoryRow
	if err := s.r(ctx).NewSelect().Model(&r).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, classify(err, "category")
	}
	return &ticket.Category{ID: r.ID, ParentID: valID(r.ParentID), Name: r.Name, NameEN: r.NameEN, Sort: r.Sort, Active: r.Active, Version: 1}, nil
}

// SaveCategory inserts or updates a category.
func (s Tickets) SaveCategory(ctx context.Context, c *ticket.Category) error {
	row := &ticketCategoryRow{ID: c.ID, ParentID: ptrID(c.ParentID), Name: c.Name, NameEN: c.NameEN, Sort: c.Sort, Active: c.Active}
	if c.ID == 0 {
		_, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx)
		c.ID = row.ID
		return classify(err, "category")
	}
	_, err := s.w(ctx).NewUpdate().Model(row).WherePK().Exec(ctx)
	return classify(err, "category")
}

type dispatchRuleRow struct {
	bun.BaseModel `bun:"table:dispatch_rules"`
	ID            int64 `bun:",pk,autoincrement"`
	Sort          int
	Name          string
	CategoryID    *int64
	Channel       string
	Location      string
	Keyword       string
	GroupID       int64
	Active        bool
	Version       int
}

// DispatchRules lists the rules in the order they are tried.
func (s Tickets) DispatchRules(ctx context.Context) ([]*ticket.Rule, error) {
	var rows []dispatchRuleRow
	if err := s.r(ctx).NewSelect().Model(&rows).OrderExpr("sort, id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*ticket.Rule, len(rows))
	for i, r := range rows {
		out[i] = &ticket.Rule{ID: r.ID, Sort: r.Sort, Name: r.Name, CategoryID: valID(r.CategoryID), Channel: ticket.Channel(r.Channel),
			Location: r.Location, Keyword: r.Keyword, GroupID: r.GroupID, Active: r.Active, Version: r.Version}
	}
	return out, nil
}

// SaveRule inserts a rule (ID 0) or updates it at its version.
func (s Tickets) SaveRule(ctx context.Context, r *ticket.Rule) error {
	row := &dispatchRuleRow{ID: r.ID, Sort: r.Sort, Name: r.Name, CategoryID: ptrID(r.CategoryID), Channel: string(r.Channel),
		Location: r.Location, Keyword: r.Keyword, GroupID: r.GroupID, Active: r.Active, Version: r.Version + 1}
	if r.ID == 0 {
		row.Version = 1
		_, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx)
		r.ID, r.Version = row.ID, 1
		return classify(err, "rule")
	}
	res, err := s.w(ctx).NewUpdate().Model(row).WherePK().Where("version = ?", r.Version).Exec(ctx)
	if err != nil {
		return classify(err, "rule")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.Conflict, "err.stale")
	}
	r.Version++
	return nil
}

// DeleteRule removes a rule; errs.NotFound when there is none.
func (s Tickets) DeleteRule(ctx context.Context, id int64) error {
	res, err := s.w(ctx).NewDelete().Model((*dispatchRuleRow)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "err.not_found")
	}
	return nil
}

const settingsKey = "ticket.settings"

// Settings loads the service-desk settings into set; it is left as is when never saved.
func (s Tickets) Settings(ctx context.Context, set *ticket.Settings) error {
	_, err := IAM(s).Setting(ctx, settingsKey, set)
	return err
}

// SaveSettings stores the service-desk settings.
func (s Tickets) SaveSettings(ctx context.Context, set *ticket.Settings) error {
	return IAM(s).SaveSetting(ctx, settingsKey, set)
}
