package sla

import (
	"context"
	"slices"
	"time"
)

// replanBatch is how many clocks one transaction re-plans: small enough that the SQLite writer is
// free again within tens of milliseconds for agents' work, large enough to move 100,000 clocks in a
// few seconds. Measured at 1,000,000 open tickets (docs/BENCHMARKS.md): 1,000 held agents' changes
// 44 ms at the median, 250 made the re-plan a third slower, 500 is between.
const replanBatch = 500

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
			timers, err := tr.Timers.RunningClocks(ctx, ids, after, replanBatch)
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
			// of them; each re-planned clock is written once, in one statement per batch.
			all, err := tr.Timers.TimersOf(ctx, tickets)
			if err != nil {
				return err
			}
			byTicket := map[int64][]*Timer{}
			for _, tm := range all {
				byTicket[tm.TicketID] = append(byTicket[tm.TicketID], tm)
			}
			// Only what the edit moved is written: a holiday next year leaves this week's clocks,
			// and the tickets' rows (with their many indexes), untouched.
			var moved []*Timer
			var sums []TicketSLA
			for _, id := range tickets {
				due, worst := summary(byTicket[id])
				for _, tm := range byTicket[id] {
					if !tm.StoppedAt.IsZero() || !slices.Contains(ids, tm.PolicyID) {
						continue
					}
					was := [3]time.Time{tm.DueAt, tm.WarnAt, tm.NextAt}
					tm.Replan(cal, now)
					if !was[0].Equal(tm.DueAt) || !was[1].Equal(tm.WarnAt) || !was[2].Equal(tm.NextAt) {
						moved = append(moved, tm)
					}
				}
				if d, w := summary(byTicket[id]); !d.Equal(due) || w != worst {
					sums = append(sums, TicketSLA{TicketID: id, Due: d, State: w})
				}
			}
			_, err = tr.Timers.SavePlans(ctx, moved, sums)
			return err
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
