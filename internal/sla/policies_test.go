package sla_test

import (
	"context"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

func TestPoliciesStoredAndCalendarInUse(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := &sla.Service{Store: store.SLA{DB: db}, Audit: &audit.Service{Store: store.Audit{DB: db}, Now: time.Now}}
		op := actor.System(actor.SourceCLI)
		op.Perms[sla.PermManage] = true
		ctx := actor.NewContext(context.Background(), op)
		if err := s.EnsureDefault(ctx); err != nil {
			t.Fatal(err)
		}
		p := &sla.Policy{Name: "故障标准", Calendar: "cn-workday", TicketType: "incident", Active: true,
			Targets: [4]sla.Targets{{sla.FirstResponse: 15 * time.Minute, sla.Resolution: 4 * time.Hour}, {sla.Resolution: 8 * time.Hour}}}
		if err := s.SavePolicy(actor.NewContext(context.Background(), actor.System(actor.SourceCLI)), p); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("saved without sla.manage: %v", err)
		}
		if err := s.SavePolicy(ctx, p); err != nil {
			t.Fatal(err)
		}
		bad := &sla.Policy{Name: "无日历", Calendar: "no-such", Targets: [4]sla.Targets{{sla.Resolution: time.Hour}}}
		if err := s.SavePolicy(ctx, bad); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("unknown calendar: %v", err)
		}
		if err := s.SavePolicy(ctx, &sla.Policy{Name: "故障标准", Calendar: "cn-workday", Targets: [4]sla.Targets{{sla.Resolution: time.Hour}}}); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("duplicate name: %v", err)
		}
		got, err := s.Policies(ctx)
		if err != nil || len(got) != 1 || got[0].Targets[0][sla.FirstResponse] != 15*time.Minute || got[0].Targets[1][sla.Resolution] != 8*time.Hour ||
			got[0].WarnAt != sla.DefaultWarnAt || got[0].Calendar != "cn-workday" {
			t.Fatalf("stored policies %+v %v", got, err)
		}
		stale := *got[0]
		got[0].WarnAt = 0.8
		if err := s.SavePolicy(ctx, got[0]); err != nil {
			t.Fatal(err)
		}
		if err := s.SavePolicy(ctx, &stale); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("stale edit: %v", err)
		}
		err = s.DeleteCalendar(ctx, "cn-workday")
		if _, fields := errs.Info(err); errs.KindOf(err) != errs.Conflict || fields["policies"] != "故障标准" {
			t.Fatalf("deleting a calendar in use: %v %v", err, fields)
		}
		if err := s.DeletePolicy(ctx, got[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteCalendar(ctx, "cn-workday"); err != nil {
			t.Fatalf("deleting an unused calendar: %v", err)
		}
		if cals, _ := s.Calendars(ctx); len(cals) != 0 {
			t.Fatalf("calendar left after delete: %v", cals)
		}
	})
}
