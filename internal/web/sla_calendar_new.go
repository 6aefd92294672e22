package web

import (
	"net/http"
	"strings"
	"time"

	"opsdesk/internal/sla"
)

// slaCalendarFormPage creates or edits a calendar's name, zone and hours.
type slaCalendarFormPage struct {
	basePage
	IsNew bool
	Form  slaCalendarForm
}

// slaCalendarForm is what the calendar form submits; hours are "09:00-12:00, 13:00-18:00" per day.
type slaCalendarForm struct {
	Original     string // the name in the URL when editing
	Name         string
	TimeZone     string
	AlwaysOpen   bool
	CopyHolidays bool
	Week         [7]string // by time.Weekday
	MakeupHours  string
	Version      int
}

// slaWeekdays is the display order of the weekdays, Monday first.
var slaWeekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// Days lists the weekdays in display order with their field names, labels and values.
func (f slaCalendarForm) Days() []slaDayField {
	out := make([]slaDayField, len(slaWeekdays))
	for i, wd := range slaWeekdays {
		out[i] = slaDayField{Name: "week." + sla.WeekdayKeys[wd], Label: "web.sla.day." + sla.WeekdayKeys[wd], Value: f.Week[wd]}
	}
	return out
}

// slaDayField is one weekday's hours input.
type slaDayField struct{ Name, Label, Value string }

func slaCalendarFormOf(c *sla.CalendarInfo) slaCalendarForm {
	f := slaCalendarForm{Original: c.Name, Name: c.Name, TimeZone: c.TimeZone, AlwaysOpen: c.AlwaysOpen,
		MakeupHours: sla.FormatIntervals(c.MakeupHours), Version: c.Version}
	for wd := range c.Week {
		f.Week[wd] = sla.FormatIntervals(c.Week[wd])
	}
	return f
}

// readSLACalendarForm reads the form; hours that are not HH:MM-HH:MM are named before the service runs.
func readSLACalendarForm(r *http.Request, fe fieldErrors) (slaCalendarForm, *sla.CalendarInfo) {
	f := slaCalendarForm{Name: r.PostFormValue("name"), TimeZone: strings.TrimSpace(r.PostFormValue("time_zone")),
		AlwaysOpen: r.PostFormValue("always_open") == "on", CopyHolidays: r.PostFormValue("copy_holidays") == "on",
		MakeupHours: r.PostFormValue("makeup_hours"), Version: fe.int(r, "version")}
	c := &sla.CalendarInfo{Name: f.Name, TimeZone: f.TimeZone, AlwaysOpen: f.AlwaysOpen, Version: f.Version}
	parse := func(field, v string) []sla.Interval {
		ivs, err := sla.ParseIntervals(v)
		if err != nil {
			fe[field] = "err.sla.interval_format"
		}
		return ivs
	}
	for wd := range f.Week {
		field := "week." + sla.WeekdayKeys[wd]
		f.Week[wd] = r.PostFormValue(field)
		c.Week[wd] = parse(field, f.Week[wd])
	}
	c.MakeupHours = parse("makeup_hours", f.MakeupHours)
	return f, c
}

// slaCalendarNew renders the empty form: Monday to Friday 09:00–12:00 and 13:00–18:00 in Asia/Shanghai
// with the statutory holidays, like cn-workday.
func (h *Handler) slaCalendarNew(w http.ResponseWriter, r *http.Request) error {
	f := slaCalendarForm{TimeZone: "Asia/Shanghai", CopyHolidays: true, MakeupHours: "09:00-12:00, 13:00-18:00"}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		f.Week[wd] = f.MakeupHours
	}
	h.render(w, r, http.StatusOK, "sla/calendar_form", &slaCalendarFormPage{basePage: h.base(r, "web.sla.calendar_new"), IsNew: true, Form: f})
	return nil
}
