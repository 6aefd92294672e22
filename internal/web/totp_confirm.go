package web

import "net/http"

// totpConfirm turns the second factor on when the code matches the new secret.
func (h *Handler) totpConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	err := h.d.IAM.ConfirmTOTP(r.Context(), r.PostFormValue("code"))
	if ok, status, msg, fields := formError(err); ok {
		p, err := h.totpPage(r)
		if err != nil {
			return err
		}
		p.fail(msg, fields)
		p.Confirming = !p.Enabled
		h.render(w, r, status, "profile/totp", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.totp_enabled")
	http.Redirect(w, r, "/profile/totp", http.StatusSeeOther)
	return nil
}
