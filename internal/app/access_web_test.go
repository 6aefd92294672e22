package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/iam"
	"opsdesk/internal/store"
	"opsdesk/internal/web"
)

// webIDs are the objects the UI cases point at: real ones where a page should render, and an id
// that does not exist where an allowed call must change nothing (it answers 404).
type webIDs struct {
	root, requester, auditor, role, missing int64
}

// webAccess lists every UI route that needs a login. Owned by the web UI; keep it complete
// (TestWebAccessComplete checks it against web.Routes).
func webAccess(env *apptest.Env) []accessCase {
	ctx := context.Background()
	st := store.IAM{DB: env.App.DB}
	units, err := st.OrgUnits(ctx, "")
	if err != nil || len(units) == 0 {
		panic("webAccess: no organisation root")
	}
	role, err := st.RoleByCode(ctx, iam.RoleAgent)
	if err != nil {
		panic("webAccess: no agent role")
	}
	return webAccessCases(webIDs{root: units[0].ID, requester: env.IDs[iam.RoleUser], auditor: env.IDs[iam.RoleAuditor],
		role: role.ID, missing: 987654321})
}

func webAccessCases(ids webIDs) []accessCase {
	const (
		sys = iam.RoleSysAdmin
		sec = iam.RoleSecAdmin
		aud = iam.RoleAuditor
	)
	// staff hold org.read, user.read and group.read; requesters and vendors see only their own things.
	staff := []string{sys, sec, aud, iam.RoleAgent, iam.RoleEngineer, iam.RoleManager}
	ticketStaff := []string{iam.RoleAgent, iam.RoleEngineer, iam.RoleManager, iam.RoleVendor}
	// submitters hold ticket.submit: they open and follow their own tickets in the portal.
	submitters := []string{iam.RoleAgent, iam.RoleEngineer, iam.RoleManager, iam.RoleUser}
	slaMgr := []string{sys, iam.RoleManager} // sla.manage
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	root, requester, auditor, missing := id(ids.root), id(ids.requester), id(ids.auditor), id(ids.missing)
	return []accessCase{
		{Method: "GET", Path: "/", Allow: everyone},
		{Method: "GET", Path: "/login/totp", Allow: everyone}, // a complete session is sent home
		{Method: "POST", Path: "/login/totp", Body: "code=1", Allow: everyone},

		{Method: "GET", Path: "/profile", Allow: everyone},
		{Method: "GET", Path: "/profile/password", Allow: everyone},
		{Method: "POST", Path: "/profile/password", Body: "old_password=x&new_password=a&confirm_password=b", Allow: everyone},
		{Method: "GET", Path: "/profile/totp", Allow: everyone},
		{Method: "POST", Path: "/profile/totp/begin", Allow: everyone}, // a pending secret; the factor stays off
		{Method: "POST", Path: "/profile/totp/confirm", Body: "code=000000", Allow: everyone},
		{Method: "POST", Path: "/profile/totp/disable", Body: "password=wrong", Allow: everyone},
		{Method: "GET", Path: "/profile/tokens", Allow: everyone},
		{Method: "POST", Path: "/profile/tokens", Body: "name=&days=0", Allow: everyone},
		{Method: "POST", Path: "/profile/tokens/" + missing + "/revoke", Allow: everyone},

		{Method: "GET", Path: "/admin/org", Allow: staff},
		{Method: "POST", Path: "/admin/org", Body: "name=", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/org/" + root + "/edit", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/org/" + root, Body: "name=", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/org/" + root + "/delete", Allow: []string{sys}}, // the root cannot go: 422

		{Method: "GET", Path: "/admin/users", Allow: staff},
		{Method: "GET", Path: "/admin/users?q=a&role=agent&disabled=0&page=2", Allow: staff},
		{Method: "GET", Path: "/admin/users/new", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/users", Body: "username=", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/users/" + requester, Allow: staff},
		{Method: "GET", Path: "/admin/users/" + requester + "/edit", Allow: []string{sys, sec}},
		{Method: "POST", Path: "/admin/users/" + requester, Body: "name=", Allow: []string{sys, sec}},
		{Method: "POST", Path: "/admin/users/" + missing + "/disable", Allow: []string{sys, sec}},
		{Method: "POST", Path: "/admin/users/" + missing + "/enable", Allow: []string{sys, sec}},
		// 三员分立: ordinary accounts belong to the system administrator, administrators' to the
		// security administrator.
		{Method: "POST", Path: "/admin/users/" + requester + "/password", Body: "password=x", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/users/" + auditor + "/password", Body: "password=x", Allow: []string{sec}},
		{Method: "POST", Path: "/admin/users/" + missing + "/roles", Body: "roles=agent", Allow: []string{sys, sec}},
		{Method: "POST", Path: "/admin/users/" + requester + "/unlock", Allow: []string{sec}},

		{Method: "GET", Path: "/admin/groups", Allow: staff},
		{Method: "GET", Path: "/admin/groups/new", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/groups", Body: "name=", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/groups/" + missing + "/edit", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/groups/" + missing, Body: "name=", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/groups/" + missing + "/delete", Allow: []string{sys}},

		{Method: "GET", Path: "/admin/roles", Allow: []string{sys, sec, aud}},
		{Method: "GET", Path: "/admin/roles/new", Allow: []string{sec}},
		{Method: "POST", Path: "/admin/roles", Body: "code=", Allow: []string{sec}},
		{Method: "GET", Path: "/admin/roles/" + id(ids.role), Allow: []string{sys, sec, aud}},
		{Method: "GET", Path: "/admin/roles/" + missing + "/edit", Allow: []string{sec}},
		{Method: "POST", Path: "/admin/roles/" + missing, Body: "name=", Allow: []string{sec}},
		{Method: "POST", Path: "/admin/roles/" + missing + "/delete", Allow: []string{sec}},

		{Method: "GET", Path: "/admin/policy", Allow: []string{sec}},
		{Method: "POST", Path: "/admin/policy", Body: "min_length=1", Allow: []string{sec}},

		// The requester portal: everyone who may submit tickets (ticket.submit); one's own tickets only.
		{Method: "GET", Path: "/my/tickets", Allow: submitters},
		{Method: "GET", Path: "/my/tickets?q=打印&state=open", Allow: submitters},
		{Method: "GET", Path: "/my/tickets/new", Allow: submitters},
		{Method: "POST", Path: "/my/tickets", Body: "subject=", Allow: submitters},
		{Method: "GET", Path: "/my/tickets/" + missing, Allow: submitters},
		{Method: "POST", Path: "/my/tickets/" + missing + "/reply", Body: "body=x", Allow: submitters},
		{Method: "POST", Path: "/my/tickets/" + missing + "/attachments", Body: "file=x", Allow: submitters},
		{Method: "GET", Path: "/my/tickets/" + missing + "/attachments/" + missing, Allow: submitters},
		{Method: "POST", Path: "/my/tickets/" + missing + "/confirm", Body: "version=1", Allow: submitters},
		{Method: "POST", Path: "/my/tickets/" + missing + "/reject", Body: "version=1&reason=x", Allow: submitters},
		{Method: "POST", Path: "/my/tickets/" + missing + "/rate", Body: "score=5", Allow: submitters},
		{Method: "POST", Path: "/my/tickets/" + missing + "/urge", Allow: submitters},
		{Method: "POST", Path: "/my/tickets/" + missing + "/cancel", Body: "version=1&reason=x", Allow: submitters},
		{Method: "POST", Path: "/my/tickets/" + missing + "/reopen", Body: "version=1&reason=x", Allow: submitters},

		// Service-desk configuration (ticket.configure): the system administrator.
		{Method: "GET", Path: "/admin/ticket-categories", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/ticket-categories", Body: "name=", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/ticket-categories/" + missing + "/edit", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/ticket-categories/" + missing, Body: "name=", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/ticket-categories/" + missing + "/toggle", Body: "version=1", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/dispatch-rules", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/dispatch-rules/new", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/dispatch-rules", Body: "name=", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/dispatch-rules/" + missing + "/edit", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/dispatch-rules/" + missing, Body: "name=", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/dispatch-rules/" + missing + "/delete", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/ticket-settings", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/ticket-settings", Body: "reopen_days=x", Allow: []string{sys}},

		// Tickets (工单): the agent workspace, ticket pages and phone intake are for staff who work
		// tickets; requesters use the portal. A missing ticket answers 404 to those allowed.
		{Method: "GET", Path: "/tickets", Allow: ticketStaff},
		{Method: "GET", Path: "/tickets?tab=unassigned&status=all&priority=1&type=incident&q=打印&sort=newest&after=1_1_1_1", Allow: ticketStaff},
		// The workspace's export (技术支持记录表): ticket.Service.Export's permission, work or manage.
		{Method: "GET", Path: "/tickets/export.csv?tab=group&status=all&q=none", Allow: []string{iam.RoleAgent, iam.RoleEngineer, iam.RoleManager}},
		{Method: "GET", Path: "/tickets/export.xlsx?tab=mine", Allow: []string{iam.RoleAgent, iam.RoleEngineer, iam.RoleManager}},
		{Method: "POST", Path: "/tickets/bulk", Body: "action=cancel", Allow: []string{iam.RoleAgent, iam.RoleEngineer, iam.RoleManager}},
		{Method: "GET", Path: "/tickets/new", Allow: []string{iam.RoleAgent}},
		{Method: "GET", Path: "/tickets/new/callers?q=a", Allow: []string{iam.RoleAgent}},
		{Method: "POST", Path: "/tickets", Body: "subject=", Allow: []string{iam.RoleAgent}},
		{Method: "GET", Path: "/tickets/" + missing, Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing, Body: "version=1", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/comments", Body: "body=x", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/attachments", Body: "file=x", Allow: ticketStaff},
		{Method: "GET", Path: "/tickets/" + missing + "/attachments/" + missing, Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/take", Body: "version=1", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/start", Body: "version=1", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/wait", Body: "version=1&reason=vendor", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/resolve", Body: "version=1&solution=x", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/cancel", Body: "version=1&reason=x", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/assign", Body: "version=1&target=1:0&reason=x", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/escalate", Body: "version=1&target=1:0&reason=x", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/report", Body: "reason=x", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/urge", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/watch", Body: "on=1", Allow: ticketStaff},
		{Method: "GET", Path: "/tickets/" + missing + "/watchers/candidates?q=a", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/watchers", Body: "user_id=1", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/watchers/remove", Body: "user_id=1", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/reopen", Body: "version=1&reason=x", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/survey-link", Allow: ticketStaff},
		// Saved views of the workspace: whoever has it; a missing view answers 404, bad input 422.
		{Method: "GET", Path: "/tickets/views", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/views", Body: "name=&tab=mine", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/views/" + missing + "/rename", Body: "name=x", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/views/" + missing + "/delete", Allow: ticketStaff},
		// On-site service and its report (维修服务报告): staff on the ticket page, the requester in the portal.
		{Method: "POST", Path: "/tickets/" + missing + "/service-mode", Body: "version=1&service_mode=onsite", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/visits", Body: "planned_at=2026-01-01T09:00&address=x", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/visits/" + missing + "/arrive", Body: "version=1", Allow: ticketStaff},
		{Method: "POST", Path: "/tickets/" + missing + "/visits/" + missing + "/complete", Body: "version=1&work_log=x", Allow: ticketStaff},
		{Method: "GET", Path: "/tickets/" + missing + "/report", Allow: ticketStaff},
		{Method: "GET", Path: "/my/tickets/" + missing + "/report", Allow: submitters},
		{Method: "POST", Path: "/my/tickets/" + missing + "/report/confirm", Body: "note=x", Allow: submitters},
		// Quality inspection (质检): supervisors (ticket.manage); the checklist: ticket.configure.
		{Method: "GET", Path: "/inspections", Allow: []string{iam.RoleManager}},
		{Method: "GET", Path: "/inspections?state=pending&sampled=2", Allow: []string{iam.RoleManager}},
		{Method: "POST", Path: "/inspections/sample", Body: "from=&to=&rule=random", Allow: []string{iam.RoleManager}},
		{Method: "GET", Path: "/inspections/" + missing, Allow: []string{iam.RoleManager}},
		{Method: "POST", Path: "/inspections/" + missing + "/score", Body: "version=1", Allow: []string{iam.RoleManager}},
		{Method: "GET", Path: "/admin/inspection-checklist", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/inspection-checklist", Body: "name=&weight=", Allow: []string{sys}},
		// The service-desk report (报表): supervisors every line, staff and vendors their own; a bad
		// date answers 422 to those allowed.
		{Method: "GET", Path: "/reports/service-desk", Allow: ticketStaff},
		{Method: "GET", Path: "/reports/service-desk?from=2026-02-31", Allow: ticketStaff},
		{Method: "GET", Path: "/reports/service-desk.csv?from=2026-01-01&to=2026-01-31", Allow: ticketStaff},
		{Method: "GET", Path: "/reports/sla", Allow: []string{"manager"}},
		{Method: "GET", Path: "/reports/sla?from=2026-02-31", Allow: []string{"manager"}},
		{Method: "GET", Path: "/reports/sla.csv?from=2026-01-01&to=2026-01-31", Allow: []string{"manager"}},
		// Business calendars and SLA policies: sla.manage. Writes name a missing calendar or policy, or
		// carry invalid fields, so that allowed calls change nothing.
		{Method: "GET", Path: "/admin/sla", Allow: slaMgr},
		{Method: "GET", Path: "/admin/sla/calendars", Allow: slaMgr},
		{Method: "GET", Path: "/admin/sla/calendars/new", Allow: slaMgr},
		{Method: "POST", Path: "/admin/sla/calendars", Body: "name=&time_zone=Mars/Base", Allow: slaMgr},
		{Method: "GET", Path: "/admin/sla/calendars/cn-workday", Allow: slaMgr},
		{Method: "GET", Path: "/admin/sla/calendars/cn-workday/edit", Allow: slaMgr},
		{Method: "POST", Path: "/admin/sla/calendars/no-such-calendar", Body: "name=x&time_zone=Asia/Shanghai&week.mon=09:00-12:00", Allow: slaMgr},
		{Method: "POST", Path: "/admin/sla/calendars/no-such-calendar/delete", Allow: slaMgr},
		{Method: "POST", Path: "/admin/sla/calendars/no-such-calendar/days", Body: "date=2026-05-06&kind=holiday", Allow: slaMgr},
		{Method: "POST", Path: "/admin/sla/calendars/no-such-calendar/days/2026-05-06/delete", Allow: slaMgr},
		{Method: "POST", Path: "/admin/sla/calendars/no-such-calendar/import", Body: "year=2027&json=%7B%7D", Allow: slaMgr},
		{Method: "GET", Path: "/admin/sla/policies", Allow: slaMgr},
		{Method: "GET", Path: "/admin/sla/policies/new", Allow: slaMgr},
		{Method: "POST", Path: "/admin/sla/policies", Body: "name=", Allow: slaMgr},
		{Method: "GET", Path: "/admin/sla/policies/" + missing + "/edit", Allow: slaMgr},
		{Method: "POST", Path: "/admin/sla/policies/" + missing, Body: "name=", Allow: slaMgr},
		{Method: "POST", Path: "/admin/sla/policies/" + missing + "/delete", Allow: slaMgr},

		// The notification inbox (站内信) and one's notification settings: everyone, their own only.
		// A notification that is not one's own answers 404.
		{Method: "GET", Path: "/inbox", Allow: everyone},
		{Method: "GET", Path: "/inbox?unread=1", Allow: everyone},
		{Method: "POST", Path: "/inbox/read", Allow: everyone},
		{Method: "POST", Path: "/inbox/" + missing + "/read", Allow: everyone},
		{Method: "POST", Path: "/inbox/" + missing + "/open", Allow: everyone},
		{Method: "GET", Path: "/me/notifications", Allow: everyone},
		{Method: "POST", Path: "/me/notifications", Body: "inapp=ticket.created&email=ticket.created", Allow: everyone},
		// Channels (通知渠道), the outbox (发件箱), mailboxes (邮箱) and received mail: notify.configure
		// (the system administrator). Writes name what does not exist or carry invalid fields.
		{Method: "GET", Path: "/admin/channels", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/channels/new?kind=wecom", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/channels", Body: "kind=wecom&name=&url=ftp://x", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/channels/" + missing + "/edit", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/channels/" + missing, Body: "name=x&version=1", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/channels/" + missing + "/delete", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/channels/" + missing + "/test", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/outbox", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/outbox?status=dead", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/outbox/" + missing + "/retry", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/mailboxes", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/mailboxes/new", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/mailboxes", Body: "name=&host=", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/mailboxes/" + missing + "/edit", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/mailboxes/" + missing, Body: "name=x&version=1", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/mailboxes/" + missing + "/delete", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/mail", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/mail?outcome=held&mailbox_id=1", Allow: []string{sys}},
		{Method: "GET", Path: "/admin/mail/" + missing + "/raw", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/mail/" + missing + "/release", Allow: []string{sys}},
		{Method: "POST", Path: "/admin/mail/" + missing + "/discard", Allow: []string{sys}},

		{Method: "GET", Path: "/audit", Allow: []string{aud}},
		{Method: "GET", Path: "/audit?action=user.&result=ok&from=2026-01-01", Allow: []string{aud}},
		{Method: "GET", Path: "/audit/1", Allow: []string{aud}},
		{Method: "GET", Path: "/audit/export.csv", Allow: []string{aud}},
		{Method: "GET", Path: "/audit/export.xlsx", Allow: []string{aud}},
	}
}

// TestWebAccessComplete checks that every UI route that needs a login has a case in webAccess, by
// matching the cases against the patterns the UI registers.
func TestWebAccessComplete(t *testing.T) {
	mux := http.NewServeMux()
	for _, p := range web.Routes() {
		mux.Handle(p, http.NotFoundHandler())
	}
	covered := map[string]bool{}
	for _, c := range webAccessCases(webIDs{root: 1, requester: 2, auditor: 3, role: 4, missing: 5}) {
		_, pattern := mux.Handler(httptest.NewRequest(c.Method, c.Path, strings.NewReader(c.Body)))
		if pattern == "" {
			t.Errorf("%s %s matches no UI route", c.Method, c.Path)
		}
		if web.IsPublic(pattern) {
			t.Errorf("%s %s is a public route (%s): no case needed", c.Method, c.Path, pattern)
		}
		covered[pattern] = true
	}
	for _, p := range web.Routes() {
		if !web.IsPublic(p) && !covered[p] {
			t.Errorf("UI route %q has no case in webAccess", p)
		}
	}
}
