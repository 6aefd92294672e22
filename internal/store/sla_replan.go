package store

import (
	"context"

	"opsdesk/internal/sla"
)

// planUpdate writes re-planned clocks: their due, warning and next instants at the version read.
var planUpdate = rowsUpdate{table: "sla_timers", cols: []string{"due_at", "warn_at", "next_at"},
	times: []string{"due_at", "warn_at", "next_at"}, version: true}

// summaryUpdate writes tickets' SLA summaries, which belong to the SLA tracker: the ticket's version
// stays, so that an agent editing it is not told someone else changed it.
var summaryUpdate = rowsUpdate{table: "tickets", cols: []string{"sla_due", "sla_state"}, times: []string{"sla_due"}}

// SavePlans stores re-planned clocks after a calendar edit (sla.Tracker.Replan): their due, warning
// and next instants, each only at the version it was read with, in one UPDATE … FROM a VALUES list;
// then the summaries of the tickets all of whose re-planned clocks were stored, in another. A clock
// a ticket change wrote meanwhile (PostgreSQL; SQLite has one writer) keeps what that change planned
// on the edited calendar. One statement per batch instead of one per clock: on SQLite the clocks'
// statements were three quarters of a re-plan's time.
func (s SLA) SavePlans(ctx context.Context, timers []*sla.Timer, tickets []sla.TicketSLA) (int, error) {
	rows := make([][]any, len(timers))
	for i, t := range timers {
		rows[i] = []any{t.ID, t.Version, t.DueAt.UTC(), t.WarnAt.UTC(), ptrTime(t.NextAt)}
	}
	stored, err := planUpdate.exec(ctx, s.DB, rows)
	if err != nil || len(stored) == 0 {
		return 0, err
	}
	ok := make(map[int64]bool, len(stored))
	for _, id := range stored {
		ok[id] = true
	}
	whole := map[int64]bool{} // tickets whose re-planned clocks were all stored
	for _, t := range timers {
		if _, seen := whole[t.TicketID]; !seen {
			whole[t.TicketID] = true
		}
		whole[t.TicketID] = whole[t.TicketID] && ok[t.ID]
	}
	var sums []sla.TicketSLA
	for _, t := range tickets {
		if whole[t.TicketID] {
			sums = append(sums, t)
		}
	}
	_, err = s.saveSummaries(ctx, sums)
	return len(stored), err
}

// saveSummaries stores tickets' resolution due times and worst states in one statement and returns
// how many tickets it found.
func (s SLA) saveSummaries(ctx context.Context, tickets []sla.TicketSLA) (int, error) {
	rows := make([][]any, len(tickets))
	for i, t := range tickets {
		rows[i] = []any{t.TicketID, ptrTime(t.Due), string(t.State)}
	}
	ids, err := summaryUpdate.exec(ctx, s.DB, rows)
	return len(ids), err
}
