package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/iam"
	"opsdesk/internal/store/storetest"
)

// TestTicketAdmin runs the service-desk configuration pages on every configured engine.
func TestTicketAdmin(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine)
			t.Run("access", func(t *testing.T) { testTicketAdminAccess(t, env) })
			t.Run("categories", func(t *testing.T) { testCategories(t, env) })
			t.Run("rules", func(t *testing.T) { testRules(t, env) })
			t.Run("settings", func(t *testing.T) { testTicketSettings(t, env) })
		})
	}
}

func testTicketAdminAccess(t *testing.T, env *apptest.Env) {
	admin := login(t, env, "admin", apptest.Password)
	for _, p := range []string{"/admin/ticket-categories", "/admin/dispatch-rules", "/admin/dispatch-rules/new", "/admin/ticket-settings"} {
		wantStatus(t, "admin "+p, admin.get(p), http.StatusOK)
		for _, role := range []string{iam.RoleSecAdmin, iam.RoleAgent, iam.RoleUser} {
			c := login(t, env, env.Users[role], apptest.Password)
			wantStatus(t, role+" "+p, c.get(p), http.StatusForbidden)
		}
	}
	wantText(t, "nav", admin.get("/"), `href="/admin/ticket-categories"`)
}

func testCategories(t *testing.T, env *apptest.Env) {
	admin := login(t, env, "admin", apptest.Password)
	r := admin.post("/admin/ticket-categories", url.Values{"name": {""}, "sort": {"x"}})
	wantStatus(t, "empty name", r, http.StatusUnprocessableEntity)
	wantText(t, "empty name", r, "必填")
	r = admin.post("/admin/ticket-categories", url.Values{"name": {""}}, "Accept-Language", "en")
	wantText(t, "empty name in English", r, "Required")

	parent, ok := admin.get("/admin/ticket-categories").doc(t).Find(`#f-parent_id option`).Eq(1).Attr("value")
	if !ok {
		t.Fatal("no parent category to choose")
	}
	wantLocation(t, "add", admin.post("/admin/ticket-categories", url.Values{"parent_id": {parent}, "name": {"视频会议"}, "name_en": {"Video"}, "sort": {"9"}}),
		"/admin/ticket-categories")
	doc := admin.get("/admin/ticket-categories").doc(t)
	row := doc.Find("tbody tr").FilterFunction(func(_ int, s *goquery.Selection) bool { return strings.Contains(s.Text(), "视频会议") })
	edit, _ := row.Find(`a[href$="/edit"]`).Attr("href")
	if edit == "" {
		t.Fatal("new category not listed")
	}
	form := admin.get(edit).doc(t)
	v, _ := form.Find(`input[name="version"]`).Attr("value")
	path := strings.TrimSuffix(edit, "/edit")
	wantLocation(t, "rename", admin.post(path, url.Values{"version": {v}, "parent_id": {parent}, "name": {"视频会议系统"}, "active": {"on"}}), "/admin/ticket-categories")
	doc = admin.get("/admin/ticket-categories").doc(t)
	row = doc.Find("tbody tr").FilterFunction(func(_ int, s *goquery.Selection) bool { return strings.Contains(s.Text(), "视频会议系统") })
	v, _ = row.Find(`form[action$="/toggle"] input[name="version"]`).Attr("value")
	wantLocation(t, "deactivate", admin.post(path+"/toggle", url.Values{"version": {v}}), "/admin/ticket-categories")
	wantText(t, "deactivated", admin.get("/admin/ticket-categories"), "已停用")
	// A deactivated category is no longer offered to requesters.
	req := login(t, env, env.Users[iam.RoleUser], apptest.Password)
	if strings.Contains(req.get("/my/tickets/new").body, "视频会议系统") {
		t.Error("a deactivated category is offered in the portal")
	}
}

func testRules(t *testing.T, env *apptest.Env) {
	admin := login(t, env, "admin", apptest.Password)
	for _, tc := range []struct{ lang, required string }{{"zh-CN", "必填"}, {"en", "Required"}} {
		r := admin.post("/admin/dispatch-rules", url.Values{"name": {""}, "sort": {"1"}}, "Accept-Language", tc.lang)
		wantStatus(t, tc.lang+" empty rule", r, http.StatusUnprocessableEntity)
		d := r.doc(t)
		if d.Find(`#f-name[aria-invalid="true"]`).Length() != 1 || !strings.Contains(d.Find(`#f-group_id`).Parent().Text(), tc.required) {
			t.Errorf("%s: name and group not marked\n%.3000s", tc.lang, r.body)
		}
	}
	group, ok := admin.get("/admin/dispatch-rules/new").doc(t).Find(`#f-group_id option`).Eq(1).Attr("value")
	if !ok {
		// apptest has no support groups: make one.
		wantStatus(t, "group", admin.post("/admin/groups", url.Values{"name": {"网络组"}, "code": {"net"}, "tier": {"2"}}), http.StatusSeeOther)
		group, _ = admin.get("/admin/dispatch-rules/new").doc(t).Find(`#f-group_id option`).Eq(1).Attr("value")
	}
	wantLocation(t, "add rule", admin.post("/admin/dispatch-rules", url.Values{"name": {"打印机"}, "sort": {"10"}, "keyword": {"打印"},
		"channel": {"portal"}, "group_id": {group}, "active": {"on"}}), "/admin/dispatch-rules")
	list := admin.get("/admin/dispatch-rules")
	wantText(t, "rule listed", list, "打印机", "关键词: 打印", "自助门户")
	edit, _ := list.doc(t).Find(`a[href$="/edit"]`).First().Attr("href")
	v, _ := admin.get(edit).doc(t).Find(`input[name="version"]`).Attr("value")
	path := strings.TrimSuffix(edit, "/edit")
	wantLocation(t, "edit rule", admin.post(path, url.Values{"version": {v}, "name": {"打印与复印"}, "sort": {"5"}, "keyword": {"打印"}, "group_id": {group}}),
		"/admin/dispatch-rules")
	wantStatus(t, "stale rule", admin.post(path, url.Values{"version": {v}, "name": {"x"}, "group_id": {group}}), http.StatusConflict)
	wantText(t, "edited", admin.get("/admin/dispatch-rules"), "打印与复印", "已停用")
	wantLocation(t, "delete rule", admin.post(path+"/delete", nil), "/admin/dispatch-rules")
	wantStatus(t, "deleted rule", admin.get(edit), http.StatusNotFound)
}

func testTicketSettings(t *testing.T, env *apptest.Env) {
	admin := login(t, env, "admin", apptest.Password)
	form := url.Values{"reopen_days": {"400"}, "auto_confirm_days": {"0"}}
	for k, v := range map[string]string{"m_1_1": "4", "m_1_2": "2", "m_1_3": "3", "m_2_1": "2", "m_2_2": "3", "m_2_3": "3", "m_3_1": "3", "m_3_2": "4", "m_3_3": "4"} {
		form.Set(k, v)
	}
	for _, tc := range []struct{ lang, matrix, rng string }{{"zh-CN", "优先级矩阵无效", "超出允许范围"}, {"en", "Invalid priority matrix", "Out of"}} {
		r := admin.post("/admin/ticket-settings", form, "Accept-Language", tc.lang)
		wantStatus(t, tc.lang+" bad settings", r, http.StatusUnprocessableEntity)
		wantText(t, tc.lang+" bad settings", r, tc.matrix)
		d := r.doc(t)
		if d.Find(`#f-reopen_days[aria-invalid="true"]`).Length() != 1 || d.Find(`#f-auto_confirm_days[aria-invalid="true"]`).Length() != 1 {
			t.Errorf("%s: day fields not marked\n%.3000s", tc.lang, r.body)
		}
		if v, _ := d.Find(`select[name="m_1_1"] option[selected]`).Attr("value"); v != "4" {
			t.Errorf("%s: the typed matrix is not kept (m_1_1 = %q)", tc.lang, v)
		}
	}
	form.Set("m_1_1", "1")
	form.Set("reopen_days", "10")
	form.Set("auto_confirm_days", "5")
	wantLocation(t, "save", admin.post("/admin/ticket-settings", form), "/admin/ticket-settings")
	d := admin.get("/admin/ticket-settings").doc(t)
	if v, _ := d.Find(`#f-reopen_days`).Attr("value"); v != "10" {
		t.Errorf("reopen days after save = %q", v)
	}
	if v, _ := d.Find(`select[name="m_3_2"] option[selected]`).Attr("value"); v != "4" {
		t.Errorf("matrix cell after save = %q", v)
	}
}
