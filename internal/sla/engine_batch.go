package sla

import (
	"context"
	"time"

	"opsdesk/internal/ticket"
)

// fireBatch fires the due clocks of the tickets whose firings only notify (or do nothing) — the
// usual case — together, in one savepoint: every clock of those tickets read in one query, the
// fired clocks and the tickets' summaries written in one statement each (TimerStore.SaveFired), and
// the history entries, audit entries and notices written by Firer.SLANoted in a few more. A tick of
// a hundred firings so costs about ten statements instead of a dozen per firing.
//
// It returns the number of firings and the clocks left to fire one by one: those of tickets with a
// ticket-changing action (reassign, raise the tier, report up: rare, and each a full ticket change)
// — or, when the batch failed, every clock, with the error; the savepoint undid all of the batch,
// so nothing of it fires twice.
func (tr *Tracker) fireBatch(ctx context.Context, due []dueClock, now time.Time) (int, []dueClock, error) {
	var ids []int64 // the tickets, in the order their clocks fell due
	byTicket := map[int64][]dueClock{}
	for _, c := range due {
		if _, ok := byTicket[c.tm.TicketID]; !ok {
			ids = append(ids, c.tm.TicketID)
		}
		byTicket[c.tm.TicketID] = append(byTicket[c.tm.TicketID], c)
	}
	n := 0
	var rest []dueClock
	err := tr.Timers.Savepoint(ctx, func(ctx context.Context) error {
		n, rest = 0, nil
		all, err := tr.Timers.TimersOf(ctx, ids)
		if err != nil {
			return err
		}
		clocks := map[int64][]*Timer{} // of each ticket, all of them: its summary needs them
		byID := make(map[int64]*Timer, len(all))
		for _, tm := range all {
			clocks[tm.TicketID] = append(clocks[tm.TicketID], tm)
			byID[tm.ID] = tm
		}
		var fired []*Timer
		var sums []TicketSLA
		var notes []ticket.SLANote
		for _, id := range ids {
			var mine []*Timer
			var said []ticket.SLANote
			changes := false
			for _, c := range byTicket[id] {
				tm := byID[c.tm.ID]
				if tm == nil {
					continue // gone with its ticket
				}
				for _, f := range tm.Fire(c.cal, now) {
					a := c.acts.At(f)
					changes = changes || a.changesTicket()
					said = append(said, ticket.SLANote{TicketID: id, Kind: f.kind(), Reason: firingReason(tm, c.cal, ""), Notify: a.Notify})
				}
				mine = append(mine, tm)
			}
			if changes { // fire reads its clocks again: what Fire marked here is forgotten
				rest = append(rest, byTicket[id]...)
				continue
			}
			if len(mine) == 0 {
				continue
			}
			dueAt, worst := summary(clocks[id])
			fired, sums, notes = append(fired, mine...), append(sums, TicketSLA{TicketID: id, Due: dueAt, State: worst}), append(notes, said...)
		}
		if len(fired) == 0 {
			return nil
		}
		if err := tr.Timers.SaveFired(ctx, fired, sums); err != nil {
			return err
		}
		if err := tr.Tickets.SLANoted(ctx, notes); err != nil {
			return err
		}
		n = len(notes)
		return nil
	})
	if err != nil {
		return 0, due, err
	}
	return n, rest, nil
}
