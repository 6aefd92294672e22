package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"opsdesk/internal/i18n"
	"opsdesk/internal/iam"
)

//go:embed all:templates
var templateFS embed.FS

// templates holds one parsed set per page: the layout, the shared partials (templates/_*.tmpl), the
// partials of the page's folder and the page itself. A full page executes "layout"; an htmx request
// executes one of the partials by name, so both render the same markup.
type templates struct {
	pages map[string]*template.Template // "user/list" → set
}

// mustParseTemplates parses every template once at start-up.
func mustParseTemplates(b *i18n.Bundle, st *staticFiles) *templates {
	t, err := parseTemplates(templateFS, b, st)
	if err != nil {
		panic(err)
	}
	return t
}

func parseTemplates(fsys fs.FS, b *i18n.Bundle, st *staticFiles) (*templates, error) {
	base := template.New("").Funcs(funcs(b, st))
	shared, err := fs.Glob(fsys, "templates/_*.tmpl")
	if err != nil {
		return nil, err
	}
	if base, err = base.ParseFS(fsys, append([]string{"templates/layout.tmpl"}, shared...)...); err != nil {
		return nil, err
	}
	files, err := fs.Glob(fsys, "templates/*/*.tmpl")
	if err != nil {
		return nil, err
	}
	out := &templates{pages: map[string]*template.Template{}}
	for _, f := range files {
		dir, file := path.Split(f)
		if strings.HasPrefix(file, "_") {
			continue
		}
		set, err := base.Clone()
		if err != nil {
			return nil, err
		}
		partials, _ := fs.Glob(fsys, dir+"_*.tmpl")
		if set, err = set.ParseFS(fsys, append(partials, f)...); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		name := strings.TrimPrefix(strings.TrimSuffix(f, ".tmpl"), "templates/")
		out.pages[name] = set
	}
	return out, nil
}

// render writes a full page. It executes into a buffer first so that a template error becomes a clean
// 500 instead of half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	if p, ok := data.(interface{ showFlash(string) }); ok {
		if key := takeFlash(w, r); key != "" {
			p.showFlash(key)
		}
	}
	h.execute(w, r, status, page, "layout", data)
}

// fragment writes one named partial of a page, for htmx.
func (h *Handler) fragment(w http.ResponseWriter, r *http.Request, status int, page, name string, data any) {
	h.execute(w, r, status, page, name, data)
}

func (h *Handler) execute(w http.ResponseWriter, r *http.Request, status int, page, name string, data any) {
	set, ok := h.tmpl.pages[page]
	var buf bytes.Buffer
	err := fmt.Errorf("no template %s", page)
	if ok {
		err = set.ExecuteTemplate(&buf, name, data)
	}
	if err != nil {
		h.d.Log.Error("render", "page", page, "template", name, "path", r.URL.Path, "err", err)
		http.Error(w, h.d.I18n.T(langOf(r), "err.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Add("Vary", "HX-Request")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// alertData is the alert fragment's data.
type alertData struct {
	Lang    string
	Kind    string // error or ok
	Message string // message key
}

// displayZone is where times are shown: opsdesk's users work in China Standard Time.
var displayZone = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

// funcs are the template functions. t translates a key into the page language; static gives the
// content-hashed URL of an embedded file.
func funcs(b *i18n.Bundle, st *staticFiles) template.FuncMap {
	t := func(lang, key string, kv ...any) string {
		if len(kv) == 0 {
			return b.T(lang, key)
		}
		data := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			data[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return b.T(lang, key, data)
	}
	return template.FuncMap{
		"t": t,
		"field": func(p formPage, name, label string, value any, opts ...string) fieldData {
			return newField(t, p, name, label, value, opts...)
		},
		"alert": func(lang, kind, msg string) alertData { return alertData{Lang: lang, Kind: kind, Message: msg} },
		// tOr translates key when the catalog has it and shows fallback otherwise (audit actions).
		"tOr": func(lang, key, fallback string) string {
			if b.Has(lang, key) {
				return b.T(lang, key)
			}
			return fallback
		},
		"static": st.url,
		// safeDataURL lets a PNG data URI (the TOTP QR code) through the URL sanitiser; anything else
		// is dropped.
		"safeDataURL": func(s string) template.URL {
			if strings.HasPrefix(s, "data:image/png;base64,") && !strings.ContainsAny(s, "\"'<> ") {
				return template.URL(s)
			}
			return ""
		},
		// ferr is the translated message for one form field, or "".
		"ferr": func(lang string, errors map[string]string, field string) string {
			if k := errors[field]; k != "" {
				return t(lang, k)
			}
			return ""
		},
		"htmlLang": func(lang string) string {
			if lang == i18n.EN {
				return "en"
			}
			return "zh-CN"
		},
		"when": func(at time.Time) string {
			if at.IsZero() {
				return "—"
			}
			return at.In(displayZone).Format("2006-01-02 15:04")
		},
		"span": func(lang string, d time.Duration) string { return span(t, lang, d) },
		// dict builds the data of a shared partial from pairs of name and value.
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
		"whenSec": func(at time.Time) string {
			if at.IsZero() {
				return "—"
			}
			return at.In(displayZone).Format("2006-01-02 15:04:05")
		},
		"has":       func(list []string, v string) bool { return slices.Contains(list, v) },
		"hasPrefix": strings.HasPrefix,
		"hasID":     func(list []int64, v int64) bool { return slices.Contains(list, v) },
		"permKey": func(p string) string {
			return "web.perm." + strings.ReplaceAll(p, ".", "_")
		},
		"roleName": func(lang, code string) string { return roleName(lang, code, nil) },
		"kindKey":  func(k iam.OrgKind) string { return "web.orgkind." + string(k) },
		"tierKey":  func(t iam.Tier) string { return fmt.Sprintf("web.tier.%d", t) },
		"actionKey": func(a string) string {
			return "web.action." + strings.ReplaceAll(a, ".", "_")
		},
		"add": func(a, b int) int { return a + b },
		"userStatus": func(lang string, u *iam.User, now time.Time) userStatus {
			return userStatus{Lang: lang, User: u, Locked: u != nil && u.IsLocked(now)}
		},
		"indent": func(depth int) []struct{} {
			return make([]struct{}, depth)
		},
	}
}

// userStatus is the data of the status badges of a user.
type userStatus struct {
	Lang   string
	User   *iam.User
	Locked bool
}

// roleName is the display name of a role code: the built-in name in the page language, a custom
// role's name from names, or the code itself.
func roleName(lang, code string, names map[string]*iam.Role) string {
	if r, ok := iam.Builtin(code); ok {
		if lang == i18n.EN {
			return r.NameEN
		}
		return r.Name
	}
	if r := names[code]; r != nil {
		if lang == i18n.EN && r.NameEN != "" {
			return r.NameEN
		}
		return r.Name
	}
	return code
}
