package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/sla"
)

// SLA implements sla.Store.
type SLA struct{ *DB }

var _ sla.Store = SLA{}

type calendarRow struct {
	bun.BaseModel `bun:"table:sla_calendars,alias:c"`
	ID            int64 `bun:",pk,autoincrement"`
	Name          string
	TimeZone      string
	AlwaysOpen    bool
	WeekJSON      string `bun:"week_json"`
	MakeupJSON    string `bun:"makeup_json"`
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Holidays      int    `bun:"holidays,scanonly"`
	Workdays      int    `bun:"workdays,scanonly"`
	LastDay       string `bun:"last_day,scanonly"`
}

type calendarDayRow struct {
	bun.BaseModel `bun:"table:sla_calendar_days"`
	CalendarID    int64  `bun:",pk"`
	Day           string `bun:",pk"`
	Kind          string
	Name          string
}

func toCalendarInfo(r *calendarRow) (*sla.CalendarInfo, error) {
	info := &sla.CalendarInfo{ID: r.ID, Name: r.Name, TimeZone: r.TimeZone, AlwaysOpen: r.AlwaysOpen,
		Version: r.Version, Holidays: r.Holidays, Workdays: r.Workdays}
	if err := json.Unmarshal([]byte(r.WeekJSON), &info.Week); err != nil {
		return nil, fmt.Errorf("calendar %s week: %w", r.Name, err)
	}
	if err := json.Unmarshal([]byte(r.MakeupJSON), &info.MakeupHours); err != nil {
		return nil, fmt.Errorf("calendar %s make-up hours: %w", r.Name, err)
	}
	if len(r.LastDay) >= 4 {
		fmt.Sscanf(r.LastDay[:4], "%d", &info.LastYear)
	}
	return info, nil
}

func (s SLA) calendarQuery(ctx context.Context) *bun.SelectQuery {
	return s.r(ctx).NewSelect().Model((*calendarRow)(nil)).ColumnExpr("c.*").
		ColumnExpr("(SELECT COUNT(*) FROM sla_calendar_days d WHERE d.calendar_id = c.id AND d.kind = ?) AS holidays", string(sla.Holiday)).
		ColumnExpr("(SELECT COUNT(*) FROM sla_calendar_days d WHERE d.calendar_id = c.id AND d.kind = ?) AS workdays", string(sla.MakeupWorkday)).
		ColumnExpr("(SELECT COALESCE(MAX(d.day), '') FROM sla_calendar_days d WHERE d.calendar_id = c.id) AS last_day")
}

// Calendars lists every calendar by name.
func (s SLA) Calendars(ctx context.Context) ([]*sla.CalendarInfo, error) {
	var rows []calendarRow
	if err := s.calendarQuery(ctx).OrderExpr("c.name").Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make([]*sla.CalendarInfo, 0, len(rows))
	for i := range rows {
		info, err := toCalendarInfo(&rows[i])
		if err != nil {
			return nil, err
		}
		out = append(out, info)
	}
	return out, nil
}

// CalendarByName loads a calendar and all its listed days.
func (s SLA) CalendarByName(ctx context.Context, name string) (*sla.CalendarInfo, []sla.Day, error) {
	var rows []calendarRow
	if err := s.calendarQuery(ctx).Where("c.name = ?", name).Scan(ctx, &rows); err != nil {
		return nil, nil, err
	}
	if len(rows) == 0 {
		return nil, nil, errs.E(errs.NotFound, "err.sla.calendar_unknown")
	}
	info, err := toCalendarInfo(&rows[0])
	if err != nil {
		return nil, nil, err
	}
	var dayRows []calendarDayRow
	if err := s.r(ctx).NewSelect().Model(&dayRows).Where("calendar_id = ?", info.ID).OrderExpr("day").Scan(ctx); err != nil {
		return nil, nil, err
	}
	days := make([]sla.Day, 0, len(dayRows))
	for _, r := range dayRows {
		d, err := sla.ParseDate(r.Day)
		if err != nil {
			return nil, nil, err
		}
		days = append(days, sla.Day{Date: d, Name: r.Name, Kind: sla.DayKind(r.Kind)})
	}
	return info, days, nil
}

// CreateCalendar stores a calendar with its days and sets its ID.
func (s SLA) CreateCalendar(ctx context.Context, c *sla.CalendarInfo, days []sla.Day) error {
	week, _ := json.Marshal(c.Week)
	makeup, _ := json.Marshal(c.MakeupHours)
	now := s.Now().UTC()
	row := &calendarRow{Name: c.Name, TimeZone: c.TimeZone, AlwaysOpen: c.AlwaysOpen, WeekJSON: string(week),
		MakeupJSON: string(makeup), Version: 1, CreatedAt: now, UpdatedAt: now}
	return s.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return classify(err, "sla.calendar")
		}
		c.ID, c.Version = row.ID, 1
		return s.insertDays(ctx, c.ID, days)
	})
}

// ReplaceYear deletes the listed days of one year and inserts the new ones.
func (s SLA) ReplaceYear(ctx context.Context, calendarID int64, year int, days []sla.Day) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		_, err := s.w(ctx).NewDelete().Model((*calendarDayRow)(nil)).Where("calendar_id = ?", calendarID).
			Where("day >= ? AND day <= ?", fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)).Exec(ctx)
		if err != nil {
			return err
		}
		return s.insertDays(ctx, calendarID, days)
	})
}

func (s SLA) insertDays(ctx context.Context, calendarID int64, days []sla.Day) error {
	if len(days) == 0 {
		return nil
	}
	rows := make([]calendarDayRow, len(days))
	for i, d := range days {
		rows[i] = calendarDayRow{CalendarID: calendarID, Day: d.Date.String(), Kind: string(d.Kind), Name: d.Name}
	}
	_, err := s.w(ctx).NewInsert().Model(&rows).Exec(ctx)
	return classify(err, "sla.calendar")
}
