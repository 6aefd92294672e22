package api

import (
	"context"
	"encoding/json"
	"time"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/errs"
	"opsdesk/internal/sla"
)

// weekOut maps a week by time.Weekday to the API's named days.
func weekOut(w [7][]sla.Interval) apigen.SlaWeek {
	day := func(wd time.Weekday) *apigen.SlaIntervals { v := intervalsOut(w[wd]); return &v }
	return apigen.SlaWeek{Mon: day(time.Monday), Tue: day(time.Tuesday), Wed: day(time.Wednesday), Thu: day(time.Thursday),
		Fri: day(time.Friday), Sat: day(time.Saturday), Sun: day(time.Sunday)}
}

func intervalsOut(ivs []sla.Interval) apigen.SlaIntervals {
	out := make(apigen.SlaIntervals, len(ivs))
	for i, iv := range ivs {
		out[i] = sla.FormatIntervals([]sla.Interval{iv})
	}
	return out
}

// intervalsIn parses one day's intervals; a malformed time is named under field.
func intervalsIn(field string, in *apigen.SlaIntervals, f *errs.Fields) []sla.Interval {
	if in == nil {
		return nil
	}
	var out []sla.Interval
	for _, s := range *in {
		ivs, err := sla.ParseIntervals(s)
		if err != nil {
			f.Add(field, "err.sla.interval_format")
			return nil
		}
		out = append(out, ivs...)
	}
	return out
}

func calendarOut(c *sla.CalendarInfo, now time.Time) apigen.SlaCalendar {
	return apigen.SlaCalendar{Name: c.Name, TimeZone: c.TimeZone, AlwaysOpen: c.AlwaysOpen, Week: weekOut(c.Week),
		MakeupHours: intervalsOut(c.MakeupHours), Holidays: c.Holidays, Workdays: c.Workdays, LastYear: c.LastYear,
		NextYearMissing: sla.MissingNextYear(c, now), Version: c.Version}
}

// calendarIn maps the input; times that are not HH:MM are Invalid before the service sees them.
func calendarIn(b *apigen.SlaCalendarInput) (*sla.CalendarInfo, error) {
	var f errs.Fields
	c := &sla.CalendarInfo{Name: b.Name, TimeZone: b.TimeZone, AlwaysOpen: or(b.AlwaysOpen, false)}
	if b.Week != nil {
		days := map[time.Weekday]*apigen.SlaIntervals{time.Monday: b.Week.Mon, time.Tuesday: b.Week.Tue, time.Wednesday: b.Week.Wed,
			time.Thursday: b.Week.Thu, time.Friday: b.Week.Fri, time.Saturday: b.Week.Sat, time.Sunday: b.Week.Sun}
		for wd, ivs := range days {
			c.Week[wd] = intervalsIn("week."+sla.WeekdayKeys[wd], ivs, &f)
		}
	}
	c.MakeupHours = intervalsIn("makeup_hours", b.MakeupHours, &f)
	return c, f.Err()
}

// ListSlaCalendars lists the calendars.
func (s *server) ListSlaCalendars(ctx context.Context, _ apigen.ListSlaCalendarsRequestObject) (apigen.ListSlaCalendarsResponseObject, error) {
	cs, err := s.d.SLA.Calendars(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	out := apigen.ListSlaCalendars200JSONResponse{Items: make([]apigen.SlaCalendar, len(cs))}
	for i, c := range cs {
		out.Items[i] = calendarOut(c, now)
	}
	return out, nil
}

// CreateSlaCalendar creates a calendar, by default with the shipped statutory holidays.
func (s *server) CreateSlaCalendar(ctx context.Context, req apigen.CreateSlaCalendarRequestObject) (apigen.CreateSlaCalendarResponseObject, error) {
	c, err := calendarIn(req.Body)
	if err != nil {
		return nil, err
	}
	if err := s.d.SLA.CreateCalendar(ctx, c, or(req.Body.CopyHolidays, true)); err != nil {
		return nil, err
	}
	info, _, err := s.d.SLA.CalendarDetail(ctx, c.Name)
	if err != nil {
		return nil, err
	}
	return apigen.CreateSlaCalendar201JSONResponse{Body: calendarOut(info, time.Now()),
		Headers: apigen.CreateSlaCalendar201ResponseHeaders{ETag: etag(info.Version)}}, nil
}

// GetSlaCalendar returns a calendar with its listed days.
func (s *server) GetSlaCalendar(ctx context.Context, req apigen.GetSlaCalendarRequestObject) (apigen.GetSlaCalendarResponseObject, error) {
	info, days, err := s.d.SLA.CalendarDetail(ctx, req.Name)
	if err != nil {
		return nil, err
	}
	out := calendarOut(info, time.Now())
	list := make([]apigen.SlaDay, len(days))
	for i, d := range days {
		list[i] = apigen.SlaDay{Date: d.Date.String(), Kind: apigen.SlaDayKind(d.Kind), Name: d.Name}
	}
	out.Days = &list
	return apigen.GetSlaCalendar200JSONResponse{Body: out, Headers: apigen.GetSlaCalendar200ResponseHeaders{ETag: etag(info.Version)}}, nil
}

// UpdateSlaCalendar replaces a calendar's name, zone and hours at the version the editor saw.
func (s *server) UpdateSlaCalendar(ctx context.Context, req apigen.UpdateSlaCalendarRequestObject) (apigen.UpdateSlaCalendarResponseObject, error) {
	v, err := versionOf(req.Params.IfMatch, req.Body.Version)
	if err != nil {
		return nil, err
	}
	c, err := calendarIn(req.Body)
	if err != nil {
		return nil, err
	}
	c.Version = v
	if err := s.d.SLA.UpdateCalendar(ctx, req.Name, c); err != nil {
		return nil, err
	}
	info, _, err := s.d.SLA.CalendarDetail(ctx, c.Name)
	if err != nil {
		return nil, err
	}
	return apigen.UpdateSlaCalendar200JSONResponse{Body: calendarOut(info, time.Now()),
		Headers: apigen.UpdateSlaCalendar200ResponseHeaders{ETag: etag(info.Version)}}, nil
}

// DeleteSlaCalendar deletes a calendar no policy uses.
func (s *server) DeleteSlaCalendar(ctx context.Context, req apigen.DeleteSlaCalendarRequestObject) (apigen.DeleteSlaCalendarResponseObject, error) {
	if err := s.d.SLA.DeleteCalendar(ctx, req.Name); err != nil {
		return nil, err
	}
	return apigen.DeleteSlaCalendar204Response{}, nil
}

func dateIn(s string) (sla.Date, error) {
	d, err := sla.ParseDate(s)
	if err != nil {
		return d, errs.E(errs.Invalid, "err.invalid", errs.Field("date", "err.sla.date"), err)
	}
	return d, nil
}

// SetSlaCalendarDay lists a date as a holiday or a make-up working day.
func (s *server) SetSlaCalendarDay(ctx context.Context, req apigen.SetSlaCalendarDayRequestObject) (apigen.SetSlaCalendarDayResponseObject, error) {
	d, err := dateIn(req.Date)
	if err != nil {
		return nil, err
	}
	day := sla.Day{Date: d, Kind: sla.DayKind(req.Body.Kind), Name: or(req.Body.Name, "")}
	if err := s.d.SLA.SetDay(ctx, req.Name, day); err != nil {
		return nil, err
	}
	return apigen.SetSlaCalendarDay200JSONResponse{Date: d.String(), Kind: apigen.SlaDayKind(day.Kind), Name: day.Name}, nil
}

// ClearSlaCalendarDay removes a listed date.
func (s *server) ClearSlaCalendarDay(ctx context.Context, req apigen.ClearSlaCalendarDayRequestObject) (apigen.ClearSlaCalendarDayResponseObject, error) {
	d, err := dateIn(req.Date)
	if err != nil {
		return nil, err
	}
	if err := s.d.SLA.ClearDay(ctx, req.Name, d); err != nil {
		return nil, err
	}
	return apigen.ClearSlaCalendarDay204Response{}, nil
}

// ImportSlaCalendarYear replaces one year of listed days with the file in the body.
func (s *server) ImportSlaCalendarYear(ctx context.Context, req apigen.ImportSlaCalendarYearRequestObject) (apigen.ImportSlaCalendarYearResponseObject, error) {
	// The body was decoded into a map for validation; re-encoding keeps every field, so ParseYear
	// still sees (and refuses) unknown ones.
	data, err := json.Marshal(req.Body)
	if err != nil {
		return nil, err
	}
	n, err := s.d.SLA.ImportYear(ctx, req.Name, req.Params.Year, data)
	if err != nil {
		return nil, err
	}
	return apigen.ImportSlaCalendarYear200JSONResponse{Calendar: req.Name, Year: req.Params.Year, Days: n}, nil
}

// GetSlaCalendarDue computes a due instant the way `opsdesk calendar due` does.
func (s *server) GetSlaCalendarDue(ctx context.Context, req apigen.GetSlaCalendarDueRequestObject) (apigen.GetSlaCalendarDueResponseObject, error) {
	d, err := time.ParseDuration(req.Params.Duration)
	if err != nil || req.Params.Duration == "" {
		return nil, errs.E(errs.Invalid, "err.invalid", errs.Field("duration", "err.sla.target"))
	}
	due, err := s.d.SLA.Due(ctx, req.Name, req.Params.From, d)
	if err != nil {
		return nil, err
	}
	return apigen.GetSlaCalendarDue200JSONResponse{Calendar: req.Name, From: req.Params.From.Format(time.RFC3339),
		Duration: req.Params.Duration, Due: due.Format(time.RFC3339)}, nil
}
