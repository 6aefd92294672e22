package web

import (
	"net/http"
	"net/url"

	"opsdesk/internal/errs"
)

// loginSubmit checks the username and password. Success sets the session cookie and continues to the
// second factor, a required password change or enrolment, or the page the user came for. Failure
// shows the form again with the reason the service gives (never whether the username exists).
func (h *Handler) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	username, next := r.PostFormValue("username"), nextParam(r.PostFormValue("next"))
	res, err := h.d.IAM.Login(r.Context(), username, r.PostFormValue("password"))
	if err != nil {
		kind := errs.KindOf(err)
		if kind != errs.Unauthenticated && kind != errs.TooMany {
			return err
		}
		p := &loginPage{basePage: h.base(r, "web.login.title"), Username: username, Next: next}
		msg, _ := errs.Info(err)
		p.fail(msg, nil)
		h.render(w, r, statusOf(kind), "auth/login", p)
		return nil
	}
	h.setSession(w, res.Secret)
	if res.Session.MFAPending {
		to := "/login/totp"
		if next != "" {
			to += "?next=" + url.QueryEscape(next)
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, h.afterLogin(r.Context(), res.User, next), http.StatusSeeOther)
	return nil
}
