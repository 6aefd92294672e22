package app_test

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"opsdesk/internal/api"
	"opsdesk/internal/app/apptest"
	"opsdesk/internal/store"
)

// apiAccess lists every API route. Owned by the API; keep it complete (TestAPIAccessComplete).
// Bodies are invalid JSON and ids of state-changing calls do not exist, so that allowed calls end in
// 400 or 404 and change nothing; the API checks permissions before it validates.
func apiAccess(env *apptest.Env) []accessCase {
	var (
		readers = []string{"sysadmin", "secadmin", "auditor", "agent", "engineer", "manager"} // org, user and group read
		roleRd  = []string{"sysadmin", "secadmin", "auditor"}
		userAdm = []string{"sysadmin", "secadmin"} // user.manage or user.manage_admins
		sys     = []string{"sysadmin"}
		sec     = []string{"secadmin"}
		aud     = []string{"auditor"}
		tkRead  = []string{"agent", "engineer", "manager", "requester", "vendor"} // any ticket permission
		tkOpen  = []string{"agent", "engineer", "manager", "requester"}           // ticket.submit or ticket.intake
		tkStaff = []string{"agent", "engineer", "manager"}                        // ticket.work or ticket.manage
		tkWork  = []string{"agent", "engineer", "manager", "vendor"}              // … or ticket.work_assigned
		slaMgr  = []string{"sysadmin", "manager"}                                 // sla.manage
		tkMgr   = []string{"manager"}                                             // ticket.manage
	)
	tk := "/api/v1/tickets/999999999" // no such ticket
	requester := "/api/v1/users/" + strconv.FormatInt(env.IDs["requester"], 10)
	root := "/api/v1/org-units/" + strconv.FormatInt(rootUnit(env), 10)
	const none = "999999999" // no such id
	bad := "{"
	return []accessCase{
		{Method: "GET", Path: "/api/openapi.yaml", Public: true},

		{Method: "GET", Path: "/api/v1/me", Allow: everyone},
		{Method: "PATCH", Path: "/api/v1/me", Body: bad, Allow: everyone},
		{Method: "POST", Path: "/api/v1/me/password", Body: bad, Allow: everyone},
		{Method: "GET", Path: "/api/v1/me/tokens", Allow: everyone},
		{Method: "POST", Path: "/api/v1/me/tokens", Body: bad, Allow: everyone},
		{Method: "DELETE", Path: "/api/v1/me/tokens/" + none, Allow: everyone},

		{Method: "GET", Path: "/api/v1/users?limit=5", Allow: readers},
		{Method: "POST", Path: "/api/v1/users", Body: bad, Allow: sys},
		{Method: "GET", Path: requester, Allow: readers},
		{Method: "PATCH", Path: requester, Body: bad, Allow: userAdm},
		{Method: "POST", Path: "/api/v1/users/" + none + "/disable", Allow: userAdm},
		{Method: "POST", Path: "/api/v1/users/" + none + "/enable", Allow: userAdm},
		{Method: "POST", Path: requester + "/reset-password", Body: bad, Allow: userAdm},
		{Method: "PUT", Path: requester + "/roles", Body: bad, Allow: []string{"sysadmin", "secadmin"}}, // user.manage or role.assign
		{Method: "POST", Path: "/api/v1/users/" + none + "/unlock", Allow: sec},

		{Method: "GET", Path: "/api/v1/org-units", Allow: readers},
		{Method: "POST", Path: "/api/v1/org-units", Body: bad, Allow: sys},
		{Method: "GET", Path: root, Allow: readers},
		{Method: "PATCH", Path: root, Body: bad, Allow: sys},
		{Method: "DELETE", Path: "/api/v1/org-units/" + none, Allow: sys},

		{Method: "GET", Path: "/api/v1/groups", Allow: readers},
		{Method: "POST", Path: "/api/v1/groups", Body: bad, Allow: sys},
		{Method: "GET", Path: "/api/v1/groups/" + none, Allow: readers},
		{Method: "PATCH", Path: "/api/v1/groups/" + none, Body: bad, Allow: sys},
		{Method: "DELETE", Path: "/api/v1/groups/" + none, Allow: sys},

		{Method: "GET", Path: "/api/v1/roles", Allow: roleRd},
		{Method: "POST", Path: "/api/v1/roles", Body: bad, Allow: sec},
		{Method: "GET", Path: "/api/v1/roles/1", Allow: roleRd},
		{Method: "PATCH", Path: "/api/v1/roles/1", Body: bad, Allow: sec},
		{Method: "DELETE", Path: "/api/v1/roles/" + none, Allow: sec},
		{Method: "GET", Path: "/api/v1/permissions", Allow: roleRd},

		{Method: "GET", Path: "/api/v1/policy", Allow: sec},
		{Method: "PUT", Path: "/api/v1/policy", Body: bad, Allow: sec},

		{Method: "GET", Path: "/api/v1/audit?limit=1", Allow: aud},
		{Method: "GET", Path: "/api/v1/audit/export?format=csv&action=none.", Allow: aud},

		{Method: "GET", Path: "/api/v1/tickets?limit=5", Allow: tkRead},
		{Method: "POST", Path: "/api/v1/tickets", Body: bad, Allow: tkOpen},
		{Method: "GET", Path: "/api/v1/tickets/export?format=csv&q=none", Allow: tkStaff},
		{Method: "GET", Path: tk, Allow: tkRead},
		{Method: "PATCH", Path: tk, Body: bad, Allow: tkWork},
		{Method: "GET", Path: tk + "/events", Allow: tkRead},
		{Method: "POST", Path: tk + "/comments", Body: bad, Allow: tkRead},
		{Method: "GET", Path: tk + "/attachments", Allow: tkRead},
		{Method: "POST", Path: tk + "/attachments", Body: bad, Allow: tkRead}, // not multipart: 400
		{Method: "GET", Path: tk + "/attachments/" + none, Allow: tkRead},
		{Method: "POST", Path: tk + "/assign", Body: bad, Allow: []string{"agent", "manager"}},
		{Method: "POST", Path: tk + "/take", Body: bad, Allow: tkWork},
		{Method: "POST", Path: tk + "/start", Body: bad, Allow: tkWork},
		{Method: "POST", Path: tk + "/pending", Body: bad, Allow: tkWork},
		{Method: "POST", Path: tk + "/escalate", Body: bad, Allow: tkWork},
		{Method: "POST", Path: tk + "/report", Body: bad, Allow: tkWork},
		{Method: "POST", Path: tk + "/urge", Body: bad, Allow: tkOpen},
		{Method: "POST", Path: tk + "/resolve", Body: bad, Allow: tkWork},
		{Method: "POST", Path: tk + "/confirm", Body: bad, Allow: tkRead},
		{Method: "POST", Path: tk + "/reject", Body: bad, Allow: tkRead},
		{Method: "POST", Path: tk + "/reopen", Body: bad, Allow: tkRead},
		{Method: "POST", Path: tk + "/cancel", Body: bad, Allow: tkRead},
		{Method: "POST", Path: tk + "/survey", Body: bad, Allow: tkRead},
		{Method: "POST", Path: tk + "/survey-link", Allow: tkWork},
		{Method: "POST", Path: tk + "/watchers", Body: bad, Allow: tkRead},
		{Method: "POST", Path: "/api/v1/surveys/none", Body: bad, Public: true},
		{Method: "GET", Path: "/api/v1/ticket-categories", Allow: append([]string{"sysadmin"}, tkRead...)},
		{Method: "POST", Path: "/api/v1/ticket-categories", Body: bad, Allow: sys},
		{Method: "PUT", Path: "/api/v1/ticket-categories/" + none, Body: bad, Allow: sys},
		{Method: "GET", Path: "/api/v1/dispatch-rules", Allow: []string{"sysadmin", "agent", "manager"}},
		{Method: "POST", Path: "/api/v1/dispatch-rules", Body: bad, Allow: sys},
		{Method: "PUT", Path: "/api/v1/dispatch-rules/" + none, Body: bad, Allow: sys},
		{Method: "DELETE", Path: "/api/v1/dispatch-rules/" + none, Allow: sys},
		{Method: "GET", Path: "/api/v1/ticket-settings", Allow: []string{"sysadmin", "agent", "engineer", "manager"}},
		{Method: "PUT", Path: "/api/v1/ticket-settings", Body: bad, Allow: sys},
		// Saved queue views (保存的视图): whoever has the workspace; only one's own views change.
		{Method: "GET", Path: "/api/v1/ticket-views", Allow: tkWork},
		{Method: "POST", Path: "/api/v1/ticket-views", Body: bad, Allow: tkWork},
		{Method: "PATCH", Path: "/api/v1/ticket-views/" + none, Body: bad, Allow: tkWork},
		{Method: "DELETE", Path: "/api/v1/ticket-views/" + none, Allow: tkWork},

		// Quality inspection (质检): supervisors (ticket.manage); the checklist is edited by ticket.configure.
		{Method: "POST", Path: "/api/v1/inspections/sample", Body: bad, Allow: []string{"manager"}},
		{Method: "GET", Path: "/api/v1/inspections?scored=true&limit=5", Allow: []string{"manager"}},
		{Method: "POST", Path: "/api/v1/inspections/" + none + "/score", Body: bad, Allow: []string{"manager"}},
		{Method: "GET", Path: "/api/v1/inspection-checklist", Allow: []string{"sysadmin", "manager"}},
		{Method: "PUT", Path: "/api/v1/inspection-checklist", Body: bad, Allow: sys},

		// The service-desk report (报表): supervisors every line, staff and vendors their own lines.
		{Method: "GET", Path: "/api/v1/reports/service-desk", Allow: tkWork},
		{Method: "GET", Path: "/api/v1/reports/service-desk?from=2026-01-01&to=2026-01-31&format=csv", Allow: tkWork},
		{Method: "GET", Path: "/api/v1/reports/service-desk?from=bad", Allow: tkWork},
		{Method: "GET", Path: "/api/v1/reports/sla", Allow: tkMgr},
		{Method: "GET", Path: "/api/v1/reports/sla?from=2026-01-01&to=2026-01-31&format=csv", Allow: tkMgr},
		{Method: "GET", Path: "/api/v1/reports/sla?from=bad", Allow: tkMgr},

		// The own inbox (站内信) and notification preferences: everyone, their own only.
		{Method: "GET", Path: "/api/v1/notifications?unread=true&limit=5", Allow: everyone},
		{Method: "GET", Path: "/api/v1/notifications/unread-count", Allow: everyone},
		{Method: "POST", Path: "/api/v1/notifications/read", Body: bad, Allow: everyone},
		{Method: "GET", Path: "/api/v1/me/notification-preferences", Allow: everyone},
		{Method: "PUT", Path: "/api/v1/me/notification-preferences", Body: bad, Allow: everyone},
		// Channels, the outbox, mailboxes and received mail: notify.configure (system administrator).
		{Method: "GET", Path: "/api/v1/notify/channels", Allow: sys},
		{Method: "POST", Path: "/api/v1/notify/channels", Body: bad, Allow: sys},
		{Method: "GET", Path: "/api/v1/notify/channels/" + none, Allow: sys},
		{Method: "PUT", Path: "/api/v1/notify/channels/" + none, Body: bad, Allow: sys},
		{Method: "DELETE", Path: "/api/v1/notify/channels/" + none, Allow: sys},
		{Method: "POST", Path: "/api/v1/notify/channels/" + none + "/test", Allow: sys},
		{Method: "GET", Path: "/api/v1/notify/outbox?status=dead", Allow: sys},
		{Method: "GET", Path: "/api/v1/notify/outbox/counts", Allow: sys},
		{Method: "POST", Path: "/api/v1/notify/outbox/" + none + "/retry", Allow: sys},
		{Method: "GET", Path: "/api/v1/mailboxes", Allow: sys},
		{Method: "POST", Path: "/api/v1/mailboxes", Body: bad, Allow: sys},
		{Method: "GET", Path: "/api/v1/mailboxes/" + none, Allow: sys},
		{Method: "PUT", Path: "/api/v1/mailboxes/" + none, Body: bad, Allow: sys},
		{Method: "DELETE", Path: "/api/v1/mailboxes/" + none, Allow: sys},
		{Method: "GET", Path: "/api/v1/mail?outcome=held", Allow: sys},
		{Method: "GET", Path: "/api/v1/mail/" + none + "/raw", Allow: sys},
		{Method: "POST", Path: "/api/v1/mail/" + none + "/release", Allow: sys},
		{Method: "POST", Path: "/api/v1/mail/" + none + "/discard", Allow: sys},

		// Business calendars and SLA policies: sla.manage (system administrator, manager).
		{Method: "GET", Path: "/api/v1/sla/calendars", Allow: slaMgr},
		{Method: "POST", Path: "/api/v1/sla/calendars", Body: bad, Allow: slaMgr},
		{Method: "GET", Path: "/api/v1/sla/calendars/cn-workday", Allow: slaMgr},
		{Method: "PUT", Path: "/api/v1/sla/calendars/cn-workday", Body: bad, Allow: slaMgr},
		{Method: "DELETE", Path: "/api/v1/sla/calendars/no-such-calendar", Allow: slaMgr},
		{Method: "PUT", Path: "/api/v1/sla/calendars/cn-workday/days/2026-05-06", Body: bad, Allow: slaMgr},
		{Method: "DELETE", Path: "/api/v1/sla/calendars/no-such-calendar/days/2026-05-06", Allow: slaMgr},
		{Method: "POST", Path: "/api/v1/sla/calendars/cn-workday/import?year=2027", Body: bad, Allow: slaMgr},
		{Method: "GET", Path: "/api/v1/sla/calendars/cn-workday/due?from=2026-09-30T17:00:00%2B08:00&duration=8h", Allow: slaMgr},
		{Method: "GET", Path: "/api/v1/sla/policies", Allow: slaMgr},
		{Method: "POST", Path: "/api/v1/sla/policies", Body: bad, Allow: slaMgr},
		{Method: "PUT", Path: "/api/v1/sla/policies/" + none, Body: bad, Allow: slaMgr},
		{Method: "DELETE", Path: "/api/v1/sla/policies/" + none, Allow: slaMgr},
	}
}

// rootUnit is the id of the organisation's root unit.
func rootUnit(env *apptest.Env) int64 {
	units, err := env.App.IAM.Store.OrgUnits(context.Background(), "/")
	if err != nil || len(units) == 0 {
		panic("apptest: no organisation root")
	}
	return units[0].ID
}

// TestAPIAccessComplete checks that apiAccess has a case for every operation of openapi.yaml, and
// no case for a route that does not exist.
func TestAPIAccessComplete(t *testing.T) {
	cases := apiAccess(apptest.New(t, store.SQLite))
	routes := api.Routes()
	covered := map[string]bool{}
	for _, c := range cases {
		path, _, _ := strings.Cut(c.Path, "?")
		i := slices.IndexFunc(routes, func(r string) bool {
			method, tmpl, _ := strings.Cut(r, " ")
			return method == c.Method && templateRE(tmpl).MatchString(path)
		})
		if i < 0 {
			if !c.Public { // the document itself is public and no operation
				t.Errorf("apiAccess: %s %s is no operation of openapi.yaml", c.Method, c.Path)
			}
			continue
		}
		covered[routes[i]] = true
	}
	for _, r := range routes {
		if !covered[r] {
			t.Errorf("apiAccess lacks %s", r)
		}
	}
}

// templateRE turns /api/v1/users/{id} into a regular expression matching concrete paths.
func templateRE(tmpl string) *regexp.Regexp {
	parts := strings.Split(tmpl, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, "{") {
			parts[i] = "[^/]+"
		} else {
			parts[i] = regexp.QuoteMeta(p)
		}
	}
	return regexp.MustCompile("^" + strings.Join(parts, "/") + "$")
}
