package store

import (
	"context"
	"strings"

	"opsdesk/internal/sla"
)

// SavePlans stores re-planned clocks after a calendar edit (sla.Tracker.Replan): their due, warning
// and next instants, each only at the version it was read with, in one UPDATE … FROM a VALUES list;
// then the summaries of the tickets all of whose re-planned clocks were stored, in another. A clock
// a ticket change wrote meanwhile (PostgreSQL; SQLite has one writer) keeps what that change planned
// on the edited calendar. One statement per batch instead of one per clock: on SQLite the clocks'
// statements were three quarters of a re-plan's time.
func (s SLA) SavePlans(ctx context.Context, timers []*sla.Timer, tickets []sla.TicketSLA) (int, error) {
	if len(timers) == 0 {
		return 0, nil
	}
	ts := func(col string) string { return col } // SQLite keeps the text bun writes
	if s.IsPostgres() {
		ts = func(col string) string { return "CAST(" + col + " AS TIMESTAMPTZ)" } // VALUES of text otherwise
	}
	rows := make([]string, len(timers))
	args := make([]any, 0, 5*len(timers))
	for i, t := range timers {
		rows[i] = "(?, ?, ?, ?, ?)"
		args = append(args, t.ID, t.Version, t.DueAt.UTC(), t.WarnAt.UTC(), ptrTime(t.NextAt))
	}
	var stored []int64
	err := s.w(ctx).NewRaw(`WITH v (id, version, due_at, warn_at, next_at) AS (VALUES `+strings.Join(rows, ", ")+`)
		UPDATE sla_timers SET due_at = `+ts("v.due_at")+`, warn_at = `+ts("v.warn_at")+`, next_at = `+ts("v.next_at")+`,
			version = sla_timers.version + 1
		FROM v WHERE sla_timers.id = v.id AND sla_timers.version = v.version
		RETURNING sla_timers.id`, args...).Scan(ctx, &stored)
	if err != nil {
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
	rows, args = rows[:0], args[:0]
	for _, t := range tickets {
		if whole[t.TicketID] {
			rows = append(rows, "(?, ?, ?)")
			args = append(args, t.TicketID, ptrTime(t.Due), string(t.State))
		}
	}
	if len(rows) == 0 {
		return len(stored), nil
	}
	_, err = s.w(ctx).NewRaw(`WITH v (id, sla_due, sla_state) AS (VALUES `+strings.Join(rows, ", ")+`)
		UPDATE tickets SET sla_due = `+ts("v.sla_due")+`, sla_state = v.sla_state FROM v WHERE tickets.id = v.id`, args...).Exec(ctx)
	return len(stored), err
}
