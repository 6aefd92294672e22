package sla_test

import (
	"context"
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

func manageCtx() context.Context {
	op := actor.System(actor.SourceCLI)
	op.Perms[sla.PermManage] = true
	return actor.NewContext(context.Background(), op)
}

func workweek(ivs ...sla.Interval) [7][]sla.Interval {
	var w [7][]sla.Interval
	for wd := time.Monday; wd <= time.Friday; wd++ {
		w[wd] = append([]sla.Interval(nil), ivs...)
	}
	return w
}

// TestCalendarEditing creates, edits and deletes calendars and their days on both engines; every bad
// input is Invalid with its field named and leaves the stored calendars as they were.
func TestCalendarEditing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := &sla.Service{Store: store.SLA{DB: db}, Audit: &audit.Service{Store: store.Audit{DB: db}, Now: time.Now}}
		ctx := manageCtx()
		if err := s.EnsureDefault(ctx); err != nil {
			t.Fatal(err)
		}
		bad := []struct {
			name  string
			cal   sla.CalendarInfo
			field string
		}{
			{"overlap", sla.CalendarInfo{Name: "x", TimeZone: "Asia/Shanghai", Week: workweek(sla.Clock("09:00", "12:00"), sla.Clock("11:30", "13:00"))}, "week.mon"},
			{"reversed", sla.CalendarInfo{Name: "x", TimeZone: "Asia/Shanghai", Week: workweek(sla.Interval{Start: 600, End: 540})}, "week.mon"},
			{"empty interval", sla.CalendarInfo{Name: "x", TimeZone: "Asia/Shanghai", Week: workweek(sla.Interval{Start: 600, End: 600})}, "week.fri"},
			{"no working time", sla.CalendarInfo{Name: "x", TimeZone: "Asia/Shanghai"}, "week"},
			{"unknown zone", sla.CalendarInfo{Name: "x", TimeZone: "Asia/Atlantis", Week: workweek(sla.Clock("09:00", "18:00"))}, "time_zone"},
			{"no zone", sla.CalendarInfo{Name: "x", Week: workweek(sla.Clock("09:00", "18:00"))}, "time_zone"},
			{"no name", sla.CalendarInfo{TimeZone: "UTC", Week: workweek(sla.Clock("09:00", "18:00"))}, "name"},
			{"slash in name", sla.CalendarInfo{Name: "a/b", TimeZone: "UTC", Week: workweek(sla.Clock("09:00", "18:00"))}, "name"},
			{"bad make-up hours", sla.CalendarInfo{Name: "x", TimeZone: "UTC", Week: workweek(sla.Clock("09:00", "18:00")),
				MakeupHours: []sla.Interval{sla.Clock("09:00", "12:00"), sla.Clock("10:00", "11:00")}}, "makeup_hours"},
		}
		for _, tc := range bad {
			t.Run(tc.name, func(t *testing.T) {
				c := tc.cal
				err := s.CreateCalendar(ctx, &c, true)
				if _, fields := errs.Info(err); !errs.Is(err, errs.Invalid) || fields[tc.field] == "" {
					t.Fatalf("create: %v, fields %v; want Invalid naming %s", err, fields, tc.field)
				}
				c = tc.cal
				c.Name, c.Version = "cn-workday", 1
				if c.TimeZone == "" || tc.field == "name" {
					c.Name = tc.cal.Name
				}
				err = s.UpdateCalendar(ctx, "cn-workday", &c)
				if _, fields := errs.Info(err); !errs.Is(err, errs.Invalid) || fields[tc.field] == "" {
					t.Fatalf("update: %v, fields %v; want Invalid naming %s", err, fields, tc.field)
				}
			})
		}
		cals, _ := s.Calendars(ctx)
		if len(cals) != 1 || cals[0].Version != 1 {
			t.Fatalf("bad input changed the calendars: %+v", cals)
		}

		// A 7×24 calendar needs no hours; one with hours gets the shipped holidays when asked.
		noc := &sla.CalendarInfo{Name: "noc", TimeZone: "Asia/Shanghai", AlwaysOpen: true}
		if err := s.CreateCalendar(ctx, noc, true); err != nil {
			t.Fatal(err)
		}
		east := &sla.CalendarInfo{Name: "east", TimeZone: "Asia/Shanghai", Week: workweek(sla.Clock("13:30", "17:30"), sla.Clock("08:30", "12:00")),
			MakeupHours: []sla.Interval{sla.Clock("08:30", "12:00")}}
		if err := s.CreateCalendar(ctx, east, true); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateCalendar(ctx, &sla.CalendarInfo{Name: "east", TimeZone: "UTC", AlwaysOpen: true}, false); !errs.Is(err, errs.Conflict) {
			t.Fatalf("duplicate name: %v", err)
		}
		info, days, err := s.CalendarDetail(ctx, "noc")
		if err != nil || len(days) != 0 || !info.AlwaysOpen {
			t.Fatalf("noc %+v %d days %v", info, len(days), err)
		}
		info, days, err = s.CalendarDetail(ctx, "east")
		if err != nil || len(days) == 0 || info.Week[time.Monday][0] != sla.Clock("08:30", "12:00") {
			t.Fatalf("east %+v %d days %v", info, len(days), err)
		}

		// Versioned edit, then a stale one.
		edit := *info
		edit.Week[time.Saturday] = []sla.Interval{sla.Clock("09:00", "12:00")}
		if err := s.UpdateCalendar(ctx, "east", &edit); err != nil || edit.Version != 2 {
			t.Fatalf("edit: %v, version %d", err, edit.Version)
		}
		stale := *info
		if err := s.UpdateCalendar(ctx, "east", &stale); !errs.Is(err, errs.Conflict) {
			t.Fatalf("stale edit: %v", err)
		}
		if err := s.UpdateCalendar(ctx, "east", &sla.CalendarInfo{Name: "east", TimeZone: "UTC", Week: workweek(sla.Clock("09:00", "18:00")), Version: 2}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("dropping make-up hours while make-up days are listed: %v", err)
		}

		// Single days.
		d := sla.Date{Year: 2026, Month: time.June, Day: 1}
		if err := s.SetDay(ctx, "east", sla.Day{Date: d, Kind: sla.Holiday, Name: "儿童节"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetDay(ctx, "east", sla.Day{Date: d, Kind: sla.MakeupWorkday, Name: "补班"}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetDay(ctx, "east", sla.Day{Date: d, Kind: "party"}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("bad kind: %v", err)
		}
		if err := s.SetDay(ctx, "east", sla.Day{Date: d, Kind: sla.Holiday, Name: strings.Repeat("长", 65)}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("long name: %v", err)
		}
		_, days, _ = s.CalendarDetail(ctx, "east")
		n := 0
		for _, x := range days {
			if x.Date == d {
				n++
				if x.Kind != sla.MakeupWorkday || x.Name != "补班" {
					t.Errorf("day %+v", x)
				}
			}
		}
		if n != 1 {
			t.Fatalf("%s listed %d times", d, n)
		}
		if err := s.ClearDay(ctx, "east", d); err != nil {
			t.Fatal(err)
		}
		if err := s.ClearDay(ctx, "east", d); !errs.Is(err, errs.NotFound) {
			t.Fatalf("clear twice: %v", err)
		}

		// Deleting a used calendar names the policies; unused, it goes.
		p := &sla.Policy{Name: "华东故障", Calendar: "east", Active: true, Targets: [4]sla.Targets{{sla.Resolution: 4 * time.Hour}}}
		if err := s.SavePolicy(ctx, p); err != nil {
			t.Fatal(err)
		}
		err = s.DeleteCalendar(ctx, "east")
		if _, fields := errs.Info(err); !errs.Is(err, errs.Conflict) || fields["policies"] != "华东故障" {
			t.Fatalf("delete used: %v %v", err, fields)
		}
		if err := s.DeletePolicy(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteCalendar(ctx, "east"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.CalendarDetail(ctx, "east"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("deleted calendar: %v", err)
		}

		// Without sla.manage nothing is allowed.
		agent := actor.NewContext(context.Background(), &actor.Actor{UserID: 9, Perms: map[string]bool{"ticket.work": true}})
		for name, err := range map[string]error{
			"create": s.CreateCalendar(agent, &sla.CalendarInfo{Name: "y", TimeZone: "UTC", AlwaysOpen: true}, false),
			"update": s.UpdateCalendar(agent, "cn-workday", &sla.CalendarInfo{Name: "y", TimeZone: "UTC", AlwaysOpen: true}),
			"day":    s.SetDay(agent, "cn-workday", sla.Day{Date: d, Kind: sla.Holiday}),
			"clear":  s.ClearDay(agent, "cn-workday", d),
		} {
			if !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s without sla.manage: %v", name, err)
			}
		}
	})
}

func TestParseTarget(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, true}, {"0", 0, true}, {"30m", 30 * time.Minute, true}, {"4h", 4 * time.Hour, true},
		{"1h30m", 90 * time.Minute, true}, {" 2H ", 2 * time.Hour, true},
		{"2d", 0, false}, {"-1h", 0, false}, {"1.5h", 0, false}, {"10s", 0, false}, {"soon", 0, false},
	} {
		got, err := sla.ParseTarget(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseTarget(%q) = %v, %v", tc.in, got, err)
		}
		if tc.ok && sla.FormatTarget(got) != strings.TrimSpace(strings.ToLower(tc.in)) && got != 0 {
			t.Errorf("FormatTarget(%v) = %q", got, sla.FormatTarget(got))
		}
	}
}

func TestIntervalsAndWeekSummary(t *testing.T) {
	ivs, err := sla.ParseIntervals("08:30–12:00，13:30-17:30")
	if err != nil || sla.FormatIntervals(ivs) != "08:30-12:00, 13:30-17:30" {
		t.Fatalf("%v %v", ivs, err)
	}
	if _, err := sla.ParseIntervals("9-12"); err == nil {
		t.Fatal("9-12 accepted")
	}
	if got := sla.WeekSummary(sla.CNWorkday().Week); got != "mon-fri 09:00-12:00, 13:00-18:00" {
		t.Fatalf("summary %q", got)
	}
}
