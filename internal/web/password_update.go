package web

import (
	"net/http"

	"opsdesk/internal/errs"
)

// passwordUpdate changes the user's password after checking the old one and that both new entries
// agree.
func (h *Handler) passwordUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	oldPW, newPW := r.PostFormValue("old_password"), r.PostFormValue("new_password")
	var err error
	if newPW != r.PostFormValue("confirm_password") {
		err = errs.E(errs.Invalid, "err.password.mismatch", errs.Field("confirm_password", "err.password.mismatch"))
	} else {
		err = h.d.IAM.ChangePassword(r.Context(), oldPW, newPW)
	}
	if ok, status, msg, fields := formError(err); ok {
		p, err := h.passwordPage(r)
		if err != nil {
			return err
		}
		p.fail(msg, fields)
		h.render(w, r, status, "profile/password", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.password_changed")
	si := sessionFrom(r.Context())
	si.user.MustChangePassword = false
	if need, err := h.d.IAM.NeedsMFAEnrolment(r.Context(), si.user); err == nil && need {
		http.Redirect(w, r, "/profile/totp", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/profile", http.StatusSeeOther)
	return nil
}
