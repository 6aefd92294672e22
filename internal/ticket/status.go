package ticket

import (
	"slices"

	"opsdesk/internal/errs"
)

// Status is a ticket's place in its lifecycle.
type Status string

const (
	New        Status = "new"
	Assigned   Status = "assigned"
	InProgress Status = "in_progress"
	Pending    Status = "pending"
	Resolved   Status = "resolved"
	Closed     Status = "closed"
	Cancelled  Status = "cancelled"
)

// Statuses lists the statuses in lifecycle order.
var Statuses = []Status{New, Assigned, InProgress, Pending, Resolved, Closed, Cancelled}

// PendingReason says what a pending ticket waits for; SLA clocks pause for the configured reasons.
type PendingReason string

const (
	WaitRequester PendingReason = "requester"
	WaitVendor    PendingReason = "vendor"
	WaitChange    PendingReason = "change"
)

// transitions lists the allowed moves. Resolved → InProgress is a rejected resolution or a reopen;
// Closed → InProgress is a reopen within the allowed days, checked by Reopen.
var transitions = map[Status][]Status{
	New:        {Assigned, InProgress, Resolved, Cancelled},
	Assigned:   {Assigned, InProgress, Pending, Resolved, Cancelled},
	InProgress: {Assigned, Pending, Resolved, Cancelled},
	Pending:    {Assigned, InProgress, Resolved, Cancelled},
	Resolved:   {InProgress, Closed},
	Closed:     {InProgress},
	Cancelled:  nil,
}

// IsOpen reports whether work is still owed on a ticket in status s.
func (s Status) IsOpen() bool { return s != Resolved && s != Closed && s != Cancelled }

// CanMove reports whether a ticket may go from one status to another.
func CanMove(from, to Status) bool { return slices.Contains(transitions[from], to) }

// Move checks a transition and returns a clear error when it is not allowed.
func Move(t *Ticket, to Status) error {
	if !CanMove(t.Status, to) {
		return errs.E(errs.Invalid, "err.ticket.transition", errs.Field("status", "err.ticket.transition"))
	}
	t.Status = to
	if to != Pending {
		t.Pending = ""
	}
	return nil
}
