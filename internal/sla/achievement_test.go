package sla_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// TestAchievement drives clocks with the tracker and a moved clock, then checks the report's numbers
// exactly, per priority, per group and for the period, on both engines, and who may read it.
func TestAchievement(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		open := func(u, i ticket.Level) int64 {
			tk, err := d.tickets.Create(d.user, ticket.NewTicket{Type: ticket.Incident, Channel: ticket.Portal, Subject: "打印机",
				Urgency: u, Impact: i})
			if err != nil {
				t.Fatal(err)
			}
			return tk.ID
		}
		reply := func(id int64) {
			if _, err := d.tickets.Comment(d.agent, id, "处理中", false, 0); err != nil {
				t.Fatal(err)
			}
		}
		// Monday 09:00: a P3 (first response 2h) and a P1 (first response 30m, resolution 4h).
		p3, p1 := open(ticket.Medium, ticket.Medium), open(ticket.High, ticket.High)
		d.now = sh("2026-11-23 09:40")
		d.tick(t, d.tracker) // P1's first response: warning and breach
		d.now = sh("2026-11-23 10:00")
		reply(p3) // met
		reply(p1) // missed
		d.now = sh("2026-11-23 14:30")
		d.tick(t, d.tracker) // P1's resolution (due 14:00): warning and breach

		base := actor.FromContext(d.agent)
		sup := *base
		sup.Perms = map[string]bool{ticket.PermManage: true}
		supCtx := actor.NewContext(context.Background(), &sup)
		got, err := d.tracker.Achievement(supCtx, sh("2026-11-23 00:00"), sh("2026-11-24 00:00"))
		if err != nil {
			t.Fatal(err)
		}
		want := &sla.Achievement{From: sh("2026-11-23 00:00"), To: sh("2026-11-24 00:00"),
			Total:      sla.AchievementLine{Met: 1, Missed: 1, Breaches: 2},
			ByPriority: []sla.AchievementLine{{Key: 1, Missed: 1, Breaches: 2}, {Key: 2}, {Key: 3, Met: 1}, {Key: 4}},
			ByGroup:    []sla.AchievementLine{{Key: 0, Met: 1, Missed: 1, Breaches: 2}}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Monday mismatch (-want +got):\n%s", diff)
		}
		if got.Total.Percent() != 50 || got.ByPriority[2].Percent() != 100 || got.ByPriority[1].Percent() != 0 {
			t.Errorf("percent %v %v %v", got.Total.Percent(), got.ByPriority[2].Percent(), got.ByPriority[1].Percent())
		}
		// Tuesday: nothing stopped, nothing fired.
		got, err = d.tracker.Achievement(supCtx, sh("2026-11-24 00:00"), sh("2026-11-25 00:00"))
		if err != nil || got.Total != (sla.AchievementLine{}) || len(got.ByGroup) != 0 {
			t.Errorf("Tuesday: %+v %v", got, err)
		}
		// Another service area sees none of it.
		other := sup
		other.OrgPath, other.ServicePath = "/999/", "/999/"
		got, err = d.tracker.Achievement(actor.NewContext(context.Background(), &other), sh("2026-11-23 00:00"), sh("2026-11-24 00:00"))
		if err != nil || got.Total != (sla.AchievementLine{}) {
			t.Errorf("other area: %+v %v", got.Total, err)
		}
		// Agents and requesters may not read it; nobody signed in neither.
		for name, ctx := range map[string]context.Context{"agent": d.agent, "requester": d.user} {
			if _, err := d.tracker.Achievement(ctx, sh("2026-11-23 00:00"), sh("2026-11-24 00:00")); !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := d.tracker.Achievement(context.Background(), sh("2026-11-23 00:00"), sh("2026-11-24 00:00")); !errs.Is(err, errs.Unauthenticated) {
			t.Errorf("anonymous: %v", err)
		}
	})
}
