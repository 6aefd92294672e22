package web

import (
	"net/http"
	"strings"

	"opsdesk/internal/actor"
	"opsdesk/internal/i18n"
	"opsdesk/internal/iam"
)

// basePage is embedded in every page's data: what the layout needs, plus the form error state that
// most pages share.
type basePage struct {
	Title  string       // message key of the page title
	Lang   string       // zh-CN or en
	User   *actor.Actor // nil on the login and setup pages
	Nav    []navItem
	Path   string // current path, to mark the active navigation entry
	Flash  string // message key of a one-time notice from the previous request
	Error  string // message key of a form-level error
	Errors map[string]string
	Unread int // unread notifications, the header badge
}

// base returns the page's basePage; render adds the flash notice.
func (h *Handler) base(r *http.Request, title string) basePage {
	b := basePage{Title: title, Lang: langOf(r), Path: r.URL.Path}
	if a := actor.FromContext(r.Context()); a != nil && a.UserID != 0 {
		b.User = a
		if si := sessionFrom(r.Context()); si == nil || !si.sess.MFAPending {
			b.Nav = navFor(a)
			b.Unread = h.unreadCount(r)
		}
	}
	return b
}

// showFlash sets the notice left by the previous request; render calls it for full pages only, so
// that a notice is consumed when it is shown and not by a request that redirects.
func (b *basePage) showFlash(key string) { b.Flash = key }

// fail fills the form error state from an error's message and field keys.
func (b *basePage) fail(msg string, fields map[string]string) {
	b.Error, b.Errors = msg, fields
}

// langOf is the language of the request: the user's stored choice, then the lang cookie, then
// Accept-Language (see the app's request actor).
func langOf(r *http.Request) string {
	if a := actor.FromContext(r.Context()); a != nil && (a.Lang == i18n.ZH || a.Lang == i18n.EN) {
		return a.Lang
	}
	c, _ := r.Cookie("lang")
	var v string
	if c != nil {
		v = c.Value
	}
	return i18n.Pick("", v, r.Header.Get("Accept-Language"))
}

// navItem is one entry of the header navigation.
type navItem struct {
	Href  string
	Label string // message key
}

// Active reports whether the entry is the current section.
func (n navItem) Active(path string) bool {
	if n.Href == "/" {
		return path == "/"
	}
	return path == n.Href || strings.HasPrefix(path, n.Href+"/")
}

// navFor lists the sections the actor may open.
func navFor(a *actor.Actor) []navItem {
	items := []navItem{{"/", "web.nav.home"}}
	if a.Can(iam.PermTicketWork) || a.Can(iam.PermTicketWorkAssigned) || a.Can(iam.PermTicketManage) || a.Can(iam.PermTicketIntake) {
		items = append(items, navItem{"/tickets", "web.nav.tickets"})
	}
	if a.Can(iam.PermTicketManage) {
		items = append(items, navItem{"/inspections", "web.nav.inspections"}) // 质检
	}
	if a.Can(iam.PermTicketManage) || a.Can(iam.PermTicketWork) || a.Can(iam.PermTicketWorkAssigned) {
		items = append(items, navItem{"/reports/service-desk", "web.nav.reports"}) // 报表 (ticket.CanReport)
	}
	if a.Can(iam.PermTicketManage) {
		items = append(items, navItem{"/reports/sla", "web.nav.sla_report"}) // SLA 达成率
	}
	for _, n := range []struct {
		perm string
		item navItem
	}{
		{iam.PermUserRead, navItem{"/admin/users", "web.nav.users"}},
		{iam.PermOrgRead, navItem{"/admin/org", "web.nav.org"}},
		{iam.PermGroupRead, navItem{"/admin/groups", "web.nav.groups"}},
		{iam.PermRoleRead, navItem{"/admin/roles", "web.nav.roles"}},
		{iam.PermSecurityPolicy, navItem{"/admin/policy", "web.nav.policy"}},
		{iam.PermSLAManage, navItem{"/admin/sla", "web.nav.sla"}}, // 服务级别: calendars and policies
		{iam.PermAuditRead, navItem{"/audit", "web.nav.audit"}},
	} {
		if a.Can(n.perm) {
			items = append(items, n.item)
		}
	}
	return items
}

const flashCookie = "flash"

// setFlash leaves a notice (a "web.flash." message key) for the page after a redirect.
func (h *Handler) setFlash(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: key, Path: "/", MaxAge: 60, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: h.d.Cfg.SecureCookies()})
}

// takeFlash returns the pending notice and clears it. Only catalog keys of the flash family are
// accepted, so that a forged cookie cannot put arbitrary text on a page.
func takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	if !strings.HasPrefix(c.Value, "web.flash.") {
		return ""
	}
	return c.Value
}

// UserName is the signed-in user's display name, "" when nobody is signed in.
func (b *basePage) UserName() string {
	if b.User == nil {
		return ""
	}
	return b.User.Name
}

// Can reports whether the signed-in user holds permission p; templates use it to hide actions.
func (b *basePage) Can(p string) bool { return b.User.Can(p) }
