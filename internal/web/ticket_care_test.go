package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/iam"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

func TestTicketCare(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine)
			t.Run("watchers", func(t *testing.T) { testWatchers(t, env) })
			t.Run("reopen and survey link", func(t *testing.T) { testReopenAndSurveyLink(t, env) })
		})
	}
}

func testWatchers(t *testing.T, env *apptest.Env) {
	agent := login(t, env, env.Users[iam.RoleAgent], apptest.Password)
	engineer := login(t, env, env.Users[iam.RoleEngineer], apptest.Password)
	manager := login(t, env, env.Users[iam.RoleManager], apptest.Password)
	reqID := strconv.FormatInt(env.IDs[iam.RoleUser], 10)
	engID := strconv.FormatInt(env.IDs[iam.RoleEngineer], 10)
	id := intake(t, agent, url.Values{"requester_id": {reqID}, "type": {"incident"}, "urgency": {"2"}, "impact": {"3"},
		"subject": {"共享盘无法访问"}})
	path := "/tickets/" + strconv.FormatInt(id, 10)
	watchers := func() []int64 {
		tk, err := env.App.Tickets.Get(staffCtx(t, env, iam.RoleManager), id)
		if err != nil {
			t.Fatal(err)
		}
		return tk.Watchers
	}

	// The colleague search, as on the intake form.
	wantText(t, "candidates", agent.get(path+"/watchers/candidates?q="+url.QueryEscape(env.Users[iam.RoleEngineer]), "HX-Request", "true"),
		`name="user_id" value="`+engID+`"`)
	if d := agent.get(path).doc(t); d.Find(`#act-watchers #f-watcher-q[hx-get="`+path+`/watchers/candidates"]`).Length() != 1 {
		t.Error("no colleague search on the ticket page")
	}
	r := agent.post(path+"/watchers", url.Values{})
	wantStatus(t, "nobody chosen", r, http.StatusUnprocessableEntity)
	wantText(t, "nobody chosen", r, "请先查找并选择一位同事")
	wantLocation(t, "add", agent.post(path+"/watchers", url.Values{"user_id": {engID}}), path)
	if !slices.Contains(watchers(), env.IDs[iam.RoleEngineer]) {
		t.Fatal("engineer not a watcher")
	}
	d := agent.get(path).doc(t)
	if d.Find(`.watcher-list form[action="`+path+`/watchers/remove"] input[value="`+engID+`"]`).Length() != 1 {
		t.Error("no remove button beside the watcher")
	}
	wantLocation(t, "remove", agent.post(path+"/watchers/remove", url.Values{"user_id": {engID}}), path)
	if slices.Contains(watchers(), env.IDs[iam.RoleEngineer]) {
		t.Error("engineer still a watcher")
	}

	// Confidential: the engineer who holds the ticket may not name viewers, the supervisor may.
	ctx := staffCtx(t, env, iam.RoleAgent)
	tk, _ := env.App.Tickets.Get(ctx, id)
	tk, err := env.App.Tickets.Assign(ctx, id, tk.Version, 0, env.IDs[iam.RoleEngineer], "交工程师")
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := env.App.Tickets.Update(staffCtx(t, env, iam.RoleManager), id, tk.Version, ticket.Patch{Confidential: &yes}); err != nil {
		t.Fatal(err)
	}
	d = engineer.get(path).doc(t)
	if !strings.Contains(d.Find(`#act-watchers`).Text(), "保密工单") || d.Find(`#act-watchers form`).Length() != 0 {
		t.Error("the engineer is offered the watcher form on a confidential ticket")
	}
	r = engineer.post(path+"/watchers", url.Values{"user_id": {reqID}})
	wantStatus(t, "engineer names a viewer", r, http.StatusForbidden)
	wantText(t, "engineer names a viewer", r, "保密工单的可见人员只能由主管指定")
	if r.doc(t).Find(`h1`).Text() != "共享盘无法访问" {
		t.Error("the refusal is not shown on the ticket page")
	}
	r = engineer.post(path+"/watchers", url.Values{"user_id": {reqID}}, "Accept-Language", "en")
	wantText(t, "refusal en", r, "only supervisors name who may see it")
	wantLocation(t, "supervisor names a viewer", manager.post(path+"/watchers", url.Values{"user_id": {strconv.FormatInt(env.IDs[iam.RoleVendor], 10)}}), path)
	if !slices.Contains(watchers(), env.IDs[iam.RoleVendor]) {
		t.Error("the supervisor's viewer not added")
	}
}

func testReopenAndSurveyLink(t *testing.T, env *apptest.Env) {
	agent := login(t, env, env.Users[iam.RoleAgent], apptest.Password)
	reqID := strconv.FormatInt(env.IDs[iam.RoleUser], 10)
	id := intake(t, agent, url.Values{"requester_id": {reqID}, "type": {"incident"}, "urgency": {"2"}, "impact": {"3"},
		"subject": {"显示器闪烁"}})
	path := "/tickets/" + strconv.FormatInt(id, 10)
	ctx := staffCtx(t, env, iam.RoleAgent)
	tk, _ := env.App.Tickets.Get(ctx, id)
	tk, err := env.App.Tickets.Take(ctx, id, tk.Version)
	if err == nil {
		tk, err = env.App.Tickets.Resolve(ctx, id, tk.Version, ticket.Resolution{Solution: "更换信号线"})
	}
	if err != nil {
		t.Fatal(err)
	}

	// A resolved ticket: a one-time survey link, shown once, each new one replacing the last.
	if agent.get(path).doc(t).Find(`#act-survey form[action="`+path+`/survey-link"]`).Length() != 1 {
		t.Fatal("no survey-link form on a resolved ticket")
	}
	link := regexp.MustCompile(`https?://[^"<\s]+/survey/([A-Za-z0-9_-]+)`)
	r := agent.post(path+"/survey-link", nil)
	wantStatus(t, "survey link", r, http.StatusOK)
	wantText(t, "survey link", r, "只显示这一次", "替换了之前生成的所有链接", `data-copy="#survey-url"`)
	m := link.FindStringSubmatch(r.body)
	if m == nil || !strings.HasPrefix(m[0], env.App.Cfg.PublicURL()) {
		t.Fatalf("no survey URL under the base URL in\n%.3000s", r.body)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Error("the page with the link may be cached")
	}
	anon := newClient(t, env)
	wantStatus(t, "link works", anon.get("/survey/"+m[1]), http.StatusOK)
	second := link.FindStringSubmatch(agent.post(path+"/survey-link", nil).body)
	if second == nil || second[1] == m[1] {
		t.Fatal("no fresh link")
	}
	wantStatus(t, "old link", anon.get("/survey/"+m[1]), http.StatusNotFound)
	if strings.Contains(agent.get(path).body, second[1]) {
		t.Error("the link is shown again on the next visit")
	}

	// Closed by the requester: reopen with a reason. (Each link made was a change: a new version.)
	tk, _ = env.App.Tickets.Get(ctx, id)
	tk, err = env.App.Tickets.Confirm(staffCtx(t, env, iam.RoleUser), id, tk.Version)
	if err != nil {
		t.Fatal(err)
	}
	d := agent.get(path).doc(t)
	if d.Find(`#act-reopen form[action="`+path+`/reopen"]`).Length() != 1 || !strings.Contains(d.Find(`#act-reopen`).Text(), "之前重新打开") {
		t.Fatal("no reopen form on a closed ticket")
	}
	r = agent.post(path+"/reopen", url.Values{"version": {strconv.Itoa(tk.Version)}, "reason": {" "}})
	wantStatus(t, "reopen without reason", r, http.StatusUnprocessableEntity)
	if r.doc(t).Find(`#act-reopen[open] .has-error #f-reopen-reason`).Length() != 1 {
		t.Error("reason not marked")
	}
	wantStatus(t, "stale reopen", agent.post(path+"/reopen", url.Values{"version": {"1"}, "reason": {"又闪了"}}), http.StatusConflict)
	wantLocation(t, "reopen", agent.post(path+"/reopen", url.Values{"version": {strconv.Itoa(tk.Version)}, "reason": {"又闪了"}}), path)
	if tk, _ := env.App.Tickets.Get(ctx, id); tk.Status != ticket.InProgress || tk.ReopenCount != 1 {
		t.Errorf("after reopen: %s, reopened %d times", tk.Status, tk.ReopenCount)
	}
	if agent.get(path).doc(t).Find(`#act-reopen, #act-survey`).Length() != 0 {
		t.Error("reopen or survey link offered on an open ticket")
	}
}
