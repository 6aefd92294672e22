package web

import (
	"strings"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/i18n"
	"opsdesk/internal/iam"
	"opsdesk/internal/ticket"
)

// TestPortalTemplatesFilled executes the portal, survey and configuration pages with typical data in
// both languages, so that the branches a zero value skips run too.
func TestPortalTemplatesFilled(t *testing.T) {
	h := testHandler(t)
	now := time.Now()
	tk := &ticket.Ticket{ID: 5, Number: "INC-2026-000005", Type: ticket.Incident, Status: ticket.Resolved, Subject: "打印机<script>",
		Description: "卡纸\n第二行", Urgency: 1, Impact: 3, Priority: 2, Location: "3F", UrgeCount: 2, CreatedAt: now, UpdatedAt: now, Version: 3}
	closed := *tk
	closed.Status, closed.CancelReason = ticket.Closed, "不需要了"
	cats := []*ticket.Category{{ID: 1, Name: "网络", NameEN: "Network", Active: true}, {ID: 2, ParentID: 1, Name: "无线", Active: true, Version: 1},
		{ID: 3, ParentID: 1, Name: "旧", Active: false}}
	rules := []*ticket.Rule{{ID: 1, Sort: 10, Name: "网络", CategoryID: 1, Channel: ticket.Phone, Location: "华东", Keyword: "打印", GroupID: 2, Active: true},
		{ID: 2, Sort: 99, Name: "默认", GroupID: 1}}
	groups := []*iam.Group{{ID: 1, Name: "服务台"}, {ID: 2, Name: "网络组"}}
	for _, lang := range []string{i18n.ZH, i18n.EN} {
		a := &actor.Actor{UserID: 1, Name: "杨雪", Roles: []string{"requester"}, Perms: map[string]bool{ticket.PermSubmit: true, ticket.PermConfigure: true}}
		b := basePage{Title: "web.portal.title", Lang: lang, User: a, Nav: navFor(a), Path: "/my/tickets", Error: "err.invalid",
			Errors: map[string]string{"subject": "err.required", "reason": "err.required", "score": "err.ticket.score", "matrix": "err.ticket.matrix", "group_id": "err.required"}}
		show := &portalShowPage{basePage: b, Ticket: portalTicket{Ticket: tk, CategoryName: "网络 › 无线"}, Scores: []int{5, 4, 3, 2, 1},
			Comments: []portalComment{{Mine: true, Body: "还是不行", At: now}, {Body: "已更换硒鼓", At: now}}, Failed: "reject", ReopenDays: 7}
		pages := map[string]any{
			"portal/list": &portalListPage{basePage: b, Q: "打印", State: "open", Tickets: []portalTicket{{Ticket: tk, CategoryName: "网络"}, {Ticket: &closed}}},
			"portal/new": &portalNewPage{basePage: b, Types: ticket.Types, Levels: levels, Categories: categoryOptions(cats, lang),
				Form: portalForm{Type: ticket.Request, CategoryID: 2, Urgency: 2, Impact: 3}},
			"portal/show":               show,
			"survey/survey":             &surveyPage{basePage: b, Token: "abc", Ticket: tk, Scores: []int{5, 4, 3, 2, 1}, Score: "4"},
			"ticketadmin/categories":    &categoriesPage{basePage: b, Rows: categoryTree(cats), Parents: topCategories(cats)},
			"ticketadmin/category_edit": &categoryEditPage{basePage: b, Parents: topCategories(cats), Form: categoryForm{ID: 2, ParentID: 1, Name: "无线"}},
			"ticketadmin/rules":         &rulesPage{basePage: b, Rules: rules, Categories: categoryNames(cats, lang), Groups: groupNames(groups)},
			"ticketadmin/rule_form":     &ruleFormPage{basePage: b, Categories: categoryTree(cats), Groups: groups, Channels: ticket.Channels, Form: ruleForm{ID: 1, GroupID: 2, Channel: ticket.Phone}},
			"ticketadmin/settings":      &ticketSettingsPage{basePage: b, Settings: ticket.DefaultSettings, Levels: levels, Prios: []ticket.Priority{1, 2, 3, 4}},
		}
		for name, data := range pages {
			out := execute(t, h, name, "layout", data)
			if strings.Contains(out, "<script>") && !strings.Contains(out, "&lt;script&gt;") {
				t.Errorf("%s: user text not escaped", name)
			}
		}
		// The other action forms and a closed ticket's reopen form.
		for _, f := range []string{"reply", "rate", "urge", "cancel", "reopen", "confirm"} {
			show.Failed = f
			execute(t, h, "portal/show", "layout", show)
		}
		show.Ticket.Ticket, show.CanReopen, show.Rated = &closed, true, true
		execute(t, h, "portal/show", "layout", show)
		open := *tk
		open.Status = ticket.Assigned
		show.Ticket.Ticket = &open
		execute(t, h, "portal/show", "layout", show)
		execute(t, h, "survey/survey", "layout", &surveyPage{basePage: b, Ticket: tk, Done: true})
	}
}

// TestPortalDynamicKeys checks the message keys the portal builds at run time.
func TestPortalDynamicKeys(t *testing.T) {
	b := i18n.New()
	var keys []string
	for _, s := range ticket.Statuses {
		keys = append(keys, portalTicket{Ticket: &ticket.Ticket{Status: s}}.StatusKey())
	}
	for _, ty := range ticket.Types {
		keys = append(keys, portalTicket{Ticket: &ticket.Ticket{Type: ty}}.TypeKey())
	}
	for _, c := range ticket.Channels {
		keys = append(keys, channelKey(c))
	}
	for _, l := range append(levels, 0) {
		keys = append(keys, levelKey("urgency", l), levelKey("impact", l))
	}
	for n := 1; n <= 5; n++ {
		keys = append(keys, "web.survey.score_"+string(rune('0'+n)))
	}
	keys = append(keys, channelKey(""))
	for _, k := range keys {
		for _, lang := range []string{i18n.ZH, i18n.EN} {
			if !b.Has(lang, k) {
				t.Errorf("%s missing in %s", k, lang)
			}
		}
	}
}
