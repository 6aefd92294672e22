package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

var _ ticket.VisitStore = Tickets{}

type ticketVisitRow struct {
	bun.BaseModel `bun:"table:ticket_visits,alias:v"`
	ID            int64 `bun:",pk,autoincrement"`
	TicketID      int64
	EngineerID    *int64
	PlannedAt     time.Time
	Address       string
	ArrivedAt     *time.Time
	CompletedAt   *time.Time
	WorkLog       string
	Parts         string
	ConfirmedAt   *time.Time
	ConfirmedBy   *int64
	ConfirmNote   string
	CreatedAt     time.Time
	Version       int
}

func fromVisit(v *ticket.Visit) *ticketVisitRow {
	return &ticketVisitRow{ID: v.ID, TicketID: v.TicketID, EngineerID: ptrID(v.EngineerID), PlannedAt: v.PlannedAt.UTC(),
		Address: v.Address, ArrivedAt: ptrTime(v.ArrivedAt), CompletedAt: ptrTime(v.CompletedAt), WorkLog: v.WorkLog,
		Parts: v.Parts, ConfirmedAt: ptrTime(v.ConfirmedAt), ConfirmedBy: ptrID(v.ConfirmedBy), ConfirmNote: v.ConfirmNote,
		CreatedAt: v.CreatedAt.UTC(), Version: v.Version}
}

func toVisit(r *ticketVisitRow) *ticket.Visit {
	return &ticket.Visit{ID: r.ID, TicketID: r.TicketID, EngineerID: valID(r.EngineerID), PlannedAt: r.PlannedAt.UTC(),
		Address: r.Address, ArrivedAt: valTime(r.ArrivedAt), CompletedAt: valTime(r.CompletedAt), WorkLog: r.WorkLog,
		Parts: r.Parts, ConfirmedAt: valTime(r.ConfirmedAt), ConfirmedBy: valID(r.ConfirmedBy), ConfirmNote: r.ConfirmNote,
		CreatedAt: r.CreatedAt.UTC(), Version: r.Version}
}

// CreateVisit inserts a planned visit and sets its ID and Version.
func (s Tickets) CreateVisit(ctx context.Context, v *ticket.Visit) error {
	row := fromVisit(v)
	row.ID, row.Version = 0, 1
	if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return classify(err, "visit")
	}
	v.ID, v.Version = row.ID, 1
	return nil
}

// Visit loads one visit.
func (s Tickets) Visit(ctx context.Context, id int64) (*ticket.Visit, error) {
	var row ticketVisitRow
	if err := s.r(ctx).NewSelect().Model(&row).Where("v.id = ?", id).Scan(ctx); err != nil {
		return nil, classify(err, "visit")
	}
	return toVisit(&row), nil
}

// UpdateVisit saves v when its version is current and bumps the version.
func (s Tickets) UpdateVisit(ctx context.Context, v *ticket.Visit) error {
	row := fromVisit(v)
	row.Version = v.Version + 1
	res, err := s.w(ctx).NewUpdate().Model(row).ExcludeColumn("id", "ticket_id", "created_at").
		Where("id = ? AND version = ?", v.ID, v.Version).Exec(ctx)
	if err != nil {
		return classify(err, "visit")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.Conflict, "err.stale")
	}
	v.Version++
	return nil
}

// Visits lists a ticket's visits in planned order.
func (s Tickets) Visits(ctx context.Context, ticketID int64) ([]*ticket.Visit, error) {
	var rows []ticketVisitRow
	if err := s.r(ctx).NewSelect().Model(&rows).Where("ticket_id = ?", ticketID).OrderExpr("planned_at, id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*ticket.Visit, len(rows))
	for i := range rows {
		out[i] = toVisit(&rows[i])
	}
	return out, nil
}
