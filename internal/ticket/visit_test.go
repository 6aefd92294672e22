package ticket_test

import (
	"slices"
	"testing"
	"time"

	"opsdesk/internal/errs"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

func TestVisitTimes(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tk := &ticket.Ticket{CreatedAt: now.Add(-2 * time.Hour)}
	arrived := &ticket.Visit{ArrivedAt: now.Add(-time.Hour)}
	cases := []struct {
		name string
		err  error
		want errs.Kind
	}{
		{"arrival now", ticket.CheckArrival(tk, now, now), 0},
		{"arrival a minute ahead of the clock", ticket.CheckArrival(tk, now.Add(time.Minute), now), 0},
		{"arrival before the ticket", ticket.CheckArrival(tk, now.Add(-3*time.Hour), now), errs.Invalid},
		{"arrival in the future", ticket.CheckArrival(tk, now.Add(time.Hour), now), errs.Invalid},
		{"completion after arrival", ticket.CheckCompletion(arrived, now, now), 0},
		{"completion at arrival", ticket.CheckCompletion(arrived, arrived.ArrivedAt, now), 0},
		{"completion before arrival", ticket.CheckCompletion(arrived, now.Add(-2*time.Hour), now), errs.Invalid},
		{"completion in the future", ticket.CheckCompletion(arrived, now.Add(time.Hour), now), errs.Invalid},
		{"completion without arrival", ticket.CheckCompletion(&ticket.Visit{}, now, now), errs.Invalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := errs.KindOf(tc.err); tc.want == 0 && tc.err != nil || tc.want != 0 && got != tc.want {
				t.Fatalf("got %v, want kind %v", tc.err, tc.want)
			}
		})
	}
}

func TestVisitsAndServiceReport(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		tk := d.open(t, "requester", "打印机卡纸")
		tk, err := d.s.Assign(d.as("agent"), tk.ID, tk.Version, d.group, d.actors["engineer"].UserID, "")
		if err != nil {
			t.Fatal(err)
		}
		plan := ticket.VisitPlan{PlannedAt: d.now.Add(2 * time.Hour), Address: "三楼东侧 302"}
		if _, err := d.s.PlanVisit(d.as("engineer"), tk.ID, plan); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("visit for a remote ticket: %v", err)
		}
		onsite := ticket.OnSite
		if tk, err = d.s.Update(d.as("engineer"), tk.ID, tk.Version, ticket.Patch{ServiceMode: &onsite}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.s.PlanVisit(d.as("requester"), tk.ID, plan); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("the requester planned a visit: %v", err)
		}
		if _, err := d.s.PlanVisit(d.as("other"), tk.ID, plan); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("a stranger planned a visit: %v", err)
		}
		if _, err := d.s.PlanVisit(d.as("engineer"), tk.ID, ticket.VisitPlan{PlannedAt: plan.PlannedAt}); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("visit without an address: %v", err)
		}
		v, err := d.s.PlanVisit(d.as("engineer"), tk.ID, plan)
		if err != nil {
			t.Fatal(err)
		}
		if v.EngineerID != d.actors["engineer"].UserID || v.Version != 1 {
			t.Fatalf("planned %+v", v)
		}
		if err := d.s.ConfirmReport(d.as("requester"), tk.ID, ""); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("confirmed a report with no work done: %v", err)
		}
		if _, err := d.s.CompleteVisit(d.as("engineer"), tk.ID, v.ID, v.Version, ticket.VisitWork{WorkLog: "清理搓纸轮"}); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("completed before arriving: %v", err)
		}
		if _, err := d.s.Arrive(d.as("engineer"), tk.ID, v.ID, v.Version, d.now.Add(-time.Hour)); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("arrived before the ticket existed: %v", err)
		}
		if _, err := d.s.Arrive(d.as("engineer"), tk.ID, v.ID, v.Version, d.now.Add(time.Hour)); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("arrived in the future: %v", err)
		}
		d.now = d.now.Add(2 * time.Hour)
		if v, err = d.s.Arrive(d.as("engineer"), tk.ID, v.ID, v.Version, time.Time{}); err != nil || !v.ArrivedAt.Equal(d.now) {
			t.Fatalf("arrive: %+v %v", v, err)
		}
		if _, err := d.s.Arrive(d.as("engineer"), tk.ID, v.ID, v.Version, time.Time{}); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("arrived twice: %v", err)
		}
		d.now = d.now.Add(40 * time.Minute)
		work := ticket.VisitWork{WorkLog: "清理搓纸轮，更换定影组件，打印测试页正常", Parts: "定影组件 ×1"}
		if _, err := d.s.CompleteVisit(d.as("engineer"), tk.ID, v.ID, v.Version-1, work); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("stale completion: %v", err)
		}
		if _, err := d.s.CompleteVisit(d.as("engineer"), tk.ID, v.ID, v.Version, ticket.VisitWork{CompletedAt: v.ArrivedAt.Add(-time.Minute), WorkLog: "x"}); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("completed before arriving: %v", err)
		}
		if _, err := d.s.CompleteVisit(d.as("engineer"), tk.ID, v.ID, v.Version, ticket.VisitWork{}); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("completed without a work log: %v", err)
		}
		if v, err = d.s.CompleteVisit(d.as("engineer"), tk.ID, v.ID, v.Version, work); err != nil || !v.IsDone() {
			t.Fatalf("complete: %+v %v", v, err)
		}
		// Only the requester confirms the report; others are refused or do not see the ticket.
		if err := d.s.ConfirmReport(d.as("engineer"), tk.ID, ""); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("the engineer confirmed the report: %v", err)
		}
		if err := d.s.ConfirmReport(d.as("agent"), tk.ID, ""); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("the agent confirmed the report: %v", err)
		}
		if err := d.s.ConfirmReport(d.as("other"), tk.ID, ""); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("a stranger confirmed the report: %v", err)
		}
		d.now = d.now.Add(5 * time.Minute)
		if err := d.s.ConfirmReport(d.as("requester"), tk.ID, "服务到位"); err != nil {
			t.Fatal(err)
		}
		if err := d.s.ConfirmReport(d.as("requester"), tk.ID, ""); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("confirmed twice: %v", err)
		}
		vs, err := d.s.Visits(d.as("requester"), tk.ID)
		if err != nil || len(vs) != 1 {
			t.Fatalf("visits: %v %v", vs, err)
		}
		r := ticket.Report(vs)
		if r.Done != 1 || r.Pending != 0 || r.ConfirmedBy != d.actors["requester"].UserID || !r.ConfirmedAt.Equal(d.now) || r.Note != "服务到位" {
			t.Fatalf("report state %+v", r)
		}
		if _, err := d.s.Visits(d.as("other"), tk.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("a stranger read the visits: %v", err)
		}
		if _, err := d.s.CompleteVisit(d.as("engineer"), tk.ID, vs[0].ID, 0, work); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("changed a confirmed visit: %v", err)
		}
		got := kinds(t, d, tk.ID)
		for _, k := range []ticket.EventKind{ticket.EvVisitPlanned, ticket.EvVisitArrived, ticket.EvVisitCompleted, ticket.EvReportConfirm} {
			if !slices.Contains(got, k) {
				t.Errorf("history lacks %s: %v", k, got)
			}
		}
		// A visit on another ticket's path is not found.
		other := d.open(t, "requester", "另一张工单")
		if _, err := d.s.Arrive(d.as("engineer"), other.ID, v.ID, 0, time.Time{}); errs.KindOf(err) != errs.NotFound && errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("visit reached through another ticket: %v", err)
		}
	})
}
