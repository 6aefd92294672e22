package web

import (
	"net/http"
	"strconv"
)

// userUnlock lifts a lock-out before its cool-down ends (security administrator).
func (h *Handler) userUnlock(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.d.IAM.Unlock(r.Context(), id); err != nil {
		return err
	}
	h.setFlash(w, "web.flash.user_unlocked")
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
