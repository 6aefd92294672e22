package web

import (
	"net/http"
	"strconv"
)

// userSetDisabled returns the handler that disables (leavers: sessions end, tokens are revoked at
// once) or re-enables an account.
func (h *Handler) userSetDisabled(disabled bool) handlerFunc {
	flash := "web.flash.user_enabled"
	if disabled {
		flash = "web.flash.user_disabled"
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := h.d.IAM.SetDisabled(r.Context(), id, disabled); err != nil {
			return err
		}
		h.setFlash(w, flash)
		http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
}
