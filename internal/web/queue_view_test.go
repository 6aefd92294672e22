package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/iam"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

func TestQueueViewsAndCounts(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine)
			t.Run("saved views", func(t *testing.T) { testSavedViews(t, env) })
			t.Run("tab counts", func(t *testing.T) { testTabCounts(t, env) })
		})
	}
}

// supportGroup puts the agent and the engineer in one support group.
func supportGroup(t *testing.T, env *apptest.Env) int64 {
	t.Helper()
	st := store.IAM{DB: env.App.DB}
	if gs, err := st.Groups(context.Background()); err == nil && len(gs) > 0 {
		return gs[0].ID
	}
	g := &iam.Group{Name: "一线服务台", Code: "l1", Tier: 1, MemberIDs: []int64{env.IDs[iam.RoleAgent], env.IDs[iam.RoleEngineer]}}
	if err := st.CreateGroup(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	return g.ID
}

func testSavedViews(t *testing.T, env *apptest.Env) {
	group := strconv.FormatInt(supportGroup(t, env), 10)
	agent := login(t, env, env.Users[iam.RoleAgent], apptest.Password)
	engineer := login(t, env, env.Users[iam.RoleEngineer], apptest.Password)
	manager := login(t, env, env.Users[iam.RoleManager], apptest.Password)

	// The workspace offers to save the filter it shows, with the filter in the form.
	d := agent.get("/tickets?tab=group&priority=1&type=incident&q=打印").doc(t)
	if v, _ := d.Find(`#view-save-form input[name="q"]`).Attr("value"); v != "打印" {
		t.Errorf("save form carries q=%q", v)
	}
	if d.Find(`#view-save-form select[name="share_group_id"] option[value="`+group+`"]`).Length() != 1 {
		t.Error("save form does not offer the agent's group")
	}

	// Bad input comes back on the views page, next to the field or named with the hidden one.
	r := agent.post("/tickets/views", url.Values{"name": {" "}, "tab": {"group"}})
	wantStatus(t, "empty name", r, http.StatusUnprocessableEntity)
	if r.doc(t).Find(`.has-error #f-view-name`).Length() != 1 {
		t.Error("empty name not marked")
	}
	r = agent.post("/tickets/views", url.Values{"name": {strings.Repeat("长", 41)}, "tab": {"queue"}, "status": {"done"}, "sort": {"oldest"}})
	wantStatus(t, "bad filter", r, http.StatusUnprocessableEntity)
	wantText(t, "bad filter", r, "内容过长", "未知的队列", "未知的状态", "未知的排序方式")
	r = agent.post("/tickets/views", url.Values{"name": {"x"}, "tab": {"mine"}, "priority": {"high"}}, "Accept-Language", "en")
	wantStatus(t, "priority not a number", r, http.StatusUnprocessableEntity)
	wantText(t, "priority not a number en", r, "Priority")

	// Saved: back to the workspace with the view as the active tab.
	r = agent.post("/tickets/views", url.Values{"name": {"本组 P1 打印"}, "tab": {"group"}, "priority": {"1"}, "type": {"incident"},
		"q": {"打印"}, "share_group_id": {group}})
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.Contains(loc, "tab=group") || !strings.Contains(loc, "priority=1") {
		t.Fatalf("save: %d %q\n%.1500s", r.status, loc, r.body)
	}
	d = agent.get(loc).doc(t)
	if got := strings.TrimSpace(d.Find(`.tabs a.tab-view.active`).Text()); got != "本组 P1 打印" {
		t.Errorf("active view tab %q", got)
	}
	if d.Find(`.tabs a.active`).Length() != 1 {
		t.Error("the built-in tab is highlighted too")
	}
	wantStatus(t, "private view", agent.post("/tickets/views", url.Values{"name": {"我的"}, "tab": {"mine"}}), http.StatusSeeOther)
	wantStatus(t, "same name", agent.post("/tickets/views", url.Values{"name": {"我的"}, "tab": {"updated"}}), http.StatusConflict)

	ids := viewIDs(t, agent)
	shared, private := ids["本组 P1 打印"], ids["我的"]
	if shared == "" || private == "" {
		t.Fatalf("views page lists %v", ids)
	}
	// The group mate sees the shared view as a tab but may not change it; the manager sees neither.
	if !strings.Contains(engineer.get("/tickets").body, "本组 P1 打印") {
		t.Error("the shared view is not a tab of the group mate's workspace")
	}
	if strings.Contains(engineer.get("/tickets").body, ">我的<") {
		t.Error("the private view is a tab of the group mate's workspace")
	}
	if body := manager.get("/tickets").body; strings.Contains(body, "本组 P1 打印") {
		t.Error("the manager, not in the group, sees the shared view")
	}
	wantStatus(t, "mate deletes shared", engineer.post("/tickets/views/"+shared+"/delete", nil), http.StatusForbidden)
	wantStatus(t, "mate renames shared", engineer.post("/tickets/views/"+shared+"/rename", url.Values{"name": {"改"}}), http.StatusForbidden)
	wantStatus(t, "mate deletes private", engineer.post("/tickets/views/"+private+"/delete", nil), http.StatusNotFound)
	wantStatus(t, "manager deletes private", manager.post("/tickets/views/"+private+"/delete", nil), http.StatusNotFound)

	// The owner renames (a taken name is refused next to that view) and deletes.
	r = agent.post("/tickets/views/"+private+"/rename", url.Values{"name": {"本组 P1 打印"}})
	wantStatus(t, "rename to a taken name", r, http.StatusConflict)
	wantText(t, "rename to a taken name", r, "已有同名视图")
	wantLocation(t, "rename", agent.post("/tickets/views/"+private+"/rename", url.Values{"name": {"我的工单 · 全部"}}), "/tickets/views")
	if _, ok := viewIDs(t, agent)["我的工单 · 全部"]; !ok {
		t.Error("rename not shown")
	}
	wantLocation(t, "delete", agent.post("/tickets/views/"+private+"/delete", nil), "/tickets/views")
	if _, ok := viewIDs(t, agent)["我的工单 · 全部"]; ok {
		t.Error("deleted view still listed")
	}
	wantStatus(t, "delete twice", agent.post("/tickets/views/"+private+"/delete", nil), http.StatusNotFound)
}

// viewIDs reads the views page: view name → id.
func viewIDs(t *testing.T, c *client) map[string]string {
	t.Helper()
	r := c.get("/tickets/views")
	wantStatus(t, "views page", r, http.StatusOK)
	out := map[string]string{}
	r.doc(t).Find(`table.views tbody tr`).Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		out[strings.TrimSpace(s.Find("td a").First().Text())] = strings.TrimPrefix(id, "view-")
	})
	return out
}

func testTabCounts(t *testing.T, env *apptest.Env) {
	group := supportGroup(t, env)
	agent := login(t, env, env.Users[iam.RoleAgent], apptest.Password)
	engineer := login(t, env, env.Users[iam.RoleEngineer], apptest.Password)
	reqID := strconv.FormatInt(env.IDs[iam.RoleUser], 10)
	ctx := staffCtx(t, env, iam.RoleAgent)
	// Seven calls: two the agent takes, three for the group (one of them then resolved), two left alone.
	for i := range 7 {
		id := intake(t, agent, url.Values{"requester_id": {reqID}, "type": {"incident"}, "urgency": {"2"}, "impact": {"3"},
			"subject": {"计数工单 " + strconv.Itoa(i)}})
		tk, err := env.App.Tickets.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case i < 2:
			_, err = env.App.Tickets.Take(ctx, id, tk.Version)
		case i < 5:
			tk, err = env.App.Tickets.Assign(ctx, id, tk.Version, group, env.IDs[iam.RoleEngineer], "")
			if err == nil && i == 4 {
				_, err = env.App.Tickets.Resolve(staffCtx(t, env, iam.RoleEngineer), id, tk.Version, ticket.Resolution{Solution: "已处理"})
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	d := agent.get("/tickets").doc(t)
	var got []string
	d.Find(`.tabs .tab-count`).Each(func(_ int, s *goquery.Selection) { got = append(got, s.Text()) })
	if strings.Join(got, ",") != "2,2,2" {
		t.Errorf("agent's tab counts %v, want 2 mine, 2 of the group (one resolved), 2 unassigned", got)
	}
	for _, c := range []*client{agent, engineer} {
		d := c.get("/tickets").doc(t)
		for _, tab := range []string{"mine", "group", "unassigned"} {
			label := d.Find(`.tabs a[href="/tickets?tab=` + tab + `"] .tab-count`)
			if label.Length() != 1 {
				t.Errorf("tab %s has no count", tab)
				continue
			}
			rows := c.get("/tickets?tab=" + tab).doc(t).Find(`#queue-body tr`).Length()
			if got := strings.TrimSpace(label.Text()); got != strconv.Itoa(rows) {
				t.Errorf("tab %s: label %s, list of %d", tab, got, rows)
			}
		}
	}
	if n := agent.get("/tickets").doc(t).Find(`.tabs a[href="/tickets?tab=updated"] .tab-count`).Length(); n != 0 {
		t.Error("the updated tab is counted")
	}
}
