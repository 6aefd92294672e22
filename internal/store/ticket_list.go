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
	if byID(f) && !s.IsPostgres() {
		// FTS5 first (CROSS JOIN keeps it the outer loop), in rowid order, each match joined to its
		// ticket; the other conditions without the query, which this join answers.
		q.ModelTableExpr("ticket_fts AS f CROSS JOIN tickets AS t").Where("t.id = f.rowid").
			Where("f.ticket_fts MATCH ?", ftsQuery(search.Query(f.Query)))
		rest := f
		rest.Query = ""
		return s.page(ctx, s.where(q, rest), &rows, f)
	}
	return s.page(ctx, s.where(q, f), &rows, f)
}

// byID reports whether a list is a search newest first, which walks the matches in id order, newest
// id first, and stops at the page's end: a frequent word (打印, in a sixth of all tickets) is never
// collected and sorted whole. Ids follow creation (a ticket gets its id when it is saved), so this is
// the newest-first order; the cursor is the id alone.
func byID(f ticket.Filter) bool { return f.Sort == ticket.ByNewest && len(search.Query(f.Query)) > 0 }

// where adds the conditions of f, all but its sort and cursor, to q. List and Count share them, so
// that a count is the length of the list.
func (s Tickets) where(q *bun.SelectQuery, f ticket.Filter) *bun.SelectQuery {
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
	if !f.SLADueBefore.IsZero() {
		// "sla_due IS NOT NULL" lets SQLite use the partial index tickets_sla_due.
		q.Where("t.sla_due IS NOT NULL AND t.sla_due <= ?", f.SLADueBefore.UTC()).
			// Pending tickets are paused (every pending reason pauses the resolution clock): their stored
			// due time is only a projection, so they are not about to breach.
			Where("t.status NOT IN (?)", bun.In([]string{string(ticket.Pending), string(ticket.Resolved), string(ticket.Closed), string(ticket.Cancelled)}))
	}
	if terms := search.Query(f.Query); len(terms) > 0 {
		if s.IsPostgres() {
			matchPostgres(q, terms)
		} else {
			matchSQLite(q, terms)
		}
	}
	return q
}

// page orders q by f.Sort, continues after f.After and reads one page into rows.
func (s Tickets) page(ctx context.Context, q *bun.SelectQuery, rows *[]ticketRow, f ticket.Filter) ([]*ticket.Ticket, error) {
	switch {
	case byID(f):
		col := "t.id"
		if !s.IsPostgres() {
			col = "f.rowid" // FTS5 answers rowid ranges and order itself
		}
		if c := f.After; c != nil {
			q.Where("? < ?", bun.Safe(col), c.ID)
		}
		q.OrderExpr("? DESC", bun.Safe(col))
	case f.Sort == ticket.ByNewest:
		if c := f.After; c != nil {
			q.Where("(t.created_at < ? OR (t.created_at = ? AND t.id < ?))", c.CreatedAt.UTC(), c.CreatedAt.UTC(), c.ID)
		}
		q.OrderExpr("t.created_at DESC, t.id DESC")
	case f.Sort == ticket.ByUpdated:
		if c := f.After; c != nil {
			q.Where("(t.updated_at < ? OR (t.updated_at = ? AND t.id < ?))", c.UpdatedAt.UTC(), c.UpdatedAt.UTC(), c.ID)
		}
		q.OrderExpr("t.updated_at DESC, t.id DESC")
	case f.Sort == ticket.BySLA:
		s.bySLA(q, f)
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
	out := make([]*ticket.Ticket, len(*rows))
	for i := range *rows {
		out[i] = toTicket(&(*rows)[i])
	}
	return out, nil
}

// bySLA orders by SLA due time, soonest first, tickets without one last, ties by id; the cursor is
// (sla_due, id), with a zero due time standing for "none". When the filter already requires a due
// time, the order is the partial index's own (tickets_sla_due), so no sort step is needed.
func (s Tickets) bySLA(q *bun.SelectQuery, f ticket.Filter) {
	if c := f.After; c != nil {
		if c.SLADue.IsZero() {
			q.Where("(t.sla_due IS NULL AND t.id > ?)", c.ID)
		} else {
			due := c.SLADue.UTC()
			q.Where("(t.sla_due > ? OR (t.sla_due = ? AND t.id > ?) OR t.sla_due IS NULL)", due, due, c.ID)
		}
	}
	switch {
	case s.IsPostgres() || !f.SLADueBefore.IsZero():
		q.OrderExpr("t.sla_due, t.id") // PostgreSQL puts NULL last in ascending order
	default:
		q.OrderExpr("t.sla_due IS NULL, t.sla_due, t.id")
	}
}
