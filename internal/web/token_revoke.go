package web

import "net/http"

// tokenRevoke revokes one of the user's tokens.
func (h *Handler) tokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.d.IAM.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	h.setFlash(w, "web.flash.token_revoked")
	http.Redirect(w, r, "/profile/tokens", http.StatusSeeOther)
	return nil
}
