package web

import (
	"net/http"
	"net/url"
)

// slaCalendarUpdate saves a calendar at the version the form was rendered with.
func (h *Handler) slaCalendarUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	name := r.PathValue("name")
	fe := fieldErrors{}
	f, c := readSLACalendarForm(r, fe)
	f.Original = name
	err := fe.err()
	if err == nil {
		err = h.d.SLA.UpdateCalendar(r.Context(), name, c)
	}
	if ok, status, msg, fields := formError(err); ok {
		p := &slaCalendarFormPage{basePage: h.base(r, "web.sla.calendar_edit"), Form: f}
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
