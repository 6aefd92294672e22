package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

type ticketViewRow struct {
	bun.BaseModel `bun:"table:ticket_views,alias:v"`
	ID            int64 `bun:",pk,autoincrement"`
	OwnerID       int64
	ShareGroupID  *int64
	Name          string
	Tab           string
	Status        string
	Priority      int
	Type          string
	GroupID       int64
	CategoryID    int64
	Q             string `bun:"q"`
	Sort          string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func fromView(v *ticket.View) *ticketViewRow {
	f := v.Filter
	return &ticketViewRow{ID: v.ID, OwnerID: v.OwnerID, ShareGroupID: ptrID(v.ShareGroupID), Name: v.Name, Tab: f.Tab,
		Status: f.Status, Priority: int(f.Priority), Type: string(f.Type), GroupID: f.GroupID, CategoryID: f.CategoryID,
		Q: f.Query, Sort: string(f.Sort), CreatedAt: v.CreatedAt.UTC(), UpdatedAt: v.UpdatedAt.UTC()}
}

func toView(r *ticketViewRow) *ticket.View {
	return &ticket.View{ID: r.ID, OwnerID: r.OwnerID, ShareGroupID: valID(r.ShareGroupID), Name: r.Name,
		Filter: ticket.ViewFilter{Tab: r.Tab, Status: r.Status, Priority: ticket.Priority(r.Priority), Type: ticket.Type(r.Type),
			GroupID: r.GroupID, CategoryID: r.CategoryID, Query: r.Q, Sort: ticket.Sort(r.Sort)},
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// Views lists the views a user owns and those shared with a support group the user belongs to.
func (s Tickets) Views(ctx context.Context, userID int64) ([]*ticket.View, error) {
	var rows []ticketViewRow
	err := s.r(ctx).NewSelect().Model(&rows).
		Where("v.owner_id = ? OR v.share_group_id IN (SELECT m.group_id FROM group_members m WHERE m.user_id = ?)", userID, userID).
		OrderExpr("v.id").Scan(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*ticket.View, len(rows))
	for i := range rows {
		out[i] = toView(&rows[i])
	}
	return out, nil
}

// SaveView inserts a view (ID 0) or updates it; a name the owner already uses is errs.Conflict.
func (s Tickets) SaveView(ctx context.Context, v *ticket.View) error {
	row := fromView(v)
	if v.ID == 0 {
		_, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx)
		v.ID = row.ID
		return classify(err, "ticket_view")
	}
	res, err := s.w(ctx).NewUpdate().Model(row).ExcludeColumn("id", "owner_id", "created_at").WherePK().Exec(ctx)
	if err != nil {
		return classify(err, "ticket_view")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "err.not_found")
	}
	return nil
}

// DeleteView removes a view; errs.NotFound when there is none.
func (s Tickets) DeleteView(ctx context.Context, id int64) error {
	res, err := s.w(ctx).NewDelete().Model((*ticketViewRow)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "err.not_found")
	}
	return nil
}
