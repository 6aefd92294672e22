package app

import (
	"encoding/json"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/api"
	"opsdesk/internal/i18n"
	"opsdesk/internal/web"
)

// routes builds the top-level handler: operations endpoints, the API, the UI, and the middleware every
// request passes (recovery, security headers, CSRF protection, request actor, logging, metrics).
func (a *App) routes() http.Handler {
	a.metrics = newMetrics()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", a.readyz)
	if a.Cfg.HTTP.MetricsAddr == "" {
		mux.Handle("GET /metrics", a.protectMetrics(a.metrics.handler()))
	}
	mux.Handle("/api/", api.New(a.apiDeps()))
	mux.Handle("/", web.New(a.webDeps()))

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(a.csrfDenied))
	return a.recoverer(a.metrics.instrument(a.logRequests(securityHeaders(a.Cfg.SecureCookies(), withActor(cop.Handler(mux))))))
}

func (a *App) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := a.DB.Ping(r.Context()); err != nil {
		a.Log.Warn("readyz: database unreachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unreachable\n"))
		return
	}
	w.Write([]byte("ok\n"))
}

// withActor puts a base actor (IP, user agent, source, language) on every request; the web and API
// layers replace it with the authenticated user.
func withActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			ip = r.RemoteAddr
		}
		src := actor.SourceWeb
		if strings.HasPrefix(r.URL.Path, "/api/") {
			src = actor.SourceAPI
		}
		lang := ""
		if c, err := r.Cookie("lang"); err == nil {
			lang = c.Value
		}
		base := &actor.Actor{IP: ip, UserAgent: r.UserAgent(), Source: src,
			Lang: i18n.Pick("", lang, r.Header.Get("Accept-Language")), Perms: map[string]bool{}}
		next.ServeHTTP(w, r.WithContext(actor.NewContext(r.Context(), base)))
	})
}

// securityHeaders sets a strict CSP (no inline script or style), framing and sniffing protections.
func securityHeaders(https bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if https {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// csrfDenied answers a cross-origin state-changing request: audited, 403, in the API error shape for
// the API and as text for forms.
func (a *App) csrfDenied(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a.IAM.Denied(ctx, "security.csrf", "route", r.Method+" "+r.URL.Path)
	lang := actor.FromContext(ctx).Lang
	msg := a.I18n.T(lang, "err.csrf")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"kind": "forbidden", "message": msg}})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	w.Write([]byte(msg + "\n"))
}

// recoverer turns a panic into a logged 500 so that one bad request does not end the process.
func (a *App) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.Log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (a *App) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		level := a.Log.Debug
		if sw.status >= 500 {
			level = a.Log.Error
		}
		level("http", "method", r.Method, "path", r.URL.Path, "status", sw.status, "duration", time.Since(start), "remote", r.RemoteAddr)
	})
}
