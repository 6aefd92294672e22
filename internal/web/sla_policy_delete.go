package web

import "net/http"

// slaPolicyDelete removes a policy.
func (h *Handler) slaPolicyDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.d.SLA.DeletePolicy(r.Context(), id); err != nil {
		return err
	}
	h.setFlash(w, "web.flash.deleted")
	http.Redirect(w, r, "/admin/sla/policies", http.StatusSeeOther)
	return nil
}
