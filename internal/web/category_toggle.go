package web

import (
	"net/http"

	"opsdesk/internal/errs"
)

// categoryToggle deactivates an active category or activates an inactive one, at the version shown.
func (h *Handler) categoryToggle(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	cats, err := h.d.Tickets.Categories(r.Context())
	if err != nil {
		return err
	}
	c, err := findCategory(r.Context(), cats, id)
	if err != nil {
		return err
	}
	fe := fieldErrors{}
	if v := fe.int(r, "version"); v != c.Version {
		return errs.E(errs.Conflict, "err.stale")
	}
	c.Active = !c.Active
	if err := h.d.Tickets.SaveCategory(r.Context(), c); err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/admin/ticket-categories", http.StatusSeeOther)
	return nil
}
