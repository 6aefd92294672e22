package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"opsdesk/internal/api/apigen"
)

// server implements the operations of openapi.yaml (apigen.StrictServerInterface), one file per
// resource. Each handler maps the request to one service call and the result to the API's own
// response types; permissions, scope and rules stay in the services.
type server struct {
	d Deps
}

var _ apigen.StrictServerInterface = (*server)(nil)

// New returns the handler for /api/: the document at /api/openapi.yaml and every operation under
// /api/v1, each behind guard (authenticate, authorise, validate).
func New(d Deps) http.Handler {
	sp := mustSpec()
	s := &server{d: d}
	gen := http.NewServeMux()
	strict := apigen.NewStrictHandlerWithOptions(s, nil, apigen.StrictHTTPServerOptions{
		RequestErrorHandlerFunc:  s.requestFailed,
		ResponseErrorHandlerFunc: s.fail,
	})
	apigen.HandlerWithOptions(strict, apigen.StdHTTPServerOptions{
		BaseURL: BasePath, BaseRouter: gen, ErrorHandlerFunc: s.requestFailed,
	})
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+SpecPath, serveSpec)
	for _, op := range sp.ops {
		mux.Handle(op.pattern(), s.guard(op, gen))
	}
	mux.HandleFunc("/api/", s.notFound(mux))
	return mux
}

// etag formats a version for the ETag header.
func etag(version int) *string {
	s := `"` + strconv.Itoa(version) + `"`
	return &s
}

// versionOf returns the version an editor saw, from If-Match ("3", W/"3" or 3) or else from the body.
// Optimistic locking needs one of them: without, the answer is 428.
func versionOf(ifMatch *string, body *int) (int, error) {
	if ifMatch != nil {
		v := strings.TrimPrefix(strings.TrimSpace(*ifMatch), "W/")
		n, err := strconv.Atoi(strings.Trim(v, `"`))
		if err != nil || n < 0 || (body != nil && *body != n) {
			return 0, badRequest("err.invalid", "If-Match", "api.error.if_match", err)
		}
		return n, nil
	}
	if body != nil {
		return *body, nil
	}
	return 0, &requestError{Status: http.StatusPreconditionRequired, Msg: "api.error.version_required",
		Fields: map[string]string{"version": "err.required"}}
}

// timeOrNil maps the zero time to null.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// or returns *p, or def when p is nil: a PATCH keeps the fields it leaves out.
func or[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// orEmpty keeps JSON arrays from being null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
