package web

import (
	"net/http"
	"net/url"
	"strings"

	"opsdesk/internal/sla"
)

// slaDaySet lists a date of the calendar as a holiday or a make-up working day.
func (h *Handler) slaDaySet(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := slaDayForm{Date: strings.TrimSpace(r.PostFormValue("date")), Kind: r.PostFormValue("kind"), Name: r.PostFormValue("name")}
	d, err := sla.ParseDate(f.Date)
	if err != nil {
		err = fieldErrors{"date": "err.sla.date"}.err()
	} else {
		err = h.d.SLA.SetDay(r.Context(), r.PathValue("name"), sla.Day{Date: d, Kind: sla.DayKind(f.Kind), Name: f.Name})
	}
	if ok, status, msg, fields := formError(err); ok {
		return h.slaCalendarFailed(w, r, status, msg, fields, func(p *slaCalendarPage) { p.Day = f })
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/admin/sla/calendars/"+url.PathEscape(r.PathValue("name"))+"?year="+f.Date[:4], http.StatusSeeOther)
	return nil
}
