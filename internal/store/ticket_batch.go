package store

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// GetMany loads several tickets with their watchers in two queries, in the order of ids;
// errs.NotFound when one of them is absent.
func (s Tickets) GetMany(ctx context.Context, ids []int64) ([]*ticket.Ticket, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []ticketRow
	if err := s.r(ctx).NewSelect().Model(&rows).Where("t.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	byID := make(map[int64]*ticket.Ticket, len(rows))
	for i := range rows {
		byID[rows[i].ID] = toTicket(&rows[i])
	}
	var watchers []struct{ TicketID, UserID int64 }
	err := s.r(ctx).NewSelect().Table("ticket_watchers").Column("ticket_id", "user_id").Where("ticket_id IN (?)", bun.In(ids)).
		OrderExpr("ticket_id, user_id").Scan(ctx, &watchers)
	if err != nil {
		return nil, err
	}
	for _, w := range watchers {
		if t := byID[w.TicketID]; t != nil {
			t.Watchers = append(t.Watchers, w.UserID)
		}
	}
	out := make([]*ticket.Ticket, len(ids))
	for i, id := range ids {
		if out[i] = byID[id]; out[i] == nil {
			return nil, errs.E(errs.NotFound, "err.not_found")
		}
	}
	return out, nil
}

// AddEvents appends steps to tickets' histories in one INSERT and sets their IDs, in the order
// given: the ids of one statement's rows are drawn in the order of its VALUES on both engines,
// whatever order RETURNING gives them back in.
func (s Tickets) AddEvents(ctx context.Context, es []*ticket.Event) error {
	if len(es) == 0 {
		return nil
	}
	rows := make([]ticketEventRow, len(es))
	for i, e := range es {
		rows[i] = ticketEventRow{TicketID: e.TicketID, Kind: string(e.Kind), ActorID: ptrID(e.ActorID), FromGroupID: e.FromGroup,
			ToGroupID: e.ToGroup, FromUserID: e.FromUser, ToUserID: e.ToUser, FromStatus: string(e.FromStatus),
			ToStatus: string(e.ToStatus), Reason: e.Reason, Flagged: e.Flagged, At: e.At.UTC()}
	}
	if _, err := s.w(ctx).NewInsert().Model(&rows).Returning("id").Exec(ctx); err != nil {
		return classify(err, "event")
	}
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	slices.Sort(ids)
	for i, e := range es {
		e.ID = ids[i]
	}
	return nil
}
