package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// validate checks a request against its operation in openapi.yaml: parameters, content type and the
// body schema (types, unknown fields, lengths, enums). Before that it enforces what JSON Schema
// cannot: at most 1 MiB, valid UTF-8 and no NUL characters, which PostgreSQL cannot store.
func (s *server) validate(w http.ResponseWriter, r *http.Request, op operation) error {
	for name, vals := range r.URL.Query() {
		for _, v := range vals {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				return badRequest("err.invalid", name, "err.utf8", nil)
			}
		}
	}
	upload := isUpload(op)
	if upload {
		// A file upload streams to its handler, bounded here; only its parameters are validated.
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
			return badRequest("api.error.multipart", "", "", nil)
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.uploadLimit())
	} else if op.op.RequestBody != nil {
		data, err := readBody(w, r)
		if err != nil {
			return err
		}
		if err := checkText(data); err != nil {
			return err
		}
	}
	params := map[string]string{}
	for _, p := range append(op.item.Parameters, op.op.Parameters...) {
		if p.Value != nil && p.Value.In == openapi3.ParameterInPath {
			params[p.Value.Name] = r.PathValue(p.Value.Name)
		}
	}
	sp := mustSpec()
	in := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: params,
		Route:      &routers.Route{Spec: sp.doc, Path: op.path, PathItem: op.item, Method: op.method, Operation: op.op},
		Options: &openapi3filter.Options{
			MultiError:          true,
			SkipSettingDefaults: true,
			ExcludeRequestBody:  upload,
			AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc, // guard authenticated already
		},
	}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		return toRequestError(err)
	}
	return nil
}

// checkText rejects bodies that are not UTF-8, not JSON, or carry a NUL character in a string.
func checkText(data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil // the validator reports the missing body
	}
	if !utf8.Valid(data) {
		return badRequest("err.utf8", "", "", nil)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return badRequest("err.json", "", "", err)
	}
	if path, ok := findNUL(v, ""); ok {
		return badRequest("err.invalid", path, "err.control_chars", nil)
	}
	return nil
}

// findNUL returns the path of the first string (or key) in v holding a NUL character.
func findNUL(v any, path string) (string, bool) {
	switch x := v.(type) {
	case string:
		return path, strings.ContainsRune(x, 0)
	case []any:
		for _, e := range x {
			if p, ok := findNUL(e, path); ok {
				return p, true
			}
		}
	case map[string]any:
		for k, e := range x {
			if strings.ContainsRune(k, 0) {
				return path, true
			}
			if p, ok := findNUL(e, joinPath(path, k)); ok {
				return p, true
			}
		}
	}
	return "", false
}

// toRequestError turns the validator's findings into field messages.
func toRequestError(err error) error {
	re := &requestError{Status: http.StatusBadRequest, Msg: "err.invalid", Fields: map[string]string{}, Err: err}
	var walk func(err error, field string)
	walk = func(err error, field string) {
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, x := range e {
				walk(x, field)
			}
		case *openapi3filter.RequestError:
			switch {
			case e.Parameter != nil:
				field = e.Parameter.Name
			case strings.HasPrefix(e.Reason, "header Content-Type"):
				re.Msg = "api.error.content_type"
				return
			case errors.Is(e.Err, openapi3filter.ErrInvalidRequired) && e.RequestBody != nil:
				re.Msg = "err.json"
				return
			}
			if e.Err == nil {
				re.Fields[orBody(field)] = "err.invalid"
				return
			}
			walk(e.Err, field)
		case *openapi3.SchemaError:
			name, msg := schemaProblem(e)
			re.Fields[orBody(joinPath(field, name))] = msg
		case *openapi3filter.ParseError:
			if field == "" {
				re.Msg = "err.json"
				return
			}
			re.Fields[field] = "api.error.type"
		default:
			if u := errors.Unwrap(err); u != nil {
				walk(u, field)
				return
			}
			re.Fields[orBody(field)] = "err.invalid"
		}
	}
	walk(err, "")
	if len(re.Fields) == 0 {
		re.Fields = nil
	}
	return re
}

var quotedName = regexp.MustCompile(`property "([^"]+)"`)

// schemaProblem names the field a schema error is about and the message key that describes it.
func schemaProblem(se *openapi3.SchemaError) (field, msg string) {
	field = strings.Join(se.JSONPointer(), ".")
	switch se.SchemaField {
	case "properties", "required":
		if m := quotedName.FindStringSubmatch(se.Reason); m != nil {
			if ptr := se.JSONPointer(); len(ptr) == 0 || ptr[len(ptr)-1] != m[1] {
				field = joinPath(field, m[1])
			}
		}
		if se.SchemaField == "required" {
			return field, "err.required"
		}
		return field, "err.unknown_field"
	case "maxLength", "maxItems":
		return field, "err.too_long"
	case "minLength", "minItems":
		return field, "err.required"
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		return field, "err.out_of_range"
	case "enum":
		return field, "api.error.enum"
	case "format", "pattern":
		return field, "api.error.format"
	case "type", "nullable":
		return field, "api.error.type"
	}
	return field, "err.invalid"
}

func joinPath(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "." + b
}

// orBody names problems that belong to no field.
func orBody(field string) string {
	if field == "" {
		return "body"
	}
	return field
}
