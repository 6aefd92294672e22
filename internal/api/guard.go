package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// maxBody is the largest request body accepted.
const maxBody = 1 << 20

// maxToken bounds the Authorization value looked up, so that a huge header costs nothing.
const maxToken = 512

// guard runs in front of every operation (except the public ones, which are only validated), in this order: authenticate the bearer token (401),
// check the operation's x-permissions (403, audited), then validate the request against
// openapi.yaml (400/413). Authorisation comes before validation so that a caller without the
// permission learns nothing about the input rules, and so that the access table can probe every
// route with an invalid body.
func (s *server) guard(op operation, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w = &trackWriter{ResponseWriter: w}
		if op.public {
			// No login: the operation carries its own secret (a one-time link) and acts as the base
			// actor (IP, user agent, language); a token, if sent, is ignored.
			if err := s.validate(w, r, op); err != nil {
				s.fail(w, r, err)
				return
			}
			w.Header().Set("Cache-Control", "no-store")
			next.ServeHTTP(w, r)
			return
		}
		a, err := s.authenticate(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		r = r.WithContext(actor.NewContext(r.Context(), a))
		if !allowed(a, op.perms) {
			s.d.IAM.Denied(r.Context(), op.perms[0], "route", op.method+" "+BasePath+op.path)
			s.fail(w, r, errs.E(errs.Forbidden, "err.forbidden"))
			return
		}
		if err := s.validate(w, r, op); err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// authenticate resolves "Authorization: Bearer <token>" into the acting user. The actor keeps the
// request details (IP, user agent, source, language) of the base actor already in the context.
func (s *server) authenticate(r *http.Request) (*actor.Actor, error) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if h == "" || !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	if len(token) > maxToken {
		return nil, errs.E(errs.Unauthenticated, "err.token.invalid")
	}
	return s.d.IAM.AuthenticateToken(r.Context(), token)
}

// allowed reports whether a holds one of perms; an empty list admits any signed-in user.
func allowed(a *actor.Actor, perms []string) bool {
	if len(perms) == 0 {
		return true
	}
	for _, p := range perms {
		if a.Can(p) {
			return true
		}
	}
	return false
}

// readBody reads at most maxBody bytes of the request body and puts them back for the next reader.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	r.Body.Close()
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &requestError{Status: http.StatusRequestEntityTooLarge, Msg: "err.body_too_large", Err: err}
		}
		return nil, badRequest("err.json", "", "", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	r.ContentLength = int64(len(data))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	return data, nil
}

// notFound answers paths under /api/ that are no operation: 405 with Allow when the path exists for
// another method, 404 otherwise.
func (s *server) notFound(mux *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); strings.HasPrefix(pattern, m+" ") {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.fail(w, r, &requestError{Status: http.StatusMethodNotAllowed, Msg: "api.error.method"})
			return
		}
		s.fail(w, r, errs.E(errs.NotFound, "api.error.route"))
	}
}
