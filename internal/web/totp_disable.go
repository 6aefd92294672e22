package web

import "net/http"

// totpDisable turns the second factor off after the password is re-entered.
func (h *Handler) totpDisable(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	err := h.d.IAM.DisableTOTP(r.Context(), r.PostFormValue("password"))
	if ok, status, msg, fields := formError(err); ok {
		p, err := h.totpPage(r)
		if err != nil {
			return err
		}
		p.fail(msg, fields)
		h.render(w, r, status, "profile/totp", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.totp_disabled")
	http.Redirect(w, r, "/profile/totp", http.StatusSeeOther)
	return nil
}
