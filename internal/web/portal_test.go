package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"opsdesk/internal/actor"
	"opsdesk/internal/app/apptest"
	"opsdesk/internal/iam"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// TestPortal runs the requester portal and the survey link on every configured engine.
func TestPortal(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine)
			t.Run("journey", func(t *testing.T) { testPortalJourney(t, env) })
			t.Run("survey link", func(t *testing.T) { testSurveyLink(t, env) })
			t.Run("form errors", func(t *testing.T) { testPortalFormErrors(t, env) })
		})
	}
}

// staffCtx is a context acting as the test user of a built-in role, for calls straight to the
// ticket service (the agent's side of a journey).
func staffCtx(t *testing.T, env *apptest.Env, role string) context.Context {
	t.Helper()
	ctx := context.Background()
	u, err := store.IAM{DB: env.App.DB}.UserByUsername(ctx, env.Users[role])
	if err != nil {
		t.Fatal(err)
	}
	a, err := env.App.IAM.ActorFor(ctx, &actor.Actor{Source: actor.SourceWeb}, u)
	if err != nil {
		t.Fatal(err)
	}
	return actor.NewContext(ctx, a)
}

// submit opens a ticket through the portal form and returns its id and page path.
func submit(t *testing.T, c *client, subject string) (int64, string) {
	t.Helper()
	r := c.post("/my/tickets", url.Values{"type": {"incident"}, "subject": {subject}, "description": {"无法打印，提示卡纸"},
		"urgency": {"2"}, "impact": {"3"}, "location": {"三楼 301"}})
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/my/tickets/") {
		t.Fatalf("submit: status %d location %q\n%.2000s", r.status, loc, r.body)
	}
	var id int64
	for _, ch := range strings.TrimPrefix(loc, "/my/tickets/") {
		id = id*10 + int64(ch-'0')
	}
	return id, loc
}

func resolve(t *testing.T, env *apptest.Env, id int64, solution string) {
	t.Helper()
	tk, err := env.App.Tickets.Resolve(staffCtx(t, env, iam.RoleAgent), id, 0, ticket.Resolution{Cause: "硒鼓老化", Solution: solution})
	if err != nil || tk.Status != ticket.Resolved {
		t.Fatalf("resolve %d: %v", id, err)
	}
}

func version(t *testing.T, c *client, path string) string {
	t.Helper()
	v, ok := c.get(path).doc(t).Find(`form[action$="/confirm"] input[name="version"]`).Attr("value")
	if !ok {
		t.Fatalf("%s: no confirm form", path)
	}
	return v
}

func testPortalJourney(t *testing.T, env *apptest.Env) {
	req := login(t, env, env.Users[iam.RoleUser], apptest.Password)
	id, page := submit(t, req, "三楼打印机卡纸")
	wantText(t, "my list", req.get("/my/tickets"), "三楼打印机卡纸", "待受理")
	wantText(t, "search", req.get("/my/tickets?q="+url.QueryEscape("打印机")), "三楼打印机卡纸")
	if r := req.get("/my/tickets?q=" + url.QueryEscape("邮箱容量")); strings.Contains(r.body, "三楼打印机卡纸") {
		t.Errorf("search for another word lists the ticket")
	}
	// Someone else, even staff who may see it in a queue, finds no such ticket in their portal.
	agent := login(t, env, env.Users[iam.RoleAgent], apptest.Password)
	wantStatus(t, "agent opens requester's ticket in the portal", agent.get(page), http.StatusNotFound)

	// Public conversation only: an internal note never reaches the requester.
	if _, err := env.App.Tickets.Comment(staffCtx(t, env, iam.RoleAgent), id, "内部备注：怀疑硒鼓问题", true, 0); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "reply", req.post(page+"/reply", url.Values{"body": {"今天上午十点开始的"}}), http.StatusSeeOther)
	wantStatus(t, "urge", req.post(page+"/urge", url.Values{"note": {"急用"}}), http.StatusSeeOther)
	r := req.get(page)
	wantText(t, "ticket page", r, "今天上午十点开始的", "催办次数")
	if strings.Contains(r.body, "内部备注") {
		t.Fatal("the portal shows an internal note")
	}

	resolve(t, env, id, "已更换硒鼓")
	wantText(t, "resolved", req.get(page), "已更换硒鼓", "确认解决")
	v := version(t, req, page)
	r = req.post(page+"/reject", url.Values{"version": {v}, "reason": {""}})
	wantStatus(t, "reject without reason", r, http.StatusUnprocessableEntity)
	if r.doc(t).Find(`#f-reject-reason[aria-invalid="true"]`).Length() != 1 {
		t.Errorf("reject without reason: the reason field is not marked\n%.3000s", r.body)
	}
	wantStatus(t, "reject", req.post(page+"/reject", url.Values{"version": {v}, "reason": {"还是卡纸"}}), http.StatusSeeOther)
	wantText(t, "rejected", req.get(page), "还是卡纸", "处理中")

	resolve(t, env, id, "已更换进纸轮")
	v = version(t, req, page)
	wantStatus(t, "stale confirm", req.post(page+"/confirm", url.Values{"version": {"1"}}), http.StatusConflict)
	wantStatus(t, "confirm", req.post(page+"/confirm", url.Values{"version": {v}}), http.StatusSeeOther)
	r = req.get(page)
	wantText(t, "closed", r, "已关闭", "满意度评价", "重新打开")
	wantStatus(t, "rate", req.post(page+"/rate", url.Values{"score": {"5"}, "comment": {"很快"}}), http.StatusSeeOther)
	r = req.get(page)
	wantText(t, "rated", r, "您已评价过")
	if r.doc(t).Find(`form[action$="/rate"]`).Length() != 0 {
		t.Error("the rating form is still offered after rating")
	}
	r = req.post(page+"/rate", url.Values{"score": {"1"}})
	wantStatus(t, "second rating", r, http.StatusConflict)
	wantText(t, "second rating", r, "已经评价过")

	// A ticket nobody works on yet can be withdrawn with a reason; afterwards neither cancel nor urge.
	id2, page2 := submit(t, req, "申请开通 VPN")
	_ = id2
	wantStatus(t, "cancel without reason", req.post(page2+"/cancel", url.Values{"version": {"1"}}), http.StatusUnprocessableEntity)
	wantStatus(t, "cancel", req.post(page2+"/cancel", url.Values{"version": {"1"}, "reason": {"已自行解决"}}), http.StatusSeeOther)
	wantText(t, "cancelled", req.get(page2), "已撤销", "已自行解决")
	if r := req.post(page2+"/urge", nil); r.status != http.StatusUnprocessableEntity {
		t.Errorf("urging a cancelled ticket: status %d, want 422", r.status)
	}
}

func testSurveyLink(t *testing.T, env *apptest.Env) {
	req := login(t, env, env.Users[iam.RoleUser], apptest.Password)
	id, _ := submit(t, req, "邮箱无法收信")
	resolve(t, env, id, "已清理邮箱空间")
	token, err := env.App.Tickets.SurveyLink(staffCtx(t, env, iam.RoleAgent), id)
	if err != nil {
		t.Fatal(err)
	}
	anon := newClient(t, env)
	page := "/survey/" + token
	r := anon.get(page)
	wantStatus(t, "survey page", r, http.StatusOK)
	wantText(t, "survey page", r, "邮箱无法收信", "满意度")
	if strings.Contains(r.body, "已清理邮箱空间") {
		t.Error("the survey link reveals more than the number and subject")
	}
	r = anon.post(page, url.Values{"score": {"9"}})
	wantStatus(t, "bad score", r, http.StatusUnprocessableEntity)
	wantText(t, "bad score", r, "1 到 5 分")
	r = anon.post(page, url.Values{"score": {"9"}}, "Accept-Language", "en")
	wantText(t, "bad score in English", r, "The satisfaction score is 1 to 5")
	wantLocation(t, "answer", anon.post(page, url.Values{"score": {"4"}, "comment": {"满意"}}), page)
	wantText(t, "answered", anon.get(page), "已经评价过")
	r = anon.post(page, url.Values{"score": {"2"}})
	wantStatus(t, "used link", r, http.StatusConflict)
	wantText(t, "used link", r, "已经评价过")
	for _, bad := range []string{"/survey/nonsense", "/survey/" + strings.Repeat("x", 300)} {
		r = anon.get(bad)
		wantStatus(t, "invalid link", r, http.StatusNotFound)
		wantText(t, "invalid link", r, "评价链接无效")
		wantStatus(t, "invalid link post", anon.post(bad, url.Values{"score": {"5"}}), http.StatusNotFound)
	}
}

func testPortalFormErrors(t *testing.T, env *apptest.Env) {
	req := login(t, env, env.Users[iam.RoleUser], apptest.Password)
	for _, tc := range []struct{ lang, required, level string }{
		{"zh-CN", "必填", "紧急程度或影响范围无效"},
		{"en", "Required", "Invalid urgency or impact"},
	} {
		r := req.post("/my/tickets", url.Values{"type": {"incident"}, "subject": {"  "}, "urgency": {"7"}, "impact": {"2"},
			"description": {"保留我的描述"}}, "Accept-Language", tc.lang)
		wantStatus(t, tc.lang+" bad form", r, http.StatusUnprocessableEntity)
		wantText(t, tc.lang+" bad form", r, tc.required, tc.level, "保留我的描述")
		if r.doc(t).Find(`#f-subject[aria-invalid="true"]`).Length() != 1 {
			t.Errorf("%s: subject not marked invalid", tc.lang)
		}
	}
}
