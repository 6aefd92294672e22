package web

import "net/http"

// totpStepPage asks for the second factor after the password was accepted.
type totpStepPage struct {
	basePage
	Next string
}

// loginTOTPShow renders the code form while the session waits for the second factor; a complete
// session has nothing to do here.
func (h *Handler) loginTOTPShow(w http.ResponseWriter, r *http.Request) error {
	if !sessionFrom(r.Context()).sess.MFAPending {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	p := &totpStepPage{basePage: h.base(r, "web.totp_step.title"), Next: nextParam(r.URL.Query().Get("next"))}
	h.render(w, r, http.StatusOK, "auth/totp", p)
	return nil
}
