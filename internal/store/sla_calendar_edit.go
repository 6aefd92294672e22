package store

import (
	"context"
	"encoding/json"

	"opsdesk/internal/errs"
	"opsdesk/internal/sla"
)

// UpdateCalendar saves a calendar's name, zone and hours at its version and increments the version;
// a calendar changed since it was read is errs.Conflict.
func (s SLA) UpdateCalendar(ctx context.Context, c *sla.CalendarInfo) error {
	week, _ := json.Marshal(c.Week)
	makeup, _ := json.Marshal(c.MakeupHours)
	res, err := s.w(ctx).NewUpdate().Model((*calendarRow)(nil)).
		Set("name = ?", c.Name).Set("time_zone = ?", c.TimeZone).Set("always_open = ?", c.AlwaysOpen).
		Set("week_json = ?", string(week)).Set("makeup_json = ?", string(makeup)).
		Set("version = version + 1").Set("updated_at = ?", s.Now().UTC()).
		Where("id = ? AND version = ?", c.ID, c.Version).Exec(ctx)
	if err != nil {
		return classify(err, "sla.calendar")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.Conflict, "err.stale")
	}
	c.Version++
	return nil
}

// SetDay lists one date of a calendar, replacing what was listed for it.
func (s SLA) SetDay(ctx context.Context, calendarID int64, d sla.Day) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		_, err := s.w(ctx).NewDelete().Model((*calendarDayRow)(nil)).
			Where("calendar_id = ? AND day = ?", calendarID, d.Date.String()).Exec(ctx)
		if err != nil {
			return err
		}
		return s.insertDays(ctx, calendarID, []sla.Day{d})
	})
}

// ClearDay removes a listed date; errs.NotFound when the date was not listed.
func (s SLA) ClearDay(ctx context.Context, calendarID int64, d sla.Date) error {
	res, err := s.w(ctx).NewDelete().Model((*calendarDayRow)(nil)).
		Where("calendar_id = ? AND day = ?", calendarID, d.String()).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "err.sla.day_unknown")
	}
	return nil
}
