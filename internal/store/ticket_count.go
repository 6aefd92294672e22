package store

import (
	"context"

	"opsdesk/internal/ticket"
)

// Count counts the tickets matching f with List's conditions. A queue count (open tickets of an
// assignee, of a set of groups, or unassigned) reads the open-work indexes only: tickets_assignee_queue,
// tickets_open_queue and tickets_open_priority (migrations 0003 and 0006).
func (s Tickets) Count(ctx context.Context, f ticket.Filter) (int, error) {
	return count(ctx, s.where(s.r(ctx).NewSelect().Model((*ticketRow)(nil)), f))
}
