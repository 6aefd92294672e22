package sla

import (
	"context"
	"slices"
	"time"

	"opsdesk/internal/ticket"
)

// TimerStore persists the clocks of tickets.
type TimerStore interface {
	Timers(ctx context.Context, ticketID int64) ([]*Timer, error)
	TimersOf(ctx context.Context, ticketIDs []int64) ([]*Timer, error) // of several tickets, by ticket then id
	SaveTimer(ctx context.Context, t *Timer) error
	// DueTimers returns clocks with a threshold at or before now (locked against other replicas).
	DueTimers(ctx context.Context, now time.Time, limit int) ([]*Timer, error)
	// RunningClocks lists, in id order after afterID, up to limit clocks not stopped of the policies:
	// which clock of which ticket, without reading the clocks themselves.
	RunningClocks(ctx context.Context, policyIDs []int64, afterID int64, limit int) ([]ClockRef, error)
	// SetTicketSLA stores the resolution due time and the worst state on the ticket for queues.
	SetTicketSLA(ctx context.Context, ticketID int64, due time.Time, state State) error
	// SavePlans stores re-planned clocks — due, warning and next instants — each only at the version
	// it was read with, and the summaries of the tickets whose clocks were all stored, in a few
	// statements; it returns how many clocks it stored. A clock changed meanwhile is left as its
	// change planned it.
	SavePlans(ctx context.Context, timers []*Timer, tickets []TicketSLA) (int, error)
	// SaveFired stores clocks fired in a batch — marks, state and instants — each only at the
	// version it was read with, and their tickets' summaries, in a few statements; a clock changed
	// since or a ticket gone fails it all.
	SaveFired(ctx context.Context, timers []*Timer, tickets []TicketSLA) error
	// Savepoint runs fn inside a savepoint of the caller's transaction: fn's error undoes only fn's
	// writes, and the transaction goes on.
	Savepoint(ctx context.Context, fn func(ctx context.Context) error) error
}

// ClockRef names a clock and its ticket.
type ClockRef struct{ ID, TicketID int64 }

// TicketSLA is the summary of a ticket's clocks kept on the ticket row for queues.
type TicketSLA struct {
	TicketID int64
	Due      time.Time
	State    State
}

// Firer performs a threshold's firing on its ticket — the history entry, the notices and the
// policy's action — in the caller's transaction; ticket.Service implements it.
type Firer interface {
	SLAFired(ctx context.Context, ticketID int64, kind ticket.EventKind, reason string, act ticket.SLAAction) error
	// SLANoted performs many firings whose action only notifies (or does nothing) at once, all or
	// nothing.
	SLANoted(ctx context.Context, notes []ticket.SLANote) error
}

// pausing are the pending reasons that pause the resolution clock (SPEC: waiting for the requester,
// a vendor or a change does not count against the service desk).
var pausing = []ticket.PendingReason{ticket.WaitRequester, ticket.WaitVendor, ticket.WaitChange}

// Pauses reports whether a ticket's resolution clock stands paused: it waits for the requester, a
// vendor or a change.
func Pauses(t *ticket.Ticket) bool {
	return t.Status == ticket.Pending && slices.Contains(pausing, t.Pending)
}

// Tracker keeps tickets' SLA clocks: it implements ticket.Clocks (called inside every ticket change)
// and runs the threshold engine (Tick).
type Tracker struct {
	Service  *Service
	Timers   TimerStore
	ParentOf func(ctx context.Context, categoryID int64) int64 // a category's parent, 0 at the top
	Now      func() time.Time
	// Tickets performs the firings (the ticket service, which also calls this tracker as its Clocks).
	Tickets Firer
}

var _ ticket.Clocks = (*Tracker)(nil)

// policyFor picks the policy of a ticket and its calendar; nil when none applies.
func (tr *Tracker) policyFor(ctx context.Context, t *ticket.Ticket) (*Policy, *Calendar, error) {
	ps, err := tr.Service.Store.Policies(ctx)
	if err != nil || len(ps) == 0 {
		return nil, nil, err
	}
	subj := Subject{Type: string(t.Type), CategoryID: t.CategoryID, OrgPath: t.OrgPath, Priority: int(t.Priority)}
	if t.CategoryID != 0 && tr.ParentOf != nil {
		subj.CategoryParent = tr.ParentOf(ctx, t.CategoryID)
	}
	p := Pick(ps, subj)
	if p == nil {
		return nil, nil, nil
	}
	cal, err := tr.Service.Calendar(ctx, p.Calendar)
	return p, cal, err
}

// Changed starts, pauses, resumes, stops, restarts and re-targets the ticket's clocks.
func (tr *Tracker) Changed(ctx context.Context, before, after *ticket.Ticket) error {
	if before != nil && before.Status == after.Status && before.Pending == after.Pending && before.Priority == after.Priority {
		// Clocks move only with the status, the pending reason and the priority (follow); a note, an
		// urge, a reassignment or an SLA firing leaves them as they are, without reading them.
		return nil
	}
	now := tr.Now()
	p, cal, err := tr.policyFor(ctx, after)
	if err != nil {
		return err
	}
	if before == nil {
		if p == nil {
			return nil
		}
		targets := p.Targets[after.Priority-1]
		var timers []*Timer
		for _, m := range []Metric{FirstResponse, Resolution} {
			if d := targets[m]; d > 0 {
				tm := StartTimer(cal, m, p.ID, d, p.WarnAt, now)
				tm.TicketID = after.ID
				timers = append(timers, tm)
			}
		}
		return tr.save(ctx, after, timers)
	}
	timers, err := tr.Timers.Timers(ctx, after.ID)
	if err != nil || len(timers) == 0 {
		return err
	}
	if cal == nil { // the policy went away: keep counting on the calendar the clocks started on
		return nil
	}
	for _, tm := range timers {
		tr.follow(cal, tm, before, after, p, now)
	}
	return tr.save(ctx, after, timers)
}

// follow moves one clock along a ticket change.
func (tr *Tracker) follow(cal *Calendar, tm *Timer, before, after *ticket.Ticket, p *Policy, now time.Time) {
	if before.Priority != after.Priority && p != nil {
		if d := p.Targets[after.Priority-1][tm.Metric]; d > 0 {
			tm.Retarget(cal, p.ID, d, p.WarnAt, now)
		}
	}
	waits := Pauses(after)
	switch {
	case after.Status == ticket.Cancelled:
		tm.Stop(cal, now)
	case after.Status == ticket.Resolved || after.Status == ticket.Closed:
		tm.Stop(cal, now) // a resolution answers the requester too
	case before.Status == ticket.Resolved || before.Status == ticket.Closed:
		if tm.Metric == Resolution {
			tm.Restart(cal, now) // rejected or reopened: the clock runs on, the stopped time not counted
		}
	case waits && tm.Metric == Resolution:
		tm.Pause(cal, now)
	case tm.Metric == Resolution && tm.Paused():
		tm.Resume(cal, now)
	case after.Status == ticket.InProgress && tm.Metric == FirstResponse:
		tm.Stop(cal, now) // work has started: the first response is given
	}
}

// Replied follows a public reply.
func (tr *Tracker) Replied(ctx context.Context, t *ticket.Ticket, byRequester bool) error {
	now := tr.Now()
	timers, err := tr.Timers.Timers(ctx, t.ID)
	if err != nil || len(timers) == 0 {
		return err
	}
	p, cal, err := tr.policyFor(ctx, t)
	if err != nil || cal == nil {
		return err
	}
	if !byRequester {
		for _, tm := range timers {
			if tm.Metric != Resolution {
				tm.Stop(cal, now)
			}
		}
		return tr.save(ctx, t, timers)
	}
	// The requester wrote again: a next-response clock starts afresh, if the policy has one.
	d := p.Targets[t.Priority-1][NextResponse]
	if d <= 0 || !t.Status.IsOpen() {
		return nil
	}
	next := StartTimer(cal, NextResponse, p.ID, d, p.WarnAt, now)
	next.TicketID = t.ID
	if i := slices.IndexFunc(timers, func(x *Timer) bool { return x.Metric == NextResponse }); i >= 0 {
		if timers[i].Running() {
			return nil // still waiting for the answer to an earlier message
		}
		next.ID = timers[i].ID
		timers[i] = next
	} else {
		timers = append(timers, next)
	}
	return tr.save(ctx, t, timers)
}

// save stores the clocks and the ticket's summary — the resolution due time and the worst state —
// on the ticket row and on t.
func (tr *Tracker) save(ctx context.Context, t *ticket.Ticket, timers []*Timer) error {
	due, worst, err := tr.saveTimers(ctx, t.ID, timers)
	t.SLADue, t.SLAState = due, string(worst)
	return err
}

// saveTimers stores the clocks and the ticket row's summary.
func (tr *Tracker) saveTimers(ctx context.Context, ticketID int64, timers []*Timer) (time.Time, State, error) {
	for _, tm := range timers {
		if err := tr.Timers.SaveTimer(ctx, tm); err != nil {
			return time.Time{}, "", err
		}
	}
	due, worst := summary(timers)
	return due, worst, tr.Timers.SetTicketSLA(ctx, ticketID, due, worst)
}

// summary is what the ticket row keeps of its clocks: the resolution due time (else the first
// clock's) and the worst state.
func summary(timers []*Timer) (time.Time, State) {
	var due time.Time
	worst := State("")
	for _, tm := range timers {
		if tm.Metric == Resolution || due.IsZero() {
			due = tm.DueAt
		}
		worst = Worse(worst, tm.State)
	}
	return due, worst
}

// stateRank orders states from best to worst for a ticket's summary.
var stateRank = map[State]int{"": 0, Met: 1, Within: 2, Missed: 3, Warning: 4, Breached: 5}

// Worse returns the worse of two states: breached before warning before missed before within
// before met.
func Worse(a, b State) State {
	if stateRank[b] > stateRank[a] {
		return b
	}
	return a
}
