package sla_test

import (
	"context"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/iam"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// desk is a service desk with SLA clocks on a fresh database and a clock the test moves.
type desk struct {
	now     time.Time
	tickets *ticket.Service
	tracker *sla.Tracker
	agent   context.Context
	user    context.Context
	db      *store.DB
}

func newDesk(t *testing.T, db *store.DB) *desk {
	t.Helper()
	ctx := context.Background()
	d := &desk{now: time.Date(2026, 11, 23, 9, 0, 0, 0, sla.Shanghai), db: db} // Monday
	clock := func() time.Time { return d.now }
	au := &audit.Service{Store: store.Audit{DB: db}, Now: clock}
	svc := &sla.Service{Store: store.SLA{DB: db}, Audit: au, Groups: store.Directory{DB: db}}
	op := actor.System(actor.SourceCLI)
	op.Perms[sla.PermManage] = true
	opCtx := actor.NewContext(ctx, op)
	if err := svc.EnsureDefault(opCtx); err != nil {
		t.Fatal(err)
	}
	err := svc.SavePolicy(opCtx, &sla.Policy{Name: "标准", Calendar: "cn-workday", Active: true, Targets: [4]sla.Targets{
		{sla.FirstResponse: 30 * time.Minute, sla.NextResponse: time.Hour, sla.Resolution: 4 * time.Hour},
		{sla.FirstResponse: time.Hour, sla.Resolution: 8 * time.Hour},
		{sla.FirstResponse: 2 * time.Hour, sla.Resolution: 16 * time.Hour},
		{sla.Resolution: 40 * time.Hour}}})
	if err != nil {
		t.Fatal(err)
	}
	d.tracker = &sla.Tracker{Service: svc, Timers: store.SLA{DB: db}, Now: clock}
	d.tickets = &ticket.Service{Store: store.Tickets{DB: db}, Directory: store.Directory{DB: db}, Audit: au,
		Zone: sla.Shanghai, Now: clock, Clocks: d.tracker}
	d.tracker.Tickets = d.tickets
	st := store.IAM{DB: db}
	root := &iam.OrgUnit{Name: "总部", Kind: iam.OrgHQ}
	if err := st.CreateOrgUnit(ctx, root); err != nil {
		t.Fatal(err)
	}
	for name, perms := range map[string][]string{"agent": {ticket.PermIntake, ticket.PermWork, ticket.PermAssign, ticket.PermSubmit}, "user": {ticket.PermSubmit}} {
		u := &iam.User{Username: name, Name: name, OrgUnitID: root.ID}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		a := &actor.Actor{UserID: u.ID, Username: name, OrgPath: root.Path, Perms: map[string]bool{}, Source: actor.SourceWeb}
		for _, p := range perms {
			a.Perms[p] = true
		}
		if name == "agent" {
			d.agent = actor.NewContext(ctx, a)
		} else {
			d.user = actor.NewContext(ctx, a)
		}
	}
	return d
}

func (d *desk) timers(t *testing.T, id int64) map[sla.Metric]*sla.Timer {
	t.Helper()
	ts, err := (store.SLA{DB: d.db}).Timers(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[sla.Metric]*sla.Timer{}
	for _, x := range ts {
		out[x.Metric] = x
	}
	return out
}

func (d *desk) tick(t *testing.T, tr *sla.Tracker) int {
	t.Helper()
	n, err := tr.Tick(actor.NewContext(context.Background(), actor.System(actor.SourceJob)))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func sh(s string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02 15:04", s, sla.Shanghai)
	return t
}

// TestClocksFollowTickets drives a ticket through pause, resume, a priority change, a rejected
// resolution and the threshold engine, on both engines, and checks due times, states and that each
// warning and breach fires exactly once — also with a second engine (a restart or another replica).
func TestClocksFollowTickets(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		// P3 (medium × medium): first response 2 h, resolution 16 h of cn-workday.
		tk, err := d.tickets.Create(d.user, ticket.NewTicket{Type: ticket.Incident, Channel: ticket.Portal, Subject: "打印机卡纸",
			Urgency: ticket.Medium, Impact: ticket.Medium})
		if err != nil {
			t.Fatal(err)
		}
		ts := d.timers(t, tk.ID)
		if len(ts) != 2 || !ts[sla.FirstResponse].DueAt.Equal(sh("2026-11-23 11:00")) || !ts[sla.Resolution].DueAt.Equal(sh("2026-11-24 18:00")) {
			t.Fatalf("started clocks %+v", ts)
		}
		// 10:00: the agent replies (first response met); 11:00 waits for the requester until Wednesday 09:00.
		d.now = sh("2026-11-23 10:00")
		if _, err := d.tickets.Comment(d.agent, tk.ID, "请提供打印机型号", false, 0); err != nil {
			t.Fatal(err)
		}
		tk, _ = d.tickets.Get(d.agent, tk.ID)
		if _, err := d.tickets.Take(d.agent, tk.ID, tk.Version); err != nil {
			t.Fatal(err)
		}
		d.now = sh("2026-11-23 11:00")
		tk, _ = d.tickets.Get(d.agent, tk.ID)
		if tk, err = d.tickets.Wait(d.agent, tk.ID, tk.Version, ticket.WaitRequester, ""); err != nil {
			t.Fatal(err)
		}
		ts = d.timers(t, tk.ID)
		if ts[sla.FirstResponse].State != sla.Met || !ts[sla.Resolution].Paused() {
			t.Fatalf("after reply and wait: first %s, resolution paused %v", ts[sla.FirstResponse].State, ts[sla.Resolution].Paused())
		}
		// Nothing fires while paused, however late.
		d.now = sh("2026-11-25 08:00")
		if n := d.tick(t, d.tracker); n != 0 {
			t.Fatalf("%d firings while paused", n)
		}
		// Wednesday 09:00 the requester answers and the wait ends: 2 h counted before it, 14 h left
		// from Wednesday 09:00 → due Thursday 16:00, warning at 12 h counted → Thursday 11:00.
		d.now = sh("2026-11-25 09:00")
		if _, err := d.tickets.Comment(d.user, tk.ID, "型号 HP M404", false, 0); err != nil {
			t.Fatal(err)
		}
		ts = d.timers(t, tk.ID)
		res := ts[sla.Resolution]
		if res.Paused() || !res.DueAt.Equal(sh("2026-11-26 16:00")) || !res.WarnAt.Equal(sh("2026-11-26 11:00")) {
			t.Fatalf("after resume: paused %v due %s warn %s", res.Paused(), res.DueAt, res.WarnAt)
		}
		// Priority up to P2 (high × medium): resolution 8 h → 2 h counted + 6 h from Wednesday 09:00.
		tk, _ = d.tickets.Get(d.agent, tk.ID)
		high := ticket.High
		if tk, err = d.tickets.Update(d.agent, tk.ID, tk.Version, ticket.Patch{Urgency: &high}); err != nil || tk.Priority != 2 {
			t.Fatalf("priority change: %v %v", tk, err)
		}
		res = d.timers(t, tk.ID)[sla.Resolution]
		if !res.DueAt.Equal(sh("2026-11-25 16:00")) || res.Target != 8*time.Hour {
			t.Fatalf("re-targeted due %s target %v", res.DueAt, res.Target)
		}
		// Past the warning (75 % = 6 h: Wednesday 14:00) — one warning, once, with two engines.
		d.now = sh("2026-11-25 14:30")
		other := &sla.Tracker{Service: d.tracker.Service, Timers: d.tracker.Timers, Now: d.tracker.Now, Tickets: d.tracker.Tickets}
		if n := d.tick(t, d.tracker) + d.tick(t, other); n != 1 {
			t.Fatalf("%d firings at the warning, want 1", n)
		}
		d.now = sh("2026-11-25 16:30")
		if n := d.tick(t, other) + d.tick(t, d.tracker) + d.tick(t, other); n != 1 {
			t.Fatalf("%d firings at the breach, want 1", n)
		}
		tk, _ = d.tickets.Get(d.agent, tk.ID)
		// Resolved late (missed), rejected: the clock runs on, breached; resolved again; nothing fires twice.
		d.now = sh("2026-11-25 17:00")
		if tk, err = d.tickets.Resolve(d.agent, tk.ID, tk.Version, ticket.Resolution{Solution: "更换硒鼓"}); err != nil {
			t.Fatal(err)
		}
		if st := d.timers(t, tk.ID)[sla.Resolution].State; st != sla.Missed {
			t.Fatalf("resolved late: %s", st)
		}
		d.now = sh("2026-11-26 09:00")
		if tk, err = d.tickets.Reject(d.user, tk.ID, tk.Version, "还是卡纸"); err != nil {
			t.Fatal(err)
		}
		if st := d.timers(t, tk.ID)[sla.Resolution].State; st != sla.Breached {
			t.Fatalf("after the rejection: %s", st)
		}
		d.now = sh("2026-11-27 09:00")
		if n := d.tick(t, d.tracker); n != 0 {
			t.Fatalf("%d firings after the rejection, want 0", n)
		}
		evs, _ := d.tickets.Events(d.agent, tk.ID)
		var warn, breach int
		for _, e := range evs {
			switch e.Kind {
			case ticket.EvSLAWarning:
				warn++
			case ticket.EvSLABreach:
				breach++
			}
		}
		if warn != 1 || breach != 1 {
			t.Fatalf("history has %d warnings and %d breaches", warn, breach)
		}
	})
}

// TestReplanAfterCalendarEdit: a holiday added to the calendar moves the due time of running clocks.
func TestReplanAfterCalendarEdit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		tk, err := d.tickets.Create(d.user, ticket.NewTicket{Type: ticket.Incident, Channel: ticket.Portal, Subject: "邮件发不出去",
			Urgency: ticket.Medium, Impact: ticket.Medium})
		if err != nil {
			t.Fatal(err)
		}
		if due := d.timers(t, tk.ID)[sla.Resolution].DueAt; !due.Equal(sh("2026-11-24 18:00")) {
			t.Fatalf("due %s", due)
		}
		op := actor.System(actor.SourceCLI)
		op.Perms[sla.PermManage] = true
		file := `{"year":2026,"region":"CN","dates":[{"date":"2026-11-24","name":"测试假日","type":"public_holiday"}]}`
		if _, err := d.tracker.Service.ImportYear(actor.NewContext(context.Background(), op), "cn-workday", 2026, []byte(file)); err != nil {
			t.Fatal(err)
		}
		n, err := d.tracker.Replan(context.Background(), "cn-workday")
		if err != nil || n != 2 {
			t.Fatalf("re-planned %d clocks (%v)", n, err)
		}
		if due := d.timers(t, tk.ID)[sla.Resolution].DueAt; !due.Equal(sh("2026-11-25 18:00")) {
			t.Fatalf("due after the new holiday %s", due)
		}
		if got, _ := d.tickets.Get(d.agent, tk.ID); !got.SLADue.Equal(sh("2026-11-25 18:00")) || got.SLAState != "within" {
			t.Fatalf("ticket summary %s %q", got.SLADue, got.SLAState)
		}
	})
}
