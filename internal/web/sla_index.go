package web

import "net/http"

// slaIndex is the 服务级别 navigation entry: it opens the calendars.
func (h *Handler) slaIndex(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/admin/sla/calendars", http.StatusSeeOther)
	return nil
}
