package sla_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

func TestCalendarsStoredOnBothEngines(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := &sla.Service{Store: store.SLA{DB: db}, Audit: &audit.Service{Store: store.Audit{DB: db}, Now: time.Now}}
		op := actor.System(actor.SourceCLI)
		op.Perms[sla.PermManage] = true
		ctx := actor.NewContext(context.Background(), op)
		for range 2 { // idempotent
			if err := s.EnsureDefault(ctx); err != nil {
				t.Fatal(err)
			}
		}
		cals, err := s.Calendars(ctx)
		if err != nil || len(cals) != 1 || cals[0].Name != "cn-workday" || cals[0].LastYear != 2026 || cals[0].Workdays == 0 {
			t.Fatalf("calendars %+v %v", cals, err)
		}
		cal, err := s.Calendar(ctx, "cn-workday")
		if err != nil {
			t.Fatal(err)
		}
		from := time.Date(2026, 9, 30, 17, 0, 0, 0, sla.Shanghai)
		if got, want := cal.Due(from, 2*time.Hour), time.Date(2026, 10, 8, 10, 0, 0, 0, sla.Shanghai); !got.Equal(want) {
			t.Fatalf("stored calendar due %s, want %s", got, want)
		}
		if !sla.MissingNextYear(cals[0], time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)) {
			t.Fatal("2027 missing in November 2026 not reported")
		}
		file := `{"year":2027,"region":"CN","dates":[{"date":"2027-01-01","name":"元旦","type":"public_holiday"},{"date":"2027-02-07","name":"春节补班","type":"transfer_workday"}]}`
		if n, err := s.ImportYear(ctx, "cn-workday", 2027, []byte(file)); err != nil || n != 2 {
			t.Fatalf("import: %d %v", n, err)
		}
		bad := `{"year":2027,"dates":[{"date":"2027-01-01","type":"public_holiday","oops":1}]}`
		if _, err := s.ImportYear(ctx, "cn-workday", 2027, []byte(bad)); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("bad import: %v", err)
		}
		if _, err := s.ImportYear(actor.NewContext(context.Background(), actor.System(actor.SourceWeb)), "cn-workday", 2027, []byte(file)); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("import without permission: %v", err)
		}
		cals, _ = s.Calendars(ctx)
		if cals[0].LastYear != 2027 || sla.MissingNextYear(cals[0], time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("after import: %+v", cals[0])
		}
		cal, _ = s.Calendar(ctx, "cn-workday")
		sun := time.Date(2027, 2, 7, 9, 0, 0, 0, sla.Shanghai) // a Sunday made a working day by the import
		if got := cal.Due(sun, time.Hour); !got.Equal(sun.Add(time.Hour)) {
			t.Fatalf("imported make-up Sunday not working: %s", got)
		}
		if _, err := s.Calendar(ctx, "nope"); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("unknown calendar: %v", err)
		}
		ents, _ := store.Audit{DB: db}.Search(ctx, audit.Filter{Action: "sla.", Limit: 10})
		if len(ents) != 2 || !strings.Contains(ents[0].Detail, "year 2027") {
			t.Fatalf("audit: %+v", ents)
		}
	})
}
