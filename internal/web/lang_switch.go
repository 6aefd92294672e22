package web

import (
	"net/http"
	"net/url"
	"time"

	"opsdesk/internal/errs"
	"opsdesk/internal/i18n"
)

// langSwitch remembers the chosen language in a cookie for a year and, for a signed-in user, in the
// account, then returns to the page the switch was pressed on.
func (h *Handler) langSwitch(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	lang := r.PostFormValue("lang")
	if lang != i18n.ZH && lang != i18n.EN {
		return errs.E(errs.Invalid, "err.locale")
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: int(365 * 24 * time.Hour / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.d.Cfg.SecureCookies()})
	if r2, err := h.authenticate(r); err == nil && !sessionFrom(r2.Context()).sess.MFAPending {
		if err := h.d.IAM.SetLocale(r2.Context(), lang); err != nil {
			return err
		}
	}
	h.redirect(w, r, backTo(r))
	return nil
}

// backTo is the path of a same-site Referer, or the home page.
func backTo(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host || (ref.Scheme != "http" && ref.Scheme != "https") {
		return "/"
	}
	return sitePath(ref.RequestURI())
}
