package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// requestError is a request that does not fit openapi.yaml (or the transport rules: size, UTF-8,
// version header). It answers with its status (400 unless set) and kind "invalid" before any service
// is called. Msg and the Fields values are message keys.
type requestError struct {
	Status int
	Msg    string
	Fields map[string]string
	Err    error // the validator's detail, for the log only
}

func (e *requestError) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *requestError) Unwrap() error { return e.Err }

// badRequest builds a 400 requestError naming one field.
func badRequest(msg, field, fieldMsg string, cause error) *requestError {
	e := &requestError{Status: http.StatusBadRequest, Msg: msg, Err: cause}
	if field != "" {
		e.Fields = map[string]string{field: fieldMsg}
	}
	return e
}

// errorBody is the one error shape of the API (components/schemas/Error).
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Kind    string            `json:"kind"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// fail renders err in the request's language. Internal errors are logged with the request and shown
// as a generic message. When the response has already started (a failed export stream), it can only
// be logged.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	a := actor.FromContext(r.Context())
	var lang, user string
	if a != nil {
		lang, user = a.Lang, a.Username
	}
	var (
		status int
		kind   string
		msg    string
		fields map[string]string
	)
	var re *requestError
	if errors.As(err, &re) {
		status, kind, msg, fields = re.Status, errs.Invalid.String(), re.Msg, re.Fields
		if status == 0 {
			status = http.StatusBadRequest
		}
	} else {
		k := errs.KindOf(err)
		status, kind = statusOf(k), k.String()
		msg, fields = errs.Info(err)
	}
	if tw, ok := w.(*trackWriter); ok && tw.started {
		s.d.Log.Error("api: response failed after it started", "method", r.Method, "path", r.URL.Path, "user", user, "err", err)
		return
	}
	if status >= 500 {
		s.d.Log.Error("api", "method", r.Method, "path", r.URL.Path, "user", user, "err", err)
	}
	body := errorBody{Error: errorDetail{Kind: kind, Message: s.d.I18n.T(lang, msg)}}
	if len(fields) > 0 {
		body.Error.Fields = make(map[string]string, len(fields))
		for f, m := range fields {
			body.Error.Fields[f] = s.d.I18n.T(lang, m)
		}
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	if status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="opsdesk"`)
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// requestFailed handles what the generated code could not bind or decode (a parameter or a body the
// validator let through); it is the caller's fault, so 400.
func (s *server) requestFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.fail(w, r, badRequest("err.invalid", "", "", err))
}

// trackWriter remembers whether the response has started, so that fail does not write a second header.
type trackWriter struct {
	http.ResponseWriter
	started bool
}

func (t *trackWriter) WriteHeader(code int) {
	t.started = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackWriter) Write(b []byte) (int, error) {
	t.started = true
	return t.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (t *trackWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// statusOf maps an error kind to its HTTP status (shared with the other transport through errs).
var statusOf = errs.HTTPStatus
