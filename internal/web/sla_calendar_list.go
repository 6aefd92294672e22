package web

import (
	"net/http"
	"time"

	"opsdesk/internal/sla"
)

// slaCalendarsPage lists the business calendars (工作日历) with their hours, listed days and the
// warning, from 1 November on, that next year's holidays are missing.
type slaCalendarsPage struct {
	basePage
	Calendars  []slaCalendarRow
	SLAMissing []string // calendars whose next year is missing
	NextYear   int
}

// slaCalendarRow is one calendar of the list.
type slaCalendarRow struct {
	*sla.CalendarInfo
	Hours   string
	Missing bool
}

// slaMissingNextYear names the calendars that lack next year's holidays; the calendars page and the
// home page show it.
func slaMissingNextYear(cals []*sla.CalendarInfo, now time.Time) []string {
	var out []string
	for _, c := range cals {
		if sla.MissingNextYear(c, now) {
			out = append(out, c.Name)
		}
	}
	return out
}

// slaCalendarList renders the calendars.
func (h *Handler) slaCalendarList(w http.ResponseWriter, r *http.Request) error {
	cals, err := h.d.SLA.Calendars(r.Context())
	if err != nil {
		return err
	}
	now := time.Now()
	p := &slaCalendarsPage{basePage: h.base(r, "web.sla.calendars"), NextYear: now.Year() + 1, SLAMissing: slaMissingNextYear(cals, now)}
	for _, c := range cals {
		hours := "7×24"
		if !c.AlwaysOpen {
			hours = sla.WeekSummary(c.Week)
		}
		p.Calendars = append(p.Calendars, slaCalendarRow{CalendarInfo: c, Hours: hours, Missing: sla.MissingNextYear(c, now)})
	}
	h.render(w, r, http.StatusOK, "sla/calendars", p)
	return nil
}
