// Package apiclient is the typed Go client of the opsdesk REST API (/api/v1), generated from
// internal/api/openapi.yaml into client.gen.go. The CLI's admin commands and the end-to-end tests use
// it; New adds the base path and the bearer token.
package apiclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// BasePath is where the API lives under the server's address.
const BasePath = "/api/v1"

// New returns a client for the opsdesk at baseURL (e.g. "http://127.0.0.1:8080") that authenticates
// with an API token. Options such as WithHTTPClient may follow.
func New(baseURL, token string, opts ...ClientOption) (*ClientWithResponses, error) {
	opts = append([]ClientOption{
		WithHTTPClient(&http.Client{Timeout: 60 * time.Second}),
		WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+token)
			return nil
		}),
	}, opts...)
	return NewClientWithResponses(strings.TrimRight(baseURL, "/")+BasePath, opts...)
}

// WithLanguage asks for error messages in lang ("zh-CN" or "en"), unless the user chose a language.
func WithLanguage(lang string) ClientOption {
	return WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Accept-Language", lang)
		return nil
	})
}

// StatusError is an error answer of the API: its status and the error shape of openapi.yaml.
type StatusError struct {
	Status  int
	Kind    string            // invalid, not_found, conflict, forbidden, unauthenticated, too_many, internal
	Message string            // in the request's language
	Fields  map[string]string // field → problem
}

// Error formats the status, kind, message and field problems on one line.
func (e *StatusError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s: %s", e.Status, e.Kind, e.Message)
	for f, m := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f, m)
	}
	return b.String()
}

// Response is what every generated ...Response type offers.
type Response interface {
	StatusCode() int
	GetBody() []byte
}

// Check returns nil for a 2xx answer and a *StatusError otherwise; err from the call itself is passed
// through. Use it as apiclient.Check(c.GetMeWithResponse(ctx)).
func Check[R Response](resp R, err error) (R, error) {
	if err != nil {
		return resp, err
	}
	if s := resp.StatusCode(); s >= 200 && s < 300 {
		return resp, nil
	}
	var body Error
	e := &StatusError{Status: resp.StatusCode(), Kind: "internal"}
	if json.Unmarshal(resp.GetBody(), &body) == nil && body.Error.Kind != "" {
		e.Kind, e.Message = string(body.Error.Kind), body.Error.Message
		if body.Error.Fields != nil {
			e.Fields = *body.Error.Fields
		}
	} else {
		e.Message = http.StatusText(e.Status)
	}
	return resp, e
}
