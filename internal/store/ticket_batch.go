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

// eventColumns are the columns of ticket_events that AddEvents writes.
var eventColumns = []boundColumn{{"ticket_id", "bigint"}, {"kind", "text"}, {"actor_id", "bigint"},
	{"from_group_id", "bigint"}, {"to_group_id", "bigint"}, {"from_user_id", "bigint"}, {"to_user_id", "bigint"},
	{"from_status", "text"}, {"to_status", "text"}, {"reason", "text"}, {"flagged", "boolean"}, {"at", "timestamptz"}}

// AddEvents appends steps to tickets' histories in one INSERT and sets their IDs, in the order
// given: the ids of one statement's rows are drawn in the order of its VALUES on both engines,
// whatever order RETURNING gives them back in.
func (s Tickets) AddEvents(ctx context.Context, es []*ticket.Event) error {
	if len(es) == 0 {
		return nil
	}
	rows := make([][]any, len(es))
	for i, e := range es {
		rows[i] = []any{e.TicketID, string(e.Kind), ptrID(e.ActorID), e.FromGroup, e.ToGroup, e.FromUser, e.ToUser,
			string(e.FromStatus), string(e.ToStatus), e.Reason, e.Flagged, e.At.UTC()}
	}
	// Bound values, not SQL text: a tick's history entries carry free-text reasons (see insertBound).
	ids, err := s.DB.insertBound(ctx, "ticket_events", eventColumns, rows)
	if err != nil {
		return classify(err, "event")
	}
	slices.Sort(ids)
	for i, e := range es {
		e.ID = ids[i]
	}
	return nil
}
