package sla

import (
	"context"
	"fmt"
	"slices"

	"opsdesk/internal/audit"
	"opsdesk/internal/ticket"
)

// tickBatch bounds one tick's work; the next tick takes the rest.
const tickBatch = 500

// Tick fires the thresholds that clocks crossed by now: it reads due clocks through the index on
// next_at (never every open ticket), marks each threshold as fired, writes the ticket history entry
// and the audit entry — all in one transaction, so that a firing happens exactly once: not lost if
// the process dies (the transaction rolls back and the next tick fires it), not repeated after a
// restart (the mark is stored with it), and not twice with two replicas (PostgreSQL rows are locked
// and skipped by the other; SQLite has one writer). It returns the number of firings.
func (tr *Tracker) Tick(ctx context.Context) (int, error) {
	now := tr.Now()
	fired := 0
	err := tr.Service.Store.InTx(ctx, func(ctx context.Context) error {
		due, err := tr.Timers.DueTimers(ctx, now, tickBatch)
		if err != nil || len(due) == 0 {
			return err
		}
		policies, err := tr.Service.Store.Policies(ctx)
		if err != nil {
			return err
		}
		calendars := map[string]*Calendar{}
		calendarOf := func(policyID int64) (*Calendar, error) {
			name := DefaultName // a deleted policy's clocks run on the default calendar
			if i := slices.IndexFunc(policies, func(p *Policy) bool { return p.ID == policyID }); i >= 0 {
				name = policies[i].Calendar
			}
			if c, ok := calendars[name]; ok {
				return c, nil
			}
			c, err := tr.Service.Calendar(ctx, name)
			calendars[name] = c
			return c, err
		}
		for _, tm := range due {
			cal, err := calendarOf(tm.PolicyID)
			if err != nil || cal == nil {
				continue // its calendar is gone: the clock waits (and shows on the ticket) until one exists
			}
			firings := tm.Fire(cal, now)
			all, err := tr.Timers.Timers(ctx, tm.TicketID)
			if err != nil {
				return err
			}
			for i, x := range all {
				if x.ID == tm.ID {
					all[i] = tm
				}
			}
			if _, _, err := tr.saveTimers(ctx, tm.TicketID, all); err != nil {
				return err
			}
			for _, f := range firings {
				kind := ticket.EvSLAWarning
				if f == FireBreach {
					kind = ticket.EvSLABreach
				}
				reason := fmt.Sprintf("%s due %s", tm.Metric, tm.DueAt.In(cal.Location).Format("2006-01-02 15:04"))
				if err := tr.Event(ctx, &ticket.Event{TicketID: tm.TicketID, Kind: kind, Reason: reason, At: now}); err != nil {
					return err
				}
				if err := tr.Service.Audit.Record(ctx, audit.Entry{Action: "sla." + string(f), TargetType: "ticket",
					TargetID: fmt.Sprint(tm.TicketID), Detail: reason}); err != nil {
					return err
				}
				fired++
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return fired, nil
}
