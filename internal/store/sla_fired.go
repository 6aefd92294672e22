package store

import (
	"context"

	"opsdesk/internal/errs"
	"opsdesk/internal/sla"
)

// firedUpdate writes fired clocks: the thresholds marked, the state, and the instants planned anew.
var firedUpdate = rowsUpdate{table: "sla_timers", cols: []string{"warned", "breached", "state", "due_at", "warn_at", "next_at"},
	times: []string{"due_at", "warn_at", "next_at"}, version: true}

// SaveFired stores the clocks the SLA engine fired in a batch, each only at the version it was read
// with, and their tickets' summaries, in one statement each. A clock changed since it was read, or
// a ticket that is gone, fails the whole call (errs.Conflict, errs.NotFound): the engine's savepoint
// then undoes it, and it fires those clocks one by one.
func (s SLA) SaveFired(ctx context.Context, timers []*sla.Timer, tickets []sla.TicketSLA) error {
	rows := make([][]any, len(timers))
	for i, t := range timers {
		rows[i] = []any{t.ID, t.Version, t.Warned, t.Breached, string(t.State), t.DueAt.UTC(), t.WarnAt.UTC(), ptrTime(t.NextAt)}
	}
	stored, err := firedUpdate.exec(ctx, s.DB, rows)
	if err != nil {
		return err
	}
	if len(stored) != len(timers) {
		return errs.E(errs.Conflict, "err.stale")
	}
	n, err := s.saveSummaries(ctx, tickets)
	if err == nil && n != len(tickets) {
		err = errs.E(errs.NotFound, "err.not_found")
	}
	return err
}
