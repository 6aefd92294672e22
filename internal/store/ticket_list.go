package store

import (
	"context"

	"github.com/uptrace/bun"

	"opsdesk/internal/search"
	"opsdesk/internal/ticket"
)

// List returns a page of tickets matching f in f.Sort order, after f.After when set.
func (s Tickets) List(ctx context.Context, f ticket.Filter) ([]*ticket.Ticket, error) {
	var rows []ticketRow
	q := s.r(ctx).NewSelect().Model(&rows)
	if f.Scope != "" {
		q.Where("t.org_path LIKE ?", likePrefix(f.Scope))
	}
	if len(f.Statuses) > 0 {
		st := make([]string, len(f.Statuses))
		for i, x := range f.Statuses {
			st[i] = string(x)
		}
		q.Where("t.status IN (?)", bun.In(st))
	}
	for col, v := range map[string]int64{"t.group_id": f.GroupID, "t.assignee_id": f.AssigneeID, "t.requester_id": f.RequesterID,
		"t.owner_id": f.OwnerID, "t.category_id": f.CategoryID, "t.priority": int64(f.Priority)} {
		if v != 0 {
			q.Where("? = ?", bun.Ident(col), v)
		}
	}
	if len(f.GroupIDs) > 0 {
		q.Where("t.group_id IN (?)", bun.In(f.GroupIDs))
	}
	if me := f.ConfidentialFor; me != 0 {
		q.Where(`(NOT t.confidential OR t.requester_id = ? OR t.owner_id = ? OR t.assignee_id = ?
			OR EXISTS (SELECT 1 FROM ticket_watchers w WHERE w.ticket_id = t.id AND w.user_id = ?))`, me, me, me, me)
	}
	if f.Unassigned {
		q.Where("t.assignee_id IS NULL")
	}
	if f.Type != "" {
		q.Where("t.type = ?", string(f.Type))
	}
	if !f.CreatedAfter.IsZero() {
		q.Where("t.created_at >= ?", f.CreatedAfter.UTC())
	}
	if !f.CreatedBefore.IsZero() {
		q.Where("t.created_at < ?", f.CreatedBefore.UTC())
	}
	if terms := search.Query(f.Query); len(terms) > 0 {
		if s.IsPostgres() {
			matchPostgres(q, terms)
		} else {
			matchSQLite(q, terms)
		}
	}
	switch f.Sort {
	case ticket.ByNewest:
		if c := f.After; c != nil {
			q.Where("(t.created_at < ? OR (t.created_at = ? AND t.id < ?))", c.CreatedAt.UTC(), c.CreatedAt.UTC(), c.ID)
		}
		q.OrderExpr("t.created_at DESC, t.id DESC")
	case ticket.ByUpdated:
		if c := f.After; c != nil {
			q.Where("(t.updated_at < ? OR (t.updated_at = ? AND t.id < ?))", c.UpdatedAt.UTC(), c.UpdatedAt.UTC(), c.ID)
		}
		q.OrderExpr("t.updated_at DESC, t.id DESC")
	default:
		if c := f.After; c != nil {
			q.Where("(t.priority > ? OR (t.priority = ? AND (t.created_at > ? OR (t.created_at = ? AND t.id > ?))))",
				c.Priority, c.Priority, c.CreatedAt.UTC(), c.CreatedAt.UTC(), c.ID)
		}
		q.OrderExpr("t.priority, t.created_at, t.id")
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	if err := q.Limit(int64(f.Limit)).Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*ticket.Ticket, len(rows))
	for i := range rows {
		out[i] = toTicket(&rows[i])
	}
	return out, nil
}
