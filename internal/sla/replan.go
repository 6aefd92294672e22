package sla

import (
	"context"
	"slices"
)

// replanBatch is how many clocks one transaction re-plans: small enough that the SQLite writer is
// free again within milliseconds for agents' work, large enough to move 100,000 clocks quickly.
const replanBatch = 1000

// Replan re-plans every running clock whose policy uses the named calendar, after the calendar was
// edited (a holiday added, hours changed). It works in batches of its own transactions, so that it
// never holds the writer for long, and returns how many clocks it re-planned.
func (tr *Tracker) Replan(ctx context.Context, calendar string) (int, error) {
	cal, err := tr.Service.Calendar(ctx, calendar)
	if err != nil {
		return 0, err
	}
	policies, err := tr.Service.Store.Policies(ctx)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for _, p := range policies {
		if p.Calendar == calendar {
			ids = append(ids, p.ID)
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	slices.Sort(ids)
	done := 0
	var after int64
	for {
		var n int
		err := tr.Service.Store.InTx(ctx, func(ctx context.Context) error {
			timers, err := tr.Timers.RunningTimers(ctx, ids, after, replanBatch)
			if err != nil {
				return err
			}
			n = len(timers)
			now := tr.Now()
			var tickets []int64
			seen := map[int64]bool{}
			for _, tm := range timers {
				if !seen[tm.TicketID] {
					seen[tm.TicketID] = true
					tickets = append(tickets, tm.TicketID)
				}
				after = tm.ID
			}
			// Every clock of those tickets, so that each ticket's summary is computed once from all
			// of them; each clock is written once.
			all, err := tr.Timers.TimersOf(ctx, tickets)
			if err != nil {
				return err
			}
			byTicket := map[int64][]*Timer{}
			for _, tm := range all {
				if tm.StoppedAt.IsZero() && slices.Contains(ids, tm.PolicyID) {
					tm.Replan(cal, now)
				}
				byTicket[tm.TicketID] = append(byTicket[tm.TicketID], tm)
			}
			for _, id := range tickets {
				if _, _, err := tr.saveTimers(ctx, id, byTicket[id]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		done += n
		if n < replanBatch {
			return done, nil
		}
	}
}
