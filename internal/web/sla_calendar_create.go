package web

import (
	"net/http"
	"net/url"
)

// slaCalendarCreate creates a calendar and opens it.
func (h *Handler) slaCalendarCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	f, c := readSLACalendarForm(r, fe)
	err := fe.err()
	if err == nil {
		err = h.d.SLA.CreateCalendar(r.Context(), c, f.CopyHolidays)
	}
	if ok, status, msg, fields := formError(err); ok {
		p := &slaCalendarFormPage{basePage: h.base(r, "web.sla.calendar_new"), IsNew: true, Form: f}
		p.fail(msg, fields)
		h.render(w, r, status, "sla/calendar_form", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/admin/sla/calendars/"+url.PathEscape(c.Name), http.StatusSeeOther)
	return nil
}
