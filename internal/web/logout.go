package web

import "net/http"

// logout ends the session and clears its cookie. Without a valid session there is nothing to end,
// and the user lands on the login page all the same.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) error {
	if r2, err := h.authenticate(r); err == nil {
		if err := h.d.IAM.Logout(r2.Context()); err != nil {
			return err
		}
	}
	h.setSession(w, "")
	h.redirect(w, r, "/login")
	return nil
}
