package sla

import (
	"context"
	"fmt"
	"strings"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
)

// PermManage lets an actor edit calendars and import holiday schedules.
const PermManage = "sla.manage"

// CalendarInfo is a stored calendar's identity and shape, without its dates.
type CalendarInfo struct {
	ID          int64
	Name        string
	TimeZone    string
	AlwaysOpen  bool
	Week        [7][]Interval
	MakeupHours []Interval
	Version     int
	Holidays    int // number of listed days off
	Workdays    int // number of listed make-up working days
	LastYear    int // the latest year with listed dates
}

// Store persists calendars.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Calendars(ctx context.Context) ([]*CalendarInfo, error)
	CalendarByName(ctx context.Context, name string) (*CalendarInfo, []Day, error)
	CreateCalendar(ctx context.Context, c *CalendarInfo, days []Day) error
	// ReplaceYear replaces the listed days of one year of a calendar.
	ReplaceYear(ctx context.Context, calendarID int64, year int, days []Day) error
	PolicyStore
	CalendarEditStore
}

// Auditor records audit entries in the caller's transaction.
type Auditor interface {
	Record(ctx context.Context, e audit.Entry) error
}

// Service manages business calendars.
type Service struct {
	Store Store
	Audit Auditor
	// Groups checks the support groups and engineers that policy actions name.
	Groups Groups
	// CalendarChanged, when set, is told after a calendar's hours or days changed, so that the
	// running clocks on it are re-planned (Tracker.Replan), outside the edit's transaction.
	CalendarChanged func(name string)
}

// changed reports a committed calendar change.
func (s *Service) changed(name string, err error) error {
	if err == nil && s.CalendarChanged != nil {
		s.CalendarChanged(name)
	}
	return err
}

// Build turns a stored calendar into the value Due and Elapsed work on.
func Build(info *CalendarInfo, days []Day) (*Calendar, error) {
	loc, err := time.LoadLocation(info.TimeZone)
	if err != nil {
		return nil, errs.E(errs.Invalid, "err.sla.timezone", errs.Field("time_zone", "err.sla.timezone"))
	}
	c := &Calendar{Name: info.Name, Location: loc, Week: info.Week, MakeupHours: info.MakeupHours, AlwaysOpen: info.AlwaysOpen}
	c.Apply(Year{Days: days})
	c.normalize()
	return c, nil
}

// EnsureDefault creates the shipped calendar cn-workday with every shipped year when it is missing.
// It runs at every start; an existing calendar, edited or not, is left alone.
func (s *Service) EnsureDefault(ctx context.Context) error {
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		if _, _, err := s.Store.CalendarByName(ctx, DefaultName); err == nil || !errs.Is(err, errs.NotFound) {
			return err
		}
		def := CNWorkday()
		info := &CalendarInfo{Name: def.Name, TimeZone: def.Location.String(), Week: def.Week, MakeupHours: def.MakeupHours}
		var days []Day
		for _, y := range ShippedYears() {
			days = append(days, y.Days...)
		}
		if err := s.Store.CreateCalendar(ctx, info, days); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{Action: "sla.calendar_create", TargetType: "calendar", TargetID: fmt.Sprint(info.ID),
			After: audit.Snapshot(map[string]any{"name": info.Name, "time_zone": info.TimeZone, "days": len(days)})})
	})
}

// Calendars lists the stored calendars.
func (s *Service) Calendars(ctx context.Context) ([]*CalendarInfo, error) {
	return s.Store.Calendars(ctx)
}

// Calendar loads a calendar by name, ready for Due and Elapsed.
func (s *Service) Calendar(ctx context.Context, name string) (*Calendar, error) {
	info, days, err := s.Store.CalendarByName(ctx, name)
	if err != nil {
		return nil, err
	}
	return Build(info, days)
}

// ImportYear replaces one year of a calendar's holidays and make-up working days with a file in the
// holiday-calendar or holiday-cn shape. A bad file changes nothing and names every problem.
func (s *Service) ImportYear(ctx context.Context, name string, year int, data []byte) (int, error) {
	if !actor.FromContext(ctx).Can(PermManage) {
		return 0, errs.E(errs.Forbidden, "err.forbidden")
	}
	if year < 2000 || year > 2100 {
		return 0, errs.E(errs.Invalid, "err.out_of_range", errs.Field("year", "err.out_of_range"))
	}
	y, err := ParseYear(data, year)
	if err != nil {
		return 0, errs.E(errs.Invalid, "err.sla.import", errs.Field("file", strings.ReplaceAll(err.Error(), "\n", "; ")), err)
	}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		info, _, err := s.Store.CalendarByName(ctx, name)
		if err != nil {
			return err
		}
		if err := s.Store.ReplaceYear(ctx, info.ID, year, y.Days); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{Action: "sla.calendar_import", TargetType: "calendar", TargetID: fmt.Sprint(info.ID),
			Detail: fmt.Sprintf("year %d: %d days", year, len(y.Days))})
	})
	return len(y.Days), s.changed(name, err)
}

// MissingNextYear reports whether, from 1 November on, next year's schedule is absent from a calendar
// that lists holidays: the State Council publishes it in late autumn, and SLA clocks would otherwise
// treat every next-year holiday as a working day.
func MissingNextYear(info *CalendarInfo, now time.Time) bool {
	if info.AlwaysOpen || info.Holidays+info.Workdays == 0 {
		return false
	}
	return now.Month() >= time.November && info.LastYear <= now.Year()
}
