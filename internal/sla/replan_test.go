package sla_test

import (
	"context"
	"testing"
	"time"

	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// TestSavePlansSkipsClocksChangedMeanwhile: a re-plan writes a clock only at the version it read, so
// that a ticket change committed in between (PostgreSQL) is not overwritten, and then leaves that
// ticket's summary to the change too.
func TestSavePlansSkipsClocksChangedMeanwhile(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ids, read := twoTicketsWithClocks(t, d)
		st := store.SLA{DB: db}
		ctx := context.Background()
		// A change of the first ticket's resolution clock commits after the re-plan read it.
		changed := *d.timers(t, ids[0])[sla.Resolution]
		if err := st.SaveTimer(ctx, &changed); err != nil {
			t.Fatal(err)
		}
		later := sh("2026-12-01 18:00")
		var sums []sla.TicketSLA
		for _, tm := range read {
			tm.DueAt, tm.WarnAt, tm.NextAt = later, later.Add(-time.Hour), later.Add(-time.Hour)
		}
		for _, id := range ids {
			sums = append(sums, sla.TicketSLA{TicketID: id, Due: later, State: sla.Within})
		}
		n, err := st.SavePlans(ctx, read, sums)
		if err != nil || n != 3 {
			t.Fatalf("stored %d clocks (%v), want 3", n, err)
		}
		if got := d.timers(t, ids[0])[sla.Resolution].DueAt; got.Equal(later) {
			t.Fatal("the clock changed meanwhile was overwritten")
		}
		if got := d.timers(t, ids[1])[sla.Resolution]; !got.DueAt.Equal(later) || !got.NextAt.Equal(later.Add(-time.Hour)) {
			t.Fatalf("re-planned clock due %s next %s", got.DueAt, got.NextAt)
		}
		first, _ := d.tickets.Get(d.agent, ids[0])
		second, _ := d.tickets.Get(d.agent, ids[1])
		if first.SLADue.Equal(later) || !second.SLADue.Equal(later) {
			t.Fatalf("ticket summaries %s %s", first.SLADue, second.SLADue)
		}
	})
}

// twoTicketsWithClocks opens two tickets under the desk's policy and reads their four clocks
// (first response and resolution of each).
func twoTicketsWithClocks(t *testing.T, d *desk) ([]int64, []*sla.Timer) {
	t.Helper()
	var ids []int64
	for _, s := range []string{"打印机卡纸", "网络不通"} {
		tk, err := d.tickets.Create(d.user, ticket.NewTicket{Type: ticket.Incident, Channel: ticket.Portal, Subject: s,
			Urgency: ticket.Medium, Impact: ticket.Medium})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tk.ID)
	}
	read, err := store.SLA{DB: d.db}.TimersOf(context.Background(), ids)
	if err != nil || len(read) != 4 {
		t.Fatalf("clocks %v %v", read, err)
	}
	return ids, read
}
