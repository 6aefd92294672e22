package web

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/i18n"
	"opsdesk/internal/iam"
	"opsdesk/internal/notify"
	"opsdesk/internal/sla"
	"opsdesk/internal/ticket"
)

// zeroPages declares the data type of every page template. TestTemplatesZeroValues fails when a
// template has no entry here, so that every page is executed at least once by a test.
func zeroPages() map[string]any {
	return map[string]any{
		"error/error":      &errorPage{},
		"auth/login":       &loginPage{},
		"auth/totp":        &totpStepPage{},
		"setup/setup":      &setupPage{},
		"home/home":        &homePage{},
		"profile/show":     &profilePage{},
		"profile/password": &passwordPage{},
		"profile/totp":     &totpPage{},
		"profile/tokens":   &tokensPage{},
		"org/list":         &orgPage{},
		"org/edit":         &orgEditPage{},
		"user/list":        &usersPage{},
		"user/show":        &userShowPage{},
		"user/form":        &userFormPage{},
		"group/list":       &groupsPage{},
		"group/form":       &groupFormPage{},
		"role/list":        &rolesPage{},
		"role/show":        &roleShowPage{},
		"role/form":        &roleFormPage{},
		"policy/edit":      &policyPage{},
		"audit/list":       &auditPage{},
		"audit/show":       &auditShowPage{},
		// Requester portal, survey link, service-desk configuration.
		"portal/list":               &portalListPage{},
		"portal/new":                &portalNewPage{},
		"portal/show":               &portalShowPage{},
		"survey/survey":             &surveyPage{},
		"ticketadmin/categories":    &categoriesPage{},
		"ticketadmin/category_edit": &categoryEditPage{},
		"ticketadmin/rules":         &rulesPage{},
		"ticketadmin/rule_form":     &ruleFormPage{},
		"ticketadmin/settings":      &ticketSettingsPage{},
		// Agent workspace, ticket page, phone intake.
		"queue/list":  &queuePage{ticketLookup: &ticketLookup{}},
		"queue/views": &queueViewsPage{ticketLookup: &ticketLookup{}},
		"ticket/show": &ticketPage{ticketLookup: &ticketLookup{}, T: &ticket.Ticket{Type: ticket.Incident, Status: ticket.New, Channel: ticket.Phone, Priority: 4, Urgency: 3, Impact: 3}},
		"intake/new":  &intakePage{ticketLookup: &ticketLookup{}},
		// On-site service report and quality inspection.
		"ticket/service_report": &reportPage{T: &ticket.Ticket{Type: ticket.Incident, Status: ticket.Closed, Priority: 3}},
		"inspection/list":       &inspectionsPage{},
		"inspection/score":      &inspectionPage{In: &ticket.Inspection{}},
		"ticketadmin/checklist": &checklistPage{},
		"report/service_desk":   &serviceDeskReportPage{R: &ticket.DeskReport{}},
		"report/sla":            &slaReportPage{R: &sla.Achievement{ByPriority: make([]sla.AchievementLine, 4), ByGroup: []sla.AchievementLine{{Key: 3}}}},
		// Business calendars and SLA policies.
		"sla/calendars":     &slaCalendarsPage{},
		"sla/calendar_form": &slaCalendarFormPage{},
		"sla/calendar_show": &slaCalendarPage{Cal: &sla.CalendarInfo{}},
		"sla/policies":      &slaPoliciesPage{},
		"sla/policy_form":   &slaPolicyFormPage{},
		// Notifications (通知) and the mail intake (邮件受理).
		"inbox/list":            &inboxPage{},
		"profile/notifications": &notifyPrefsPage{},
		"notify/channels":       &notifyChannelsPage{},
		"notify/channel_form":   &notifyChannelFormPage{},
		"notify/outbox":         &notifyOutboxPage{},
		"notify/mailboxes":      &mailboxesPage{},
		"notify/mailbox_form":   &mailboxFormPage{},
		"notify/mail":           &mailPage{},
	}
}

// fragments are the partials htmx requests render on their own.
var fragments = []struct {
	page, name string
	data       any
}{
	{"user/list", "user_table", &usersPage{}},
	{"audit/list", "audit_table", &auditPage{}},
	{"error/error", "alert", alertData{}},
	{"ticket/show", "watcher_candidates", &watcherCandidates{}},
	{"inbox/list", "inbox_read", inboxReadData{Row: inboxRow{Notification: &notify.Notification{}}}},
}

func testHandler(t *testing.T) *Handler {
	t.Helper()
	return New(Deps{I18n: i18n.New(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).(*Handler)
}

// rawKey finds message keys that reached the page untranslated, and html/template's marker for a
// value it refused to put in a URL or attribute.
var rawKey = regexp.MustCompile(`\b(web|err)\.[a-z0-9_]+\.[a-z0-9_]+|ZgotmplZ|/static/missing/`)

func execute(t *testing.T, h *Handler, page, name string, data any) string {
	t.Helper()
	set, ok := h.tmpl.pages[page]
	if !ok {
		t.Fatalf("no page %s", page)
	}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, name, data); err != nil {
		t.Fatalf("%s/%s: %v", page, name, err)
	}
	if m := rawKey.FindString(buf.String()); m != "" {
		t.Errorf("%s/%s: output contains %q", page, name, m)
	}
	return buf.String()
}

func TestTemplatesZeroValues(t *testing.T) {
	h := testHandler(t)
	pages := zeroPages()
	for name := range h.tmpl.pages {
		if _, ok := pages[name]; !ok {
			t.Errorf("template %s has no page type in zeroPages", name)
		}
	}
	for name, data := range pages {
		t.Run(name, func(t *testing.T) { execute(t, h, name, "layout", data) })
	}
	for _, f := range fragments {
		execute(t, h, f.page, f.name, f.data)
	}
}

// TestTemplatesFilled executes the pages with typical data in both languages, so that the branches a
// zero value skips (rows, badges, actions) run too.
func TestTemplatesFilled(t *testing.T) {
	h := testHandler(t)
	now := time.Now()
	u := &iam.User{ID: 7, Username: "zhangwei", Name: "张伟<script>", OrgName: "信息技术部", Roles: []string{"agent", "custom"},
		TOTPEnabled: true, LockedUntil: now.Add(time.Hour), FailedLogins: 3, LastLoginAt: now}
	units := orgTree([]*iam.OrgUnit{{ID: 1, Name: "总部", Kind: iam.OrgHQ, Path: "/1/"}, {ID: 2, ParentID: 1, Name: "华东分公司", Kind: iam.OrgBranch, Path: "/1/2/"}})
	roles := []roleOption{{Code: "agent", Name: "坐席", Checked: true}, {Code: "sysadmin", Name: "系统管理员", Admin: true, Locked: true}}
	entry := &audit.Entry{Seq: 9, At: now, ActorName: "admin", Action: "user.update", TargetType: "user", TargetID: "7",
		Result: audit.ResultDenied, Before: `{"name":"a"}`, After: `{"name":"b"}`}
	for _, lang := range []string{i18n.ZH, i18n.EN} {
		a := &actor.Actor{UserID: 1, Name: "管理员", Roles: []string{"sysadmin"}, Perms: map[string]bool{}}
		for _, p := range iam.AllPermissions {
			a.Perms[p] = true
		}
		b := basePage{Title: "web.home.title", Lang: lang, User: a, Nav: navFor(a), Path: "/admin/users", Flash: "web.flash.saved",
			Error: "err.invalid", Errors: map[string]string{"name": "err.required", "roles": "err.role.sod", "code": "err.totp.invalid"}}
		pages := map[string]any{
			"error/error":      &errorPage{basePage: b, Status: 404, Message: "err.not_found"},
			"auth/login":       &loginPage{basePage: b, Username: "x", Next: "/admin"},
			"auth/totp":        &totpStepPage{basePage: b},
			"setup/setup":      &setupPage{basePage: b, Token: "t", Policy: iam.DefaultPolicy()},
			"home/home":        &homePage{basePage: b, RoleNames: []string{"系统管理员"}, Links: quickLinks(a)},
			"profile/show":     &profilePage{basePage: b, Me: u, RoleNames: []string{"坐席"}},
			"profile/password": &passwordPage{basePage: b, Policy: iam.DefaultPolicy(), Forced: true},
			"profile/totp":     &totpPage{basePage: b, Enrolment: &iam.TOTPEnrolment{Secret: "ABC", QRPNG: "data:image/png;base64,iVBO"}},
			"profile/tokens": &tokensPage{basePage: b, Now: now, Secret: "odk_secret", MaxDays: 365, Days: 90,
				Tokens: []*iam.Token{{ID: 1, Name: "ci", Prefix: "odk_abc", ExpiresAt: now.Add(time.Hour)}, {ID: 2, Name: "old", RevokedAt: now}}},
			"org/list":    &orgPage{basePage: b, Units: units, Parents: units, CanManage: true, Kinds: orgKinds, Form: orgForm{ParentID: 1, Kind: iam.OrgDept}},
			"org/edit":    &orgEditPage{basePage: b, Unit: units[1].OrgUnit, Parents: units[:1], Kinds: orgKinds, Form: orgForm{ID: 2, ParentID: 1}},
			"user/list":   &usersPage{basePage: b, Users: []*iam.User{u}, Total: 120, Page: 2, Pages: 3, PrevURL: "/admin/users", NextURL: "/admin/users?page=3", Orgs: units, Roles: roles, RoleNames: map[string]string{"agent": "坐席"}, CanCreate: true, Now: now},
			"user/show":   &userShowPage{basePage: b, U: u, Roles: roles, Now: now, CanManage: true, CanRoles: true, CanUnlock: true},
			"user/form":   &userFormPage{basePage: b, IsNew: true, Orgs: units, Roles: roles, Policy: iam.DefaultPolicy()},
			"group/list":  &groupsPage{basePage: b, CanManage: true, Groups: []*iam.Group{{ID: 1, Name: "网络组", Code: "net", Tier: 2, MemberIDs: []int64{7}}}},
			"group/form":  &groupFormPage{basePage: b, Users: []*iam.User{u}, Orgs: units, Tiers: tiers, Form: groupForm{Tier: 3, MemberIDs: []int64{7}}},
			"role/list":   &rolesPage{basePage: b, CanManage: true, Roles: []*iam.Role{{ID: 1, Code: "sysadmin", Name: "系统管理员", Builtin: true, Perms: iam.AllPermissions}}},
			"role/show":   &roleShowPage{basePage: b, CanManage: true, Role: &iam.Role{ID: 2, Code: "x", Name: "X", Perms: []string{iam.PermOrgRead}}},
			"role/form":   &roleFormPage{basePage: b, Perms: iam.AllPermissions, Form: roleForm{Perms: []string{iam.PermOrgRead}}},
			"policy/edit": &policyPage{basePage: b, Policy: iam.DefaultPolicy()},
			"audit/list":  &auditPage{basePage: b, Entries: []*audit.Entry{entry}, CanExport: true, Results: auditResults, NextURL: "/audit?before=9", Filter: auditQuery{Before: 10}},
			"audit/show":  &auditShowPage{basePage: b, Entry: entry, Changes: audit.Diff(entry.Before, entry.After)},
		}
		for name, data := range pages {
			out := execute(t, h, name, "layout", data)
			if strings.Contains(out, "<script>") && !strings.Contains(out, "&lt;script&gt;") {
				t.Errorf("%s: user text not escaped", name)
			}
		}
		out := execute(t, h, "profile/totp", "layout", pages["profile/totp"])
		if !strings.Contains(out, `src="data:image/png;base64,iVBO"`) {
			t.Errorf("QR code data URI not rendered")
		}
	}
}

// TestDynamicKeys checks the message keys that templates build at run time, which the catalog test
// cannot see: permissions, kinds, tiers, results, actions and the field hints.
func TestDynamicKeys(t *testing.T) {
	b := i18n.New()
	var keys []string
	for _, p := range iam.AllPermissions {
		keys = append(keys, "web.perm."+strings.ReplaceAll(p, ".", "_"))
	}
	for _, k := range orgKinds {
		keys = append(keys, "web.orgkind."+string(k))
	}
	keys = append(keys, "web.tier.1", "web.tier.2", "web.tier.3")
	for _, r := range auditResults {
		keys = append(keys, "web.audit.result_"+r)
	}
	for _, a := range []string{"auth.login", "auth.logout", "auth.lockout", "auth.mfa", "user.create", "user.update",
		"user.enable", "user.disable", "user.roles", "user.password_reset", "token.create", "org.create", "group.create",
		"role.create", "policy.update", "security.csrf"} {
		keys = append(keys, "web.action."+strings.ReplaceAll(a, ".", "_"))
	}
	hint := regexp.MustCompile(`"hint=((?:web|err)\.[a-z0-9_.]+)"`)
	filepath.Walk("templates", func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, _ := os.ReadFile(path)
		for _, m := range hint.FindAllStringSubmatch(string(data), -1) {
			keys = append(keys, m[1])
		}
		return nil
	})
	for _, k := range []string{"web.product", "web.product_sub", "web.skip", "web.footer", "err.number", "err.date"} {
		keys = append(keys, k)
	}
	for _, k := range slices.Compact(slices.Sorted(slices.Values(keys))) {
		for _, lang := range []string{i18n.ZH, i18n.EN} {
			if !b.Has(lang, k) {
				t.Errorf("%s missing in %s", k, lang)
			}
		}
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "/",
		"/admin/users?q=a":     "/admin/users?q=a",
		"//evil.example/x":     "/",
		"/\\evil.example":      "/",
		"https://evil.example": "/",
		"admin":                "/",
		"/login?next=/x":       "/",
		"/logout":              "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOrgTree(t *testing.T) {
	units := []*iam.OrgUnit{
		{ID: 1, Name: "总部", Path: "/1/"},
		{ID: 3, ParentID: 1, Name: "B", Sort: 2, Path: "/1/3/"},
		{ID: 2, ParentID: 1, Name: "A", Sort: 1, Path: "/1/2/"},
		{ID: 4, ParentID: 3, Name: "B1", Path: "/1/3/4/"},
	}
	var got []int64
	var levels []int
	for _, r := range orgTree(units) {
		got = append(got, r.ID)
		levels = append(levels, r.Level)
	}
	if !slices.Equal(got, []int64{1, 2, 3, 4}) || !slices.Equal(levels, []int{0, 1, 1, 2}) {
		t.Errorf("orgTree order %v levels %v", got, levels)
	}
}
