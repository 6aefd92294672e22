package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
)

// sessionCookie holds the session secret; only its hash is stored on the server.
const sessionCookie = "opsdesk_session"

// maxBody bounds every request body but uploads (see bodyLimit).
const maxBody = 1 << 20

// signedIn is what the session check learned, kept in the request context for the handlers that
// need the session itself (the TOTP step) or the user record.
type signedIn struct {
	sess *iam.Session
	user *iam.User
}

type signedInKey struct{}

func sessionFrom(ctx context.Context) *signedIn {
	s, _ := ctx.Value(signedInKey{}).(*signedIn)
	return s
}

// serve wraps a route: body limit, session and permission checks, then the handler, all through the
// one error adapter wrap.
func (h *Handler) serve(rt route) http.Handler {
	return h.wrap(func(w http.ResponseWriter, r *http.Request) error {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, h.bodyLimit(rt.access))
		}
		if rt.access.public {
			return rt.fn(w, r)
		}
		r, err := h.authenticate(r)
		if err != nil {
			return err
		}
		if to := h.detour(r, rt.access, sessionFrom(r.Context())); to != "" {
			h.redirect(w, r, to)
			return nil
		}
		if len(rt.access.anyOf) > 0 && !canAny(actor.FromContext(r.Context()), rt.access.anyOf) {
			h.d.IAM.Denied(r.Context(), rt.access.anyOf[0], "route", rt.pattern)
			return errs.E(errs.Forbidden, "err.forbidden")
		}
		return rt.fn(w, r)
	})
}

// authenticate resolves the session cookie and returns the request carrying the user as actor.
func (h *Handler) authenticate(r *http.Request) (*http.Request, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return r, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	a, sess, u, err := h.d.IAM.Authenticate(r.Context(), c.Value)
	if err != nil {
		return r, err
	}
	ctx := actor.NewContext(r.Context(), a)
	ctx = context.WithValue(ctx, signedInKey{}, &signedIn{sess: sess, user: u})
	return r.WithContext(ctx), nil
}

// detour returns where a session that is not yet complete must go instead of the route: the TOTP
// step, the password change or the second-factor enrolment. "" lets the request through.
func (h *Handler) detour(r *http.Request, ac access, si *signedIn) string {
	if si.sess.MFAPending {
		if ac.mfaPending {
			return ""
		}
		return "/login/totp"
	}
	if ac.mfaPending {
		return "" // the handler sends a complete session home
	}
	ctx := r.Context()
	if must, err := h.d.IAM.NeedsPasswordChange(ctx, si.user); err == nil && must && !ac.pwChange {
		return "/profile/password"
	}
	if must, err := h.d.IAM.NeedsMFAEnrolment(ctx, si.user); err == nil && must && !ac.enrol {
		return "/profile/totp"
	}
	return ""
}

func canAny(a *actor.Actor, perms []string) bool {
	for _, p := range perms {
		if a.Can(p) {
			return true
		}
	}
	return false
}

// afterLogin is where a user goes once the password (and second factor) are accepted.
func (h *Handler) afterLogin(ctx context.Context, u *iam.User, next string) string {
	if must, err := h.d.IAM.NeedsPasswordChange(ctx, u); err == nil && must {
		return "/profile/password"
	}
	if must, err := h.d.IAM.NeedsMFAEnrolment(ctx, u); err == nil && must {
		return "/profile/totp"
	}
	return safeNext(next)
}

// safeNext keeps a post-login target only when it is a page on this site other than the sign-in
// pages themselves.
func safeNext(next string) string {
	p := sitePath(next)
	if strings.HasPrefix(p, "/login") || strings.HasPrefix(p, "/logout") {
		return "/"
	}
	return p
}

// sitePath returns next when it is a path on this site, and "/" otherwise, so that a crafted link
// cannot send the user elsewhere ("//evil.example", "/\\evil.example", "https://…").
func sitePath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return u.RequestURI()
}

// loginURL is the login page that returns to the current page afterwards.
func loginURL(r *http.Request) string {
	if r.Method != http.MethodGet || r.URL.Path == "/" {
		return "/login"
	}
	return "/login?next=" + url.QueryEscape(r.URL.RequestURI())
}

// setSession sets or, with an empty secret, clears the session cookie.
func (h *Handler) setSession(w http.ResponseWriter, secret string) {
	c := &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: h.d.Cfg.SecureCookies()}
	if secret == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// redirect answers 303 See Other, or for htmx an HX-Redirect so that the whole page navigates
// instead of a fragment being replaced by the target page.
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, to string) {
	if isHTMX(r) {
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func isHTMX(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true"
}
