package web

import "net/http"

// slaCalendarEdit renders the form of an existing calendar.
func (h *Handler) slaCalendarEdit(w http.ResponseWriter, r *http.Request) error {
	info, _, err := h.d.SLA.CalendarDetail(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "sla/calendar_form", &slaCalendarFormPage{basePage: h.base(r, "web.sla.calendar_edit"), Form: slaCalendarFormOf(info)})
	return nil
}
