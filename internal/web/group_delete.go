package web

import "net/http"

// groupDelete removes a support group.
func (h *Handler) groupDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.d.IAM.DeleteGroup(r.Context(), id); err != nil {
		return err
	}
	h.setFlash(w, "web.flash.deleted")
	http.Redirect(w, r, "/admin/groups", http.StatusSeeOther)
	return nil
}
