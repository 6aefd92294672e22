package sla

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
)

// CalendarEditStore is what editing calendars needs beyond Store's reads and CreateCalendar.
type CalendarEditStore interface {
	// UpdateCalendar saves name, zone and hours at c.Version and increments it; a stale version is
	// errs.Conflict.
	UpdateCalendar(ctx context.Context, c *CalendarInfo) error
	// SetDay lists one date of a calendar as a holiday or a make-up working day, replacing what was
	// listed for that date.
	SetDay(ctx context.Context, calendarID int64, d Day) error
	// ClearDay removes a listed date; errs.NotFound when it was not listed.
	ClearDay(ctx context.Context, calendarID int64, d Date) error
}

// WeekdayKeys name the weekdays in field names and forms, by time.Weekday.
var WeekdayKeys = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// CheckCalendar validates what an administrator submits for a calendar and names each problem by
// field: name (1–64 characters, no "/"), time_zone (an IANA zone), week.<day> and makeup_hours
// (intervals neither empty, reversed nor overlapping), week (no working time at all, unless 7×24).
// It sorts each day's intervals. Message values are catalog keys.
func CheckCalendar(c *CalendarInfo) error {
	var f errs.Fields
	c.Name = strings.TrimSpace(c.Name)
	f.Line("name", c.Name, 1, 64)
	if strings.ContainsAny(c.Name, "/?#%\\") {
		f.Add("name", "err.sla.calendar_name")
	}
	c.TimeZone = strings.TrimSpace(c.TimeZone)
	if c.TimeZone == "" {
		f.Add("time_zone", "err.required")
	} else if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "Local" {
		f.Add("time_zone", "err.sla.timezone")
	}
	if c.AlwaysOpen {
		// 7×24: every instant counts, so the hours are fixed and kept for display only.
		for wd := range c.Week {
			c.Week[wd] = []Interval{{0, 1440}}
		}
		c.MakeupHours = []Interval{{0, 1440}}
		return f.Err()
	}
	total := 0
	for wd := range c.Week {
		total += checkIntervals(&f, "week."+WeekdayKeys[wd], c.Week[wd])
	}
	checkIntervals(&f, "makeup_hours", c.MakeupHours)
	if total == 0 {
		f.Add("week", "err.sla.no_working_time")
	}
	return f.Err()
}

// checkIntervals sorts ivs and records the first problem of the day under field; it returns the
// day's working minutes.
func checkIntervals(f *errs.Fields, field string, ivs []Interval) int {
	slices.SortFunc(ivs, func(a, b Interval) int { return a.Start - b.Start })
	total := 0
	for i, iv := range ivs {
		switch {
		case iv.Start < 0 || iv.End > 1440:
			f.Add(field, "err.sla.interval_range")
			return 0
		case iv.End <= iv.Start:
			f.Add(field, "err.sla.interval_reversed")
			return 0
		case i > 0 && iv.Start < ivs[i-1].End:
			f.Add(field, "err.sla.interval_overlap")
			return 0
		}
		total += iv.End - iv.Start
	}
	return total
}

// CalendarDetail loads a calendar with its listed days, for the administration pages and the API.
func (s *Service) CalendarDetail(ctx context.Context, name string) (*CalendarInfo, []Day, error) {
	if !actor.FromContext(ctx).Can(PermManage) {
		return nil, nil, errs.E(errs.Forbidden, "err.forbidden")
	}
	return s.Store.CalendarByName(ctx, name)
}

// CreateCalendar checks and stores a new calendar. withHolidays copies the shipped statutory holidays
// and make-up working days (调休) of every shipped year into it; a 7×24 calendar lists none.
func (s *Service) CreateCalendar(ctx context.Context, c *CalendarInfo, withHolidays bool) error {
	if !actor.FromContext(ctx).Can(PermManage) {
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	if err := CheckCalendar(c); err != nil {
		return err
	}
	var days []Day
	if withHolidays && !c.AlwaysOpen {
		for _, y := range ShippedYears() {
			days = append(days, y.Days...)
		}
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateCalendar(ctx, c, days); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{Action: "sla.calendar_create", TargetType: "calendar", TargetID: fmt.Sprint(c.ID),
			After: audit.Snapshot(calendarSnapshot(c, len(days)))})
	})
}

// UpdateCalendar changes a calendar's name, zone and hours at the version the editor saw. Its listed
// days stay; a stale version is errs.Conflict.
func (s *Service) UpdateCalendar(ctx context.Context, name string, c *CalendarInfo) error {
	if !actor.FromContext(ctx).Can(PermManage) {
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	if err := CheckCalendar(c); err != nil {
		return err
	}
	return s.changed(c.Name, s.Store.InTx(ctx, func(ctx context.Context) error {
		before, _, err := s.Store.CalendarByName(ctx, name)
		if err != nil {
			return err
		}
		if !c.AlwaysOpen && before.Workdays > 0 && len(c.MakeupHours) == 0 {
			return errs.E(errs.Invalid, "err.invalid", errs.Field("makeup_hours", "err.sla.makeup_empty"))
		}
		c.ID = before.ID
		if err := s.Store.UpdateCalendar(ctx, c); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{Action: "sla.calendar_update", TargetType: "calendar", TargetID: fmt.Sprint(c.ID),
			Before: audit.Snapshot(calendarSnapshot(before, -1)), After: audit.Snapshot(calendarSnapshot(c, -1))})
	}))
}

// SetDay lists date d of a calendar as a holiday (放假) or a make-up working day (调休上班) with a name,
// replacing what was listed for d. A make-up day needs make-up hours on the calendar.
func (s *Service) SetDay(ctx context.Context, calendar string, day Day) error {
	if !actor.FromContext(ctx).Can(PermManage) {
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	var f errs.Fields
	day.Name = strings.TrimSpace(day.Name)
	if utf8.RuneCountInString(day.Name) > 64 {
		f.Add("name", "err.too_long")
	}
	if day.Kind != Holiday && day.Kind != MakeupWorkday {
		f.Add("kind", "err.sla.day_kind")
	}
	if day.Date.Year < 2000 || day.Date.Year > 2100 {
		f.Add("date", "err.out_of_range")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.changed(calendar, s.Store.InTx(ctx, func(ctx context.Context) error {
		info, _, err := s.Store.CalendarByName(ctx, calendar)
		if err != nil {
			return err
		}
		if day.Kind == MakeupWorkday && !info.AlwaysOpen && len(info.MakeupHours) == 0 {
			return errs.E(errs.Invalid, "err.invalid", errs.Field("kind", "err.sla.makeup_empty"))
		}
		if err := s.Store.SetDay(ctx, info.ID, day); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{Action: "sla.calendar_day_set", TargetType: "calendar", TargetID: fmt.Sprint(info.ID),
			Detail: fmt.Sprintf("%s %s %s", day.Date, day.Kind, day.Name)})
	}))
}

// ClearDay removes date d from a calendar's listed days, so that its weekday's hours apply again.
func (s *Service) ClearDay(ctx context.Context, calendar string, d Date) error {
	if !actor.FromContext(ctx).Can(PermManage) {
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	return s.changed(calendar, s.Store.InTx(ctx, func(ctx context.Context) error {
		info, _, err := s.Store.CalendarByName(ctx, calendar)
		if err != nil {
			return err
		}
		if err := s.Store.ClearDay(ctx, info.ID, d); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{Action: "sla.calendar_day_clear", TargetType: "calendar", TargetID: fmt.Sprint(info.ID),
			Detail: d.String()})
	}))
}

// Due computes the due instant of a business duration from start on a named calendar, as
// `opsdesk calendar due` prints it.
func (s *Service) Due(ctx context.Context, calendar string, start time.Time, d time.Duration) (time.Time, error) {
	if !actor.FromContext(ctx).Can(PermManage) {
		return time.Time{}, errs.E(errs.Forbidden, "err.forbidden")
	}
	if d < 0 || d > maxTarget {
		return time.Time{}, errs.E(errs.Invalid, "err.invalid", errs.Field("duration", "err.out_of_range"))
	}
	cal, err := s.Calendar(ctx, calendar)
	if err != nil {
		return time.Time{}, err
	}
	return cal.Due(start, d).In(cal.Location), nil
}

func calendarSnapshot(c *CalendarInfo, days int) map[string]any {
	m := map[string]any{"name": c.Name, "time_zone": c.TimeZone, "always_open": c.AlwaysOpen,
		"week": WeekSummary(c.Week), "makeup_hours": FormatIntervals(c.MakeupHours)}
	if days >= 0 {
		m["days"] = days
	}
	return m
}

// FormatIntervals writes intervals as "09:00-12:00, 13:00-18:00"; "" for none.
func FormatIntervals(ivs []Interval) string {
	parts := make([]string, len(ivs))
	for i, iv := range ivs {
		parts[i] = fmt.Sprintf("%02d:%02d-%02d:%02d", iv.Start/60, iv.Start%60, iv.End/60, iv.End%60)
	}
	return strings.Join(parts, ", ")
}

// ParseIntervals reads "09:00-12:00, 13:00-18:00" (also with "–" or "~", and 、；; as separators);
// "" is no working time.
func ParseIntervals(s string) ([]Interval, error) {
	s = strings.NewReplacer("，", ",", "、", ",", ";", ",", "；", ",", "–", "-", "~", "-", "～", "-", "：", ":").Replace(s)
	var out []Interval
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		a, b, ok := strings.Cut(part, "-")
		if !ok {
			return nil, fmt.Errorf("interval %q: want HH:MM-HH:MM", part)
		}
		iv, err := ParseInterval(strings.TrimSpace(a), strings.TrimSpace(b))
		if err != nil {
			return nil, err
		}
		out = append(out, iv)
	}
	return out, nil
}

// WeekSummary describes the weekly hours compactly, grouping equal consecutive days Monday first:
// "mon-fri 09:00-12:00, 13:00-18:00".
func WeekSummary(week [7][]Interval) string {
	order := []int{1, 2, 3, 4, 5, 6, 0}
	var parts []string
	for i := 0; i < len(order); {
		j := i
		for j+1 < len(order) && slices.Equal(week[order[j+1]], week[order[i]]) {
			j++
		}
		if len(week[order[i]]) > 0 {
			days := WeekdayKeys[order[i]]
			if j > i {
				days += "-" + WeekdayKeys[order[j]]
			}
			parts = append(parts, days+" "+FormatIntervals(week[order[i]]))
		}
		i = j + 1
	}
	return strings.Join(parts, "; ")
}
