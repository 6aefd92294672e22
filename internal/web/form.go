package web

import (
	"net/http"
	"strconv"
	"strings"

	"opsdesk/internal/errs"
)

// parseForm reads a form body (bounded by serve's MaxBytesReader) and the query.
func parseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errs.E(errs.Invalid, "err.body_too_large", err)
	}
	return nil
}

// pathID parses a numeric path segment. Anything but a positive integer is a page that does not
// exist, not a server error.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.E(errs.NotFound, "err.not_found")
	}
	return id, nil
}

// fieldErrors collects problems found while reading a form, before any service is called.
type fieldErrors map[string]string

// int reads an integer field; an unparsable value is recorded under the field's name. An empty
// value is 0.
func (fe fieldErrors) int(r *http.Request, name string) int {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		fe[name] = "err.number"
		return 0
	}
	return n
}

// id reads an optional id field (a select); 0 when empty or not a number.
func (fe fieldErrors) id(r *http.Request, name string) int64 {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		fe[name] = "err.number"
		return 0
	}
	return n
}

// ids reads a multi-value id field.
func (fe fieldErrors) ids(r *http.Request, name string) []int64 {
	var out []int64
	for _, v := range r.PostForm[name] {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n <= 0 {
			fe[name] = "err.number"
			continue
		}
		out = append(out, n)
	}
	return out
}

// err returns the collected problems as an Invalid error, or nil.
func (fe fieldErrors) err() error {
	if len(fe) == 0 {
		return nil
	}
	return errs.E(errs.Invalid, "err.invalid", map[string]string(fe))
}

// queryInt reads a non-negative integer from the query string, def when absent or malformed.
func queryInt(r *http.Request, name string, def int) int {
	n, err := strconv.Atoi(r.URL.Query().Get(name))
	if err != nil || n < 0 {
		return def
	}
	return n
}

// conflictFields places uniqueness conflicts next to the field that caused them.
var conflictFields = map[string]string{
	"err.user.exists":  "username",
	"err.org.exists":   "code",
	"err.group.exists": "code",
	"err.role.exists":  "code",
}

// formError reports whether err is one a form shows next to its fields (a validation error, 422, or
// a conflict such as a taken name or a stale version, 409), with the status, message and field keys.
// Other errors go to the error page.
func formError(err error) (ok bool, status int, msg string, fields map[string]string) {
	switch errs.KindOf(err) {
	case errs.Invalid:
		msg, fields = errs.Info(err)
		return true, http.StatusUnprocessableEntity, msg, fields
	case errs.Conflict:
		msg, fields = errs.Info(err)
		if f := conflictFields[msg]; f != "" && fields == nil {
			fields = map[string]string{f: msg}
		}
		return true, http.StatusConflict, msg, fields
	}
	return false, 0, "", nil
}
