package web

import "net/http"

// loginPage is the sign-in form.
type loginPage struct {
	basePage
	Username string
	Next     string // where to go after signing in; a same-site path
}

// loginShow renders the sign-in form.
func (h *Handler) loginShow(w http.ResponseWriter, r *http.Request) error {
	p := &loginPage{basePage: h.base(r, "web.login.title"), Next: nextParam(r.URL.Query().Get("next"))}
	h.render(w, r, http.StatusOK, "auth/login", p)
	return nil
}

// nextParam keeps a post-login target only when it is a same-site path.
func nextParam(next string) string {
	if next == "" {
		return ""
	}
	if s := safeNext(next); s != "/" {
		return s
	}
	return ""
}
