// Package web serves opsdesk's HTML user interface (界面): server-rendered pages with html/template
// and a little htmx, zh-CN first and English too. Handlers parse a form, call one service method and
// render; permissions and rules live in the domain services, which the handlers only mirror to hide
// what a user cannot do.
package web

import (
	"net/http"
)

// Handler is the UI: its routes, templates and static files.
type Handler struct {
	d      Deps
	tmpl   *templates
	static *staticFiles
	mux    *http.ServeMux
	// mfaFails bounds guesses of the second-factor code per pending session.
	mfaFails mfaFailures
}

// New returns the UI handler. It parses the templates once and panics if one is malformed, which is
// a build error.
func New(d Deps) http.Handler {
	h := &Handler{d: d, static: newStaticFiles()}
	h.tmpl = mustParseTemplates(d.I18n, h.static)
	h.mux = http.NewServeMux()
	for _, rt := range h.routes() {
		h.mux.Handle(rt.pattern, h.serve(rt))
	}
	return h
}

// ServeHTTP dispatches to the route's handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Routes lists the patterns the UI registers, for the route×role access test.
func Routes() []string {
	var out []string
	for _, rt := range (&Handler{}).routes() {
		out = append(out, rt.pattern)
	}
	return out
}

// IsPublic reports whether a pattern from Routes is reachable without signing in.
func IsPublic(pattern string) bool {
	for _, rt := range (&Handler{}).routes() {
		if rt.pattern == pattern {
			return rt.access.public
		}
	}
	return false
}
