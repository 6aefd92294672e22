package sla_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// failingNotices fails every notice of one ticket while on; the others it passes to the recorder
// (which keeps them in memory even when their transaction rolls back: only the database tells
// what stayed).
type failingNotices struct {
	*recorder
	ticket int64
	on     bool
}

func (f *failingNotices) Notice(ctx context.Context, t *ticket.Ticket, n ticket.Notice) error {
	if f.on && t.ID == f.ticket {
		return errors.New("mail template broken")
	}
	return f.recorder.Notice(ctx, t, n)
}

// auditCount verifies the audit chain and counts its entries of an action.
func (d *actionDesk) auditCount(t *testing.T, action string) int {
	t.Helper()
	au := &audit.Service{Store: store.Audit{DB: d.db}, Now: time.Now}
	if _, brk, err := au.Verify(context.Background()); err != nil || brk != nil {
		t.Fatalf("audit chain: break %+v, %v", brk, err)
	}
	n := 0
	err := store.Audit{DB: d.db}.Each(context.Background(), func(e *audit.Entry) error {
		if e.Action == action {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSLABatchFiresExactlyOnce: a tick of many notify-only firings (the batch) beside tickets whose
// policy reports up (fired one by one), with two engines ticking at once and a restart between, on
// both engines: every threshold fires once — history entry, notices as the policy says, audit entry
// with the chain intact — and the tickets' summaries follow, without saving the tickets.
func TestSLABatchFiresExactlyOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newActionDesk(t, db)
		d.policy(t, ticket.Incident, sla.DefaultActions())
		d.policy(t, ticket.Complaint, sla.Actions{})
		d.policy(t, ticket.Request, sla.Actions{Warning: sla.Action{ReportUp: true}, Breach: sla.Action{Notify: true}})
		var loud, quiet, up []int64
		for i := range 12 {
			loud = append(loud, d.open(t, ticket.Incident, "批量告警 "+string(rune('A'+i))))
		}
		for range 3 {
			quiet = append(quiet, d.open(t, ticket.Complaint, "投诉"))
			up = append(up, d.open(t, ticket.Request, "申请"))
		}
		all := append(append(append([]int64(nil), loud...), quiet...), up...)
		d.now = sh("2026-11-23 16:30")
		if n := d.tickAtOnce(t, 2); n != len(all) {
			t.Fatalf("%d firings at the warning by two engines at once, want %d", n, len(all))
		}
		if n := d.tickAtOnce(t, 1); n != 0 {
			t.Fatalf("%d firings again after a restart", n)
		}
		desk, _ := d.engine()
		for _, id := range loud {
			tk, err := desk.Store.Get(context.Background(), id)
			if err != nil || tk.SLAState != string(sla.Warning) || tk.Version != 1 {
				t.Fatalf("ticket %d after the warning: state %q version %d (%v)", id, tk.SLAState, tk.Version, err)
			}
		}
		d.now = sh("2026-11-23 18:30")
		if n := d.tickAtOnce(t, 2); n != len(all) {
			t.Fatalf("%d firings at the breach by two engines at once, want %d", n, len(all))
		}
		d.now = sh("2026-11-24 12:00")
		if n := d.tickAtOnce(t, 2); n != 0 {
			t.Fatalf("%d firings the next day", n)
		}
		for _, id := range all {
			evs := d.history(t, id)
			if w, b := len(kinds(evs, ticket.EvSLAWarning)), len(kinds(evs, ticket.EvSLABreach)); w != 1 || b != 1 {
				t.Fatalf("ticket %d: %d warnings and %d breaches in the history", id, w, b)
			}
			for _, tm := range d.timersOf(t, id) {
				if !tm.Warned || !tm.Breached || tm.State != sla.Breached || !tm.NextAt.IsZero() {
					t.Fatalf("ticket %d clock %+v", id, tm)
				}
			}
		}
		for _, c := range []struct {
			ids  []int64
			w, b int
		}{{loud, 1, 1}, {quiet, 0, 0}, {up, 0, 1}} {
			for _, id := range c.ids {
				if w, b := d.notices.count(id, ticket.EvSLAWarning), d.notices.count(id, ticket.EvSLABreach); w != c.w || b != c.b {
					t.Fatalf("ticket %d: %d warning and %d breach notices, want %d and %d", id, w, b, c.w, c.b)
				}
			}
		}
		for _, id := range up {
			if ups := kinds(d.history(t, id), ticket.EvReportedUp); len(ups) != 1 || ups[0].ToUser != d.ids["lead"] {
				t.Fatalf("ticket %d reported up %+v", id, ups)
			}
		}
		if tk, err := desk.Store.Get(context.Background(), loud[0]); err != nil || tk.SLAState != string(sla.Breached) || tk.Version != 1 {
			t.Fatalf("after the breach: state %q version %d (%v)", tk.SLAState, tk.Version, err)
		}
		if w, b := d.auditCount(t, "ticket.sla_warning"), d.auditCount(t, "ticket.sla_breach"); w != len(all) || b != len(all) {
			t.Fatalf("audit: %d warnings and %d breaches, want %d each", w, b, len(all))
		}
	})
}

// TestSLABatchFallsBackPastAFailingTicket: when one ticket of a batch cannot be noted (its notices
// fail), the batch is undone and the tick fires clock by clock: the other tickets fire in the same
// tick, once, the failing one is reported and fires at a later tick once it can — and the audit
// chain holds throughout.
func TestSLABatchFallsBackPastAFailingTicket(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newActionDesk(t, db)
		d.policy(t, ticket.Incident, sla.DefaultActions())
		var ids []int64
		for range 5 {
			ids = append(ids, d.open(t, ticket.Incident, "磁盘告警"))
		}
		bad := ids[2]
		d.now = sh("2026-11-23 16:30")
		desk, tr := d.engine()
		failing := &failingNotices{recorder: d.notices, ticket: bad, on: true}
		desk.Notices = failing
		job := actor.NewContext(context.Background(), actor.System(actor.SourceJob))
		n, err := tr.Tick(job)
		if n != 4 || err == nil || !strings.Contains(err.Error(), "batch failed") || !strings.Contains(err.Error(), "mail template broken") {
			t.Fatalf("tick: %d firings, %v; want 4 and the problems", n, err)
		}
		for _, id := range ids {
			want := 1
			if id == bad {
				want = 0
			}
			if got := len(kinds(d.history(t, id), ticket.EvSLAWarning)); got != want {
				t.Fatalf("ticket %d: %d warnings, want %d", id, got, want)
			}
		}
		if got := d.auditCount(t, "ticket.sla_warning"); got != 4 {
			t.Fatalf("%d audit entries of warnings, want 4", got)
		}
		failing.on = false // mended: the next tick fires the one left, and only it
		if n, err := tr.Tick(job); n != 1 || err != nil {
			t.Fatalf("tick after the repair: %d firings, %v", n, err)
		}
		if n := d.tickAtOnce(t, 2); n != 0 {
			t.Fatalf("%d firings again", n)
		}
		if got := len(kinds(d.history(t, bad), ticket.EvSLAWarning)); got != 1 {
			t.Fatalf("the mended ticket has %d warnings", got)
		}
		if got := d.auditCount(t, "ticket.sla_warning"); got != 5 {
			t.Fatalf("%d audit entries of warnings, want 5", got)
		}
	})
}

func (d *actionDesk) timersOf(t *testing.T, id int64) []*sla.Timer {
	t.Helper()
	ts, err := (store.SLA{DB: d.db}).Timers(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// TestSaveFiredAllOrNothing: the batch's store writes fired clocks and their tickets' summaries in
// one statement each, refuses (errs.Conflict) when a clock changed since it was read, and
// (errs.NotFound) when a ticket is unknown — so that the engine undoes the batch and goes one by one.
func TestSaveFiredAllOrNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ids, read := twoTicketsWithClocks(t, d)
		st := store.SLA{DB: db}
		ctx := context.Background()
		cal, err := d.tracker.Service.Calendar(ctx, sla.DefaultName)
		if err != nil {
			t.Fatal(err)
		}
		later := sh("2026-11-23 12:00") // past the first responses' warning (10:30) and due (11:00)
		var fired []*sla.Timer
		for _, tm := range read {
			if tm.Metric == sla.FirstResponse && len(tm.Fire(cal, later)) == 2 {
				fired = append(fired, tm)
			}
		}
		if len(fired) != 2 {
			t.Fatalf("%d first-response clocks fired", len(fired))
		}
		sums := []sla.TicketSLA{{TicketID: ids[0], Due: later, State: sla.Breached}, {TicketID: ids[1], Due: later, State: sla.Breached}}
		unknown := append(sums[:1:1], sla.TicketSLA{TicketID: 999999, Due: later, State: sla.Breached})
		if err := db.InTx(ctx, func(ctx context.Context) error { return st.SaveFired(ctx, fired, unknown) }); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("an unknown ticket: %v", err)
		}
		changed := *d.timers(t, ids[1])[sla.FirstResponse]
		if err := st.SaveTimer(ctx, &changed); err != nil {
			t.Fatal(err)
		}
		if err := db.InTx(ctx, func(ctx context.Context) error { return st.SaveFired(ctx, fired, sums) }); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("a clock changed since it was read: %v", err)
		}
		if got := d.timers(t, ids[0])[sla.FirstResponse]; got.Warned || got.Breached {
			t.Fatalf("a refused batch left a mark: %+v", got)
		}
		fired[1] = d.timers(t, ids[1])[sla.FirstResponse]
		fired[1].Fire(cal, later)
		if err := db.InTx(ctx, func(ctx context.Context) error { return st.SaveFired(ctx, fired, sums) }); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			got := d.timers(t, id)[sla.FirstResponse]
			if !got.Warned || !got.Breached || got.State != sla.Breached || !got.NextAt.IsZero() {
				t.Fatalf("ticket %d first response after the batch: %+v", id, got)
			}
			if tk, err := d.tickets.Get(d.agent, id); err != nil || tk.SLAState != string(sla.Breached) || !tk.SLADue.Equal(later) || tk.Version != 1 {
				t.Fatalf("ticket %d: %q %s version %d (%v)", id, tk.SLAState, tk.SLADue, tk.Version, err)
			}
		}
	})
}
