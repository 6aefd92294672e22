package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"opsdesk/internal/sla"
)

// slaCalendarPage shows one calendar: its hours, the listed days of one year, and the forms to list
// or remove a day, import a year and delete the calendar.
type slaCalendarPage struct {
	basePage
	Cal      *sla.CalendarInfo
	Hours    []slaDayField // per weekday, Monday first; Value is the hours or ""
	Makeup   string
	Years    []int // years with listed days, and the current and next year
	Year     int   // the year shown
	Days     []sla.Day
	Missing  bool
	NextYear int
	Day      slaDayForm    // the add-day form
	Import   slaImportForm // the import form
}

// slaDayForm is what the add-day form submits.
type slaDayForm struct{ Date, Kind, Name string }

// slaImportForm is what the import form submits.
type slaImportForm struct {
	Year int
	JSON string
}

// slaCalendarShow renders a calendar; ?year= picks the year of days shown (default: this year).
func (h *Handler) slaCalendarShow(w http.ResponseWriter, r *http.Request) error {
	p, err := h.slaCalendarPage(r)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "sla/calendar_show", p)
	return nil
}

func (h *Handler) slaCalendarPage(r *http.Request) (*slaCalendarPage, error) {
	info, days, err := h.d.SLA.CalendarDetail(r.Context(), r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	p := &slaCalendarPage{basePage: h.base(r, "web.sla.calendar"), Cal: info, Makeup: sla.FormatIntervals(info.MakeupHours),
		Missing: sla.MissingNextYear(info, now), NextYear: now.Year() + 1, Year: now.Year(),
		Day: slaDayForm{Kind: string(sla.Holiday)}, Import: slaImportForm{Year: now.Year() + 1}}
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2100 {
		p.Year = y
	}
	for _, wd := range slaWeekdays {
		p.Hours = append(p.Hours, slaDayField{Label: "web.sla.day." + sla.WeekdayKeys[wd], Value: sla.FormatIntervals(info.Week[wd])})
	}
	years := []int{now.Year(), now.Year() + 1, p.Year}
	for _, d := range days {
		years = append(years, d.Date.Year)
		if d.Date.Year == p.Year {
			p.Days = append(p.Days, d)
		}
	}
	slices.Sort(years)
	p.Years = slices.Compact(years)
	return p, nil
}

// KindKey is the message key of a day kind.
func (p *slaCalendarPage) KindKey(k sla.DayKind) string { return "web.sla.kind." + string(k) }
