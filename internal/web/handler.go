package web

import (
	"errors"
	"net/http"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// wrap adapts a handler that returns an error: the one place where errors become responses. An
// unauthenticated request goes to the login page; the other kinds map to a status and a translated
// message, as a full page or, for htmx, an alert fragment. Internal errors are logged with the request
// and shown as a generic message.
func (h *Handler) wrap(f handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := f(w, r); err != nil {
			h.fail(w, r, err)
		}
	})
}

// errorPage is the full page shown for an error.
type errorPage struct {
	basePage
	Status  int
	Message string // message key
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = errs.E(errs.Invalid, "err.body_too_large", err)
	}
	kind := errs.KindOf(err)
	if kind == errs.Unauthenticated {
		h.setSession(w, "")
		h.redirect(w, r, loginURL(r))
		return
	}
	status := statusOf(kind)
	if status >= 500 {
		h.d.Log.Error("web request failed", "method", r.Method, "path", r.URL.Path, "user", userName(r), "err", err)
	}
	msg, _ := errs.Info(err)
	// wrap sees the request as it came in; sign the user in again (cheaply, on this error path only)
	// so that the error page keeps the header with their name, menu and language.
	if a := actor.FromContext(r.Context()); a == nil || a.UserID == 0 {
		if r2, err := h.authenticate(r); err == nil && !sessionFrom(r2.Context()).sess.MFAPending {
			r = r2
		}
	}
	if isHTMX(r) {
		// The alert goes to the page's alert area whatever the request targeted.
		w.Header().Set("HX-Retarget", "#alerts")
		w.Header().Set("HX-Reswap", "innerHTML")
		h.fragment(w, r, status, "error/error", "alert", alertData{Lang: langOf(r), Kind: "error", Message: msg})
		return
	}
	p := &errorPage{basePage: h.base(r, titleForStatus(status)), Status: status, Message: msg}
	h.render(w, r, status, "error/error", p)
}

func titleForStatus(status int) string {
	switch status {
	case http.StatusNotFound:
		return "web.error.not_found"
	case http.StatusForbidden:
		return "web.error.forbidden"
	case http.StatusUnprocessableEntity, http.StatusConflict:
		return "web.error.invalid"
	case http.StatusTooManyRequests:
		return "web.error.too_many"
	}
	return "web.error.internal"
}

func userName(r *http.Request) string {
	if a := actor.FromContext(r.Context()); a != nil {
		return a.Username
	}
	return ""
}

// notFound answers paths no route matches.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) error {
	return errs.E(errs.NotFound, "err.not_found")
}

// statusOf maps an error kind to its HTTP status (shared with the other transport through errs).
var statusOf = errs.HTTPStatus
