package web

import (
	"net/http"
	"net/url"

	"opsdesk/internal/errs"
	"opsdesk/internal/sla"
)

// slaDayClear removes a listed date, so that its weekday's hours apply again.
func (h *Handler) slaDayClear(w http.ResponseWriter, r *http.Request) error {
	d, err := sla.ParseDate(r.PathValue("date"))
	if err != nil {
		return errs.E(errs.NotFound, "err.not_found")
	}
	if err := h.d.SLA.ClearDay(r.Context(), r.PathValue("name"), d); err != nil {
		return err
	}
	h.setFlash(w, "web.flash.deleted")
	http.Redirect(w, r, "/admin/sla/calendars/"+url.PathEscape(r.PathValue("name"))+"?year="+d.String()[:4], http.StatusSeeOther)
	return nil
}
