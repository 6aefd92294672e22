package web

import "net/http"

// slaCalendarDelete deletes a calendar; while policies use it, the calendar page says which.
func (h *Handler) slaCalendarDelete(w http.ResponseWriter, r *http.Request) error {
	err := h.d.SLA.DeleteCalendar(r.Context(), r.PathValue("name"))
	if ok, status, msg, fields := formError(err); ok {
		return h.slaCalendarFailed(w, r, status, msg, fields, nil)
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.deleted")
	http.Redirect(w, r, "/admin/sla/calendars", http.StatusSeeOther)
	return nil
}

// slaCalendarFailed re-renders the calendar page with a form error; keep adjusts the page (the forms'
// values) before it renders.
func (h *Handler) slaCalendarFailed(w http.ResponseWriter, r *http.Request, status int, msg string, fields map[string]string, keep func(*slaCalendarPage)) error {
	p, err := h.slaCalendarPage(r)
	if err != nil {
		return err
	}
	if keep != nil {
		keep(p)
	}
	p.fail(msg, fields)
	h.render(w, r, status, "sla/calendar_show", p)
	return nil
}
