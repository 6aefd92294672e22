package sla_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// recorder is a ticket.Notices that keeps what it was told, per ticket.
type recorder struct {
	mu  sync.Mutex
	got map[int64][]ticket.EventKind
}

func (r *recorder) Notice(_ context.Context, t *ticket.Ticket, n ticket.Notice) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.got == nil {
		r.got = map[int64][]ticket.EventKind{}
	}
	r.got[t.ID] = append(r.got[t.ID], n.Event.Kind)
	return nil
}

func (r *recorder) count(ticketID int64, k ticket.EventKind) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, x := range r.got[ticketID] {
		if x == k {
			n++
		}
	}
	return n
}

// actionDesk is a service desk with support lines and managers, SLA policies with actions, and a
// clock the test moves; engine builds the services anew over the same database (a restart or a
// second replica).
type actionDesk struct {
	db      *store.DB
	now     time.Time
	notices *recorder
	op      context.Context // sla.manage
	agent   context.Context
	user    context.Context
	ids     map[string]int64 // users and groups by name
}

func (d *actionDesk) engine() (*ticket.Service, *sla.Tracker) {
	clock := func() time.Time { return d.now }
	au := &audit.Service{Store: store.Audit{DB: d.db}, Now: clock}
	svc := &sla.Service{Store: store.SLA{DB: d.db}, Audit: au, Groups: store.Directory{DB: d.db}}
	tr := &sla.Tracker{Service: svc, Timers: store.SLA{DB: d.db}, Now: clock}
	desk := &ticket.Service{Store: store.Tickets{DB: d.db}, Directory: store.Directory{DB: d.db}, Audit: au,
		Zone: sla.Shanghai, Now: clock, Clocks: tr, Notices: d.notices}
	tr.Tickets = desk
	return desk, tr
}

// newActionDesk builds: units 总部 › 信息中心 and 总部 › 分公司; groups 服务台 (L1, managed by lead,
// 信息中心), 桌面组 (L1, 信息中心), 分公司网络组 (L2, 分公司, created first so that it has the lower id),
// 网络组 (L2, managed by lead2, 信息中心) and 管理组 (L3, managed by boss, with lead among its members).
func newActionDesk(t *testing.T, db *store.DB) *actionDesk {
	t.Helper()
	ctx := context.Background()
	d := &actionDesk{db: db, now: sh("2026-11-23 09:00"), notices: &recorder{}, ids: map[string]int64{}}
	op := actor.System(actor.SourceCLI)
	op.Perms[sla.PermManage] = true
	d.op = actor.NewContext(ctx, op)
	_, tr := d.engine()
	if err := tr.Service.EnsureDefault(d.op); err != nil {
		t.Fatal(err)
	}
	st := store.IAM{DB: db}
	root := &iam.OrgUnit{Name: "总部", Kind: iam.OrgHQ}
	if err := st.CreateOrgUnit(ctx, root); err != nil {
		t.Fatal(err)
	}
	units := map[string]*iam.OrgUnit{}
	for _, name := range []string{"信息中心", "分公司"} {
		u := &iam.OrgUnit{Name: name, Kind: iam.OrgDept, ParentID: root.ID}
		if err := st.CreateOrgUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
		units[name] = u
	}
	for _, name := range []string{"agent", "user", "lead", "lead2", "boss", "eng1", "eng1b", "eng2", "eng2b"} {
		u := &iam.User{Username: name, Name: name, OrgUnitID: units["信息中心"].ID}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		d.ids[name] = u.ID
	}
	mk := func(name string, tier iam.Tier, unit string, manager string, members ...string) {
		g := &iam.Group{Name: name, Code: "g" + string(rune('a'+len(d.ids))), Tier: tier, ManagerID: d.ids[manager], OrgUnitID: units[unit].ID}
		for _, m := range members {
			g.MemberIDs = append(g.MemberIDs, d.ids[m])
		}
		if err := st.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		d.ids[name] = g.ID
	}
	mk("分公司网络组", 2, "分公司", "", "eng2b")
	mk("服务台", 1, "信息中心", "lead", "eng1")
	mk("桌面组", 1, "信息中心", "", "eng1b")
	mk("网络组", 2, "信息中心", "lead2", "eng2")
	mk("管理组", 3, "信息中心", "boss", "lead")
	mk("临时组", 1, "信息中心", "", "eng1")
	for name, perms := range map[string][]string{"agent": {ticket.PermIntake, ticket.PermWork, ticket.PermAssign, ticket.PermSubmit},
		"user": {ticket.PermSubmit}} {
		a := &actor.Actor{UserID: d.ids[name], Username: name, OrgPath: root.Path, Perms: map[string]bool{}, Source: actor.SourceWeb}
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

// policy saves a policy of resolution 8 h (every priority) for one ticket type.
func (d *actionDesk) policy(t *testing.T, typ ticket.Type, acts sla.Actions) {
	t.Helper()
	_, tr := d.engine()
	eight := sla.Targets{sla.Resolution: 8 * time.Hour}
	p := &sla.Policy{Name: "策略-" + string(typ), Calendar: sla.DefaultName, TicketType: string(typ), Active: true,
		Targets: [4]sla.Targets{eight, eight, eight, eight}, Actions: acts}
	if err := tr.Service.SavePolicy(d.op, p); err != nil {
		t.Fatal(err)
	}
}

func (d *actionDesk) open(t *testing.T, typ ticket.Type, subject string) int64 {
	t.Helper()
	desk, _ := d.engine()
	tk, err := desk.Create(d.agent, ticket.NewTicket{Type: typ, Channel: ticket.Phone, Subject: subject, RequesterID: d.ids["user"],
		Urgency: ticket.Medium, Impact: ticket.Medium, GroupID: d.ids["服务台"]})
	if err != nil {
		t.Fatal(err)
	}
	return tk.ID
}

// tickAtOnce runs the threshold job of n fresh engines concurrently and returns their firings.
func (d *actionDesk) tickAtOnce(t *testing.T, n int) int {
	t.Helper()
	ctx := actor.NewContext(context.Background(), actor.System(actor.SourceJob))
	var wg sync.WaitGroup
	fired := make([]int, n)
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		_, tr := d.engine()
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			fired[i], errs[i] = tr.Tick(ctx)
		}()
	}
	close(start)
	wg.Wait()
	total := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("tick %d: %v", i, errs[i])
		}
		total += fired[i]
	}
	return total
}

func (d *actionDesk) history(t *testing.T, id int64) []*ticket.Event {
	t.Helper()
	evs, err := store.Tickets{DB: d.db}.Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func kinds(evs []*ticket.Event, k ticket.EventKind) []*ticket.Event {
	var out []*ticket.Event
	for _, e := range evs {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

// TestSLAActionsFireExactlyOnce drives four tickets past warning and breach on both engines, with
// two engines ticking at once and a restart between, and checks each policy's actions — notices on
// and off, reporting up the manager chain one level per firing, reassigning, raising the support
// line to the closest next-line group, a reassignment to a deleted group recorded as failed, and
// firings with no action that leave the ticket's version alone — each happened exactly once.
func TestSLAActionsFireExactlyOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newActionDesk(t, db)
		d.policy(t, ticket.Incident, sla.Actions{Warning: sla.Action{ReportUp: true}, Breach: sla.Action{Notify: true, ReportUp: true}})
		d.policy(t, ticket.Request, sla.Actions{
			Warning: sla.Action{Notify: true, ReassignGroupID: d.ids["桌面组"], ReassignUserID: d.ids["eng1b"]},
			Breach:  sla.Action{Notify: true, RaiseTier: true}})
		d.policy(t, ticket.Consultation, sla.Actions{Warning: sla.Action{Notify: true, ReassignGroupID: d.ids["临时组"]},
			Breach: sla.Action{ReportUp: true}})
		d.policy(t, ticket.Complaint, sla.Actions{Warning: sla.Action{}, Breach: sla.Action{Notify: true}})
		// Monday 09:00: resolution 8 h of cn-workday → warning (75 %) 16:00, due 18:00.
		up, moved, failed := d.open(t, ticket.Incident, "核心交换机告警"), d.open(t, ticket.Request, "申请开通 VPN"), d.open(t, ticket.Consultation, "咨询打印机驱动")
		quiet := d.open(t, ticket.Complaint, "投诉响应慢")
		if err := (store.IAM{DB: db}).DeleteGroup(context.Background(), d.ids["临时组"]); err != nil {
			t.Fatal(err)
		}
		d.now = sh("2026-11-23 15:59")
		if n := d.tickAtOnce(t, 2); n != 0 {
			t.Fatalf("%d firings before the warning", n)
		}
		d.now = sh("2026-11-23 16:30")
		if n := d.tickAtOnce(t, 2); n != 4 {
			t.Fatalf("%d firings at the warning by two engines at once, want 4", n)
		}
		if n := d.tickAtOnce(t, 1); n != 0 { // a restart
			t.Fatalf("%d firings again after a restart", n)
		}
		d.now = sh("2026-11-23 18:30")
		if n := d.tickAtOnce(t, 2); n != 4 {
			t.Fatalf("%d firings at the breach by two engines at once, want 4", n)
		}
		d.now = sh("2026-11-24 12:00")
		if n := d.tickAtOnce(t, 2); n != 0 {
			t.Fatalf("%d firings the next day", n)
		}
		desk, _ := d.engine()
		get := func(id int64) *ticket.Ticket {
			tk, err := desk.Store.Get(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			return tk
		}
		for _, id := range []int64{up, moved, failed, quiet} {
			evs := d.history(t, id)
			if w, b := len(kinds(evs, ticket.EvSLAWarning)), len(kinds(evs, ticket.EvSLABreach)); w != 1 || b != 1 {
				t.Fatalf("ticket %d: %d warnings and %d breaches in the history", id, w, b)
			}
		}

		// Notify only (or nothing at all): the ticket itself is not saved — its version stays — and
		// only the breach told people.
		if tk := get(quiet); tk.Version != 1 || tk.GroupID != d.ids["服务台"] {
			t.Fatalf("a firing without actions saved the ticket: version %d group %d", tk.Version, tk.GroupID)
		}
		if w, b := d.notices.count(quiet, ticket.EvSLAWarning), d.notices.count(quiet, ticket.EvSLABreach); w != 0 || b != 1 {
			t.Fatalf("notices without actions: %d warnings (off), %d breaches (on)", w, b)
		}

		// Reported up: the group's manager at the warning, their manager at the breach; the warning
		// was silent, the breach told people.
		evs := kinds(d.history(t, up), ticket.EvReportedUp)
		if len(evs) != 2 || evs[0].ToUser != d.ids["lead"] || evs[1].ToUser != d.ids["boss"] {
			t.Fatalf("reported up %+v, want lead then boss", evs)
		}
		if w := get(up).Watchers; !slices.Contains(w, d.ids["lead"]) || !slices.Contains(w, d.ids["boss"]) {
			t.Fatalf("watchers %v", w)
		}
		if w, b := d.notices.count(up, ticket.EvSLAWarning), d.notices.count(up, ticket.EvSLABreach); w != 0 || b != 1 {
			t.Fatalf("notices: %d warnings (notify off), %d breaches (on)", w, b)
		}

		// Reassigned to 桌面组/eng1b at the warning, raised to 网络组 — the L2 group of the same unit,
		// not 分公司网络组 with its lower id — at the breach.
		tk := get(moved)
		if tk.GroupID != d.ids["网络组"] || tk.Tier != 2 || tk.AssigneeID != d.ids["eng2"] || tk.Status != ticket.Assigned {
			t.Fatalf("after the breach: group %d tier %d assignee %d %s", tk.GroupID, tk.Tier, tk.AssigneeID, tk.Status)
		}
		hist := d.history(t, moved)
		as, es := kinds(hist, ticket.EvAssigned), kinds(hist, ticket.EvEscalated)
		if len(as) != 2 || as[1].ToGroup != d.ids["桌面组"] || as[1].ToUser != d.ids["eng1b"] || as[1].Reason != "SLA warning" ||
			len(es) != 1 || es[0].FromGroup != d.ids["桌面组"] || es[0].ToGroup != d.ids["网络组"] {
			t.Fatalf("assignments %+v, escalations %+v", as, es)
		}
		if w, b := d.notices.count(moved, ticket.EvSLAWarning), d.notices.count(moved, ticket.EvSLABreach); w != 1 || b != 1 {
			t.Fatalf("notices: %d warnings, %d breaches", w, b)
		}

		// The reassignment to the deleted group failed: the firing stands, with the reason, and the
		// ticket stayed where it was; the breach (no notice) reported it up to 服务台's manager.
		warn := kinds(d.history(t, failed), ticket.EvSLAWarning)[0]
		if !strings.Contains(warn.Reason, "reassign: support group #"+strconv.FormatInt(d.ids["临时组"], 10)+" no longer exists") {
			t.Fatalf("warning reason %q", warn.Reason)
		}
		if tk := get(failed); tk.GroupID != d.ids["服务台"] || len(kinds(d.history(t, failed), ticket.EvReportedUp)) != 1 {
			t.Fatalf("failed reassignment moved the ticket to %d", tk.GroupID)
		}
		if b := d.notices.count(failed, ticket.EvSLABreach); b != 0 {
			t.Fatalf("%d breach notices with notify off", b)
		}
	})
}

// TestSLAReportUpStaysAtTheTop: at the top of the manager chain a further firing adds nobody and
// says so in the history.
func TestSLAReportUpStaysAtTheTop(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newActionDesk(t, db)
		d.policy(t, ticket.Incident, sla.Actions{Warning: sla.Action{ReportUp: true}, Breach: sla.Action{ReportUp: true}})
		id := d.open(t, ticket.Incident, "机房空调告警")
		desk, _ := d.engine()
		if _, err := desk.ReportUp(d.agent, id, "先报组长"); err != nil { // by hand: lead
			t.Fatal(err)
		}
		d.now = sh("2026-11-23 16:30")
		if n := d.tickAtOnce(t, 1); n != 1 {
			t.Fatalf("%d firings", n)
		}
		d.now = sh("2026-11-23 18:30")
		if n := d.tickAtOnce(t, 1); n != 1 {
			t.Fatalf("%d firings", n)
		}
		hist := d.history(t, id)
		ups := kinds(hist, ticket.EvReportedUp)
		if len(ups) != 2 || ups[0].ToUser != d.ids["lead"] || ups[1].ToUser != d.ids["boss"] {
			t.Fatalf("reported up %+v", ups)
		}
		if b := kinds(hist, ticket.EvSLABreach); len(b) != 1 || !strings.Contains(b[0].Reason, "no manager above") {
			t.Fatalf("breach entry %+v", b)
		}
	})
}

// TestPolicyActionsChecked: an engineer without a group, a reassignment together with a tier raise,
// an unknown group and an engineer outside the group are refused with the field named; nothing is
// saved. Good actions are stored and read back.
func TestPolicyActionsChecked(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newActionDesk(t, db)
		_, tr := d.engine()
		eight := sla.Targets{sla.Resolution: 8 * time.Hour}
		for _, tc := range []struct {
			name  string
			acts  sla.Actions
			field string
			msg   string
		}{
			{"user without group", sla.Actions{Warning: sla.Action{ReassignUserID: d.ids["eng1"]}}, "actions.warning.reassign_user_id", "err.sla.action_user_without_group"},
			{"reassign and raise", sla.Actions{Breach: sla.Action{ReassignGroupID: d.ids["桌面组"], RaiseTier: true}}, "actions.breach.raise_tier", "err.sla.action_reassign_and_raise"},
			{"unknown group", sla.Actions{Breach: sla.Action{ReassignGroupID: 999999}}, "actions.breach.reassign_group_id", "err.group.unknown"},
			{"not a member", sla.Actions{Warning: sla.Action{ReassignGroupID: d.ids["桌面组"], ReassignUserID: d.ids["eng2"]}}, "actions.warning.reassign_user_id", "err.ticket.not_member"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := tr.Service.SavePolicy(d.op, &sla.Policy{Name: tc.name, Calendar: sla.DefaultName, Active: true,
					Targets: [4]sla.Targets{eight}, Actions: tc.acts})
				if _, fields := errs.Info(err); errs.KindOf(err) != errs.Invalid || fields[tc.field] != tc.msg {
					t.Fatalf("got %v %v, want %s on %s", err, fields, tc.msg, tc.field)
				}
			})
		}
		want := sla.Actions{Warning: sla.Action{Notify: true, ReassignGroupID: d.ids["桌面组"], ReassignUserID: d.ids["eng1b"]},
			Breach: sla.Action{RaiseTier: true, ReportUp: true}}
		if err := tr.Service.SavePolicy(d.op, &sla.Policy{Name: "good", Calendar: sla.DefaultName, Active: true,
			Targets: [4]sla.Targets{eight}, Actions: want}); err != nil {
			t.Fatal(err)
		}
		ps, err := tr.Service.Policies(d.op)
		if err != nil || len(ps) != 1 || ps[0].Actions != want {
			t.Fatalf("stored %+v %v, want one policy with %+v", ps, err, want)
		}
	})
}

// failingFirer performs a firing and then fails, once, on one ticket: an unforeseen failure after
// the actions wrote something.
type failingFirer struct {
	next   sla.Firer
	ticket int64
	failed bool
}

func (f *failingFirer) SLAFired(ctx context.Context, id int64, kind ticket.EventKind, reason string, act ticket.SLAAction) error {
	if err := f.next.SLAFired(ctx, id, kind, reason, act); err != nil || id != f.ticket || f.failed {
		return err
	}
	f.failed = true
	return errors.New("boom")
}

func (f *failingFirer) SLANoted(ctx context.Context, notes []ticket.SLANote) error {
	return f.next.SLANoted(ctx, notes)
}

// TestSLAFiringSurvivesAFailingAction: when the ticket service fails on one ticket, that ticket's
// partial work is undone, its firing is recorded once without the actions and with a note, the
// problem is returned, and the other tickets fire with their actions in the same tick.
func TestSLAFiringSurvivesAFailingAction(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newActionDesk(t, db)
		d.policy(t, ticket.Incident, sla.Actions{Warning: sla.Action{Notify: true, ReportUp: true}})
		bad, good := d.open(t, ticket.Incident, "磁盘告警"), d.open(t, ticket.Incident, "内存告警")
		d.now = sh("2026-11-23 16:30")
		_, tr := d.engine()
		tr.Tickets = &failingFirer{next: tr.Tickets, ticket: bad}
		n, err := tr.Tick(actor.NewContext(context.Background(), actor.System(actor.SourceJob)))
		if n != 2 || err == nil || !strings.Contains(err.Error(), "boom") {
			t.Fatalf("tick: %d firings, %v; want 2 and the problem", n, err)
		}
		if n := d.tickAtOnce(t, 1); n != 0 {
			t.Fatalf("%d firings again", n)
		}
		hist := d.history(t, bad)
		w := kinds(hist, ticket.EvSLAWarning)
		if len(w) != 1 || !strings.Contains(w[0].Reason, "actions failed") || len(kinds(hist, ticket.EvReportedUp)) != 0 {
			t.Fatalf("failed ticket's history: warnings %+v, reported %d", w, len(kinds(hist, ticket.EvReportedUp)))
		}
		hist = d.history(t, good)
		if len(kinds(hist, ticket.EvSLAWarning)) != 1 || len(kinds(hist, ticket.EvReportedUp)) != 1 {
			t.Fatalf("the other ticket's history %+v", hist)
		}
	})
}
