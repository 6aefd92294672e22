package ticket

import "context"

// Clocks keeps the SLA clocks of tickets; package sla implements it, and a nil Clocks leaves SLA
// off. Both methods run inside the transaction of the ticket change, so a clock never disagrees
// with the ticket it measures.
type Clocks interface {
	// Changed follows a new ticket (before is nil) or a change: status, pending reason, priority.
	Changed(ctx context.Context, before, after *Ticket) error
	// Replied follows a public reply: the requester's starts a next-response clock, staff's stops
	// the response clocks.
	Replied(ctx context.Context, t *Ticket, byRequester bool) error
}

// EvSLAWarning and EvSLABreach are the history entries of SLA thresholds crossed.
const (
	EvSLAWarning EventKind = "sla_warning"
	EvSLABreach  EventKind = "sla_breach"
)
