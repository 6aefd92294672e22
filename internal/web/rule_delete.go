package web

import "net/http"

// ruleDelete removes a dispatch rule.
func (h *Handler) ruleDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := h.findRule(r, id); err != nil {
		return err
	}
	if err := h.d.Tickets.DeleteRule(r.Context(), id); err != nil {
		return err
	}
	h.setFlash(w, "web.flash.deleted")
	http.Redirect(w, r, "/admin/dispatch-rules", http.StatusSeeOther)
	return nil
}
