package sla

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// tickBatch bounds one tick's work; the next tick takes the rest.
const tickBatch = 500

// dueClock is a clock the tick fires, with its calendar and its policy's actions.
type dueClock struct {
	tm   *Timer
	cal  *Calendar
	acts Actions
}

// Tick fires the thresholds that clocks crossed by now: it reads due clocks through the index on
// next_at (never every open ticket), marks each threshold as fired and has the ticket service write
// the history entry, send the notices and perform the policy's action — all in one transaction, so
// that a firing happens exactly once: not lost if the process dies (the transaction rolls back and
// the next tick fires it), not repeated after a restart (the mark is stored with it), and not twice
// with two replicas (PostgreSQL rows are locked and skipped by the other; SQLite has one writer).
//
// The firings whose action only notifies — the usual case — are done together in a few statements
// (fireBatch, Firer.SLANoted). A ticket with a ticket-changing action (reassign, raise the tier,
// report up) is fired clock by clock, each in a savepoint of its own (Firer.SLAFired), and so are
// all of them when the batch fails, so that one bad ticket cannot block the others. When the ticket
// service fails on one ticket, the firing is recorded again without the actions and with a note, so
// that one broken ticket neither blocks the others nor fires again and again; a ticket a person
// changed at the same moment (errs.Conflict, PostgreSQL) waits for the next tick. It returns the
// number of firings, and the problems met joined, after the others committed.
func (tr *Tracker) Tick(ctx context.Context) (int, error) {
	if tr.Tickets == nil {
		return 0, errors.New("sla: Tracker.Tickets is not set")
	}
	now := tr.Now()
	fired := 0
	var problems []error
	err := tr.Service.Store.InTx(ctx, func(ctx context.Context) error {
		fired, problems = 0, nil
		due, err := tr.Timers.DueTimers(ctx, now, tickBatch)
		if err != nil || len(due) == 0 {
			return err
		}
		clocks, err := tr.withPolicies(ctx, due)
		if err != nil {
			return err
		}
		n, rest, err := tr.fireBatch(ctx, clocks, now)
		fired += n
		if err != nil {
			problems = append(problems, fmt.Errorf("SLA firings in a batch failed, fired one by one: %w", err))
		}
		for _, c := range rest {
			n, err := tr.fire(ctx, c.tm, c.cal, c.acts, now, "")
			switch {
			case err == nil:
				fired += n
				continue
			case errs.Is(err, errs.Conflict):
				problems = append(problems, fmt.Errorf("ticket %d: changed meanwhile, fires at the next tick: %w", c.tm.TicketID, err))
				continue
			}
			problems = append(problems, fmt.Errorf("ticket %d: SLA actions: %w", c.tm.TicketID, err))
			quiet := Actions{Warning: Action{Notify: c.acts.Warning.Notify}, Breach: Action{Notify: c.acts.Breach.Notify}}
			n, err = tr.fire(ctx, c.tm, c.cal, quiet, now, "the policy's actions failed (see the server log)")
			if err != nil {
				problems = append(problems, fmt.Errorf("ticket %d: SLA firing: %w", c.tm.TicketID, err))
				continue
			}
			fired += n
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return fired, errors.Join(problems...)
}

// withPolicies pairs due clocks with their calendars and their policies' actions, reading the
// policies once and each calendar once. A clock whose calendar is gone is left out: it waits (and
// shows on the ticket) until one exists.
func (tr *Tracker) withPolicies(ctx context.Context, due []*Timer) ([]dueClock, error) {
	policies, err := tr.Service.Store.Policies(ctx)
	if err != nil {
		return nil, err
	}
	calendars := map[string]*Calendar{}
	out := make([]dueClock, 0, len(due))
	for _, tm := range due {
		var p *Policy
		name := DefaultName // a deleted policy's clocks run on the default calendar
		if i := slices.IndexFunc(policies, func(p *Policy) bool { return p.ID == tm.PolicyID }); i >= 0 {
			p, name = policies[i], policies[i].Calendar
		}
		cal, ok := calendars[name]
		if !ok {
			cal, err = tr.Service.Calendar(ctx, name)
			if err != nil {
				cal = nil
			}
			calendars[name] = cal
		}
		if cal == nil {
			continue
		}
		acts := DefaultActions() // a deleted policy's clocks still tell people
		if p != nil {
			acts = p.Actions
		}
		out = append(out, dueClock{tm: tm, cal: cal, acts: acts})
	}
	return out, nil
}

// fire marks the thresholds the clock due (read again, as stored now) crossed, stores it with its
// ticket's summary and has each firing performed, in a savepoint: on an error nothing of it stays
// and it returns 0.
func (tr *Tracker) fire(ctx context.Context, tm *Timer, cal *Calendar, acts Actions, now time.Time, note string) (int, error) {
	n := 0
	err := tr.Timers.Savepoint(ctx, func(ctx context.Context) error {
		// The ticket's clocks as they are now: an earlier firing of this tick may have changed them.
		all, err := tr.Timers.Timers(ctx, tm.TicketID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(all, func(x *Timer) bool { return x.ID == tm.ID })
		if i < 0 {
			return nil
		}
		tm := all[i]
		firings := tm.Fire(cal, now)
		if err := tr.Timers.SaveTimer(ctx, tm); err != nil { // the ticket's other clocks did not change
			return err
		}
		due, worst := summary(all)
		if err := tr.Timers.SetTicketSLA(ctx, tm.TicketID, due, worst); err != nil {
			return err
		}
		for _, f := range firings {
			if err := tr.Tickets.SLAFired(ctx, tm.TicketID, f.kind(), firingReason(tm, cal, note), acts.At(f).ToTicket()); err != nil {
				return err
			}
		}
		n = len(firings)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// kind is the ticket history kind of a firing.
func (f Firing) kind() ticket.EventKind {
	if f == FireBreach {
		return ticket.EvSLABreach
	}
	return ticket.EvSLAWarning
}

// firingReason is the history entry's reason: "<metric> due <time>" on the clock's calendar, and a
// note when there is one (package notify says it again in the reader's words).
func firingReason(tm *Timer, cal *Calendar, note string) string {
	reason := fmt.Sprintf("%s due %s", tm.Metric, tm.DueAt.In(cal.Location).Format("2006-01-02 15:04"))
	if note != "" {
		reason += "; " + note
	}
	return reason
}
