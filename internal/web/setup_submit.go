package web

import (
	"net/http"
)

// setupSubmit consumes the one-time link and creates the administrator accounts (admin, secadmin,
// auditor) with the passwords chosen, then sends the operator to sign in.
func (h *Handler) setupSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := h.setupPage(r)
	if err != nil {
		return err
	}
	token := r.PostFormValue("token")
	pw := [3]string{r.PostFormValue("admin"), r.PostFormValue("secadmin"), r.PostFormValue("auditor")}
	err = h.d.IAM.Setup(r.Context(), token, pw)
	if ok, status, msg, fields := formError(err); ok {
		p.Token = token
		p.fail(msg, fields)
		h.render(w, r, status, "setup/setup", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.setup_done")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
