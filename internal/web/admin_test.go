package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"opsdesk/internal/app/apptest"
)

// rootOrg is the id of the organisation root in the admin's form.
func rootOrg(t *testing.T, c *client) string {
	t.Helper()
	v, ok := c.get("/admin/users/new").doc(t).Find(`select[name="org_unit_id"] option`).First().Attr("value")
	if !ok {
		t.Fatal("no organisation unit to choose")
	}
	return v
}

// createUser creates an agent through the form and returns the new id.
func createUser(t *testing.T, c *client, username, name string) int64 {
	t.Helper()
	r := c.post("/admin/users", url.Values{"username": {username}, "name": {name}, "org_unit_id": {rootOrg(t, c)},
		"password": {"Initial#2026pw"}, "roles": {"agent"}, "post": {"服务台坐席"}})
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/users/") {
		t.Fatalf("create %s: status %d location %q\n%.2000s", username, r.status, loc, r.body)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/admin/users/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func testCreateUser(t *testing.T, env *apptest.Env) {
	c := login(t, env, "admin", apptest.Password)
	form := c.get("/admin/users/new")
	wantStatus(t, "new user form", form, http.StatusOK)
	if form.doc(t).Find(`input[name="roles"][value="sysadmin"][disabled]`).Length() != 1 {
		t.Error("the system administrator may grant administrator roles in the form")
	}
	bad := url.Values{"username": {"Bad Name!"}, "name": {""}, "org_unit_id": {rootOrg(t, c)}, "password": {"Initial#2026pw"}, "email": {"not-an-email"}}
	r := c.post("/admin/users", bad)
	wantStatus(t, "invalid user", r, http.StatusUnprocessableEntity)
	wantText(t, "invalid user", r, "输入有误", "用户名需 2–64 位", "电子邮箱格式不正确", `value="not-an-email"`)
	d := r.doc(t)
	if d.Find(`#f-username[aria-invalid="true"]`).Length() != 1 || d.Find(`#f-name[aria-invalid="true"]`).Length() != 1 {
		t.Error("invalid fields are not marked")
	}
	if strings.Contains(c.get("/admin/users?q=bad").body, "Bad Name") {
		t.Error("an invalid user was stored")
	}
	id := createUser(t, c, "wangfang", "王芳")
	show := c.get(userPath(id))
	wantStatus(t, "new user page", show, http.StatusOK)
	wantText(t, "new user page", show, "用户已创建", "wangfang", "王芳", "服务台坐席", "须修改密码")
	// The same username again is a conflict shown at the field.
	r = c.post("/admin/users", url.Values{"username": {"wangfang"}, "name": {"另一个"}, "org_unit_id": {rootOrg(t, c)}, "password": {"Initial#2026pw"}})
	wantStatus(t, "duplicate", r, http.StatusConflict)
	wantText(t, "duplicate", r, "用户名已存在")
	// Edit with the version seen; a stale version is refused.
	edit := c.get(userPath(id) + "/edit").doc(t)
	version, _ := edit.Find(`input[name="version"]`).Attr("value")
	upd := url.Values{"version": {version}, "name": {"王芳芳"}, "org_unit_id": {rootOrg(t, c)}, "phone": {"010-12345678"}}
	wantLocation(t, "update", c.post(userPath(id), upd), userPath(id))
	wantText(t, "updated", c.get(userPath(id)), "王芳芳", "010-12345678")
	r = c.post(userPath(id), upd)
	wantStatus(t, "stale update", r, http.StatusConflict)
	wantText(t, "stale update", r, "该记录已被他人修改")
	r = c.post(userPath(id), url.Values{"version": {"x"}, "name": {"A"}, "org_unit_id": {rootOrg(t, c)}})
	wantStatus(t, "bad version", r, http.StatusUnprocessableEntity)
	// Others cannot create users.
	wantStatus(t, "agent creates", login(t, env, "agent", apptest.Password).post("/admin/users", bad), http.StatusForbidden)
}

func testDisableUser(t *testing.T, env *apptest.Env) {
	a := login(t, env, "admin", apptest.Password)
	id := createUser(t, a, "zhaolei", "赵磊")
	// The new user signs in and changes the initial password.
	u := newClient(t, env)
	u.post("/login", url.Values{"username": {"zhaolei"}, "password": {"Initial#2026pw"}})
	wantLocation(t, "change", u.post("/profile/password", url.Values{"old_password": {"Initial#2026pw"}, "new_password": {"Zl#20260101", "Zl#20260101"}, "confirm_password": {"Zl#20260101"}}), "/profile")
	wantStatus(t, "user works", u.get("/"), http.StatusOK)

	wantLocation(t, "disable", a.post(userPath(id)+"/disable", nil), userPath(id))
	wantText(t, "disabled", a.get(userPath(id)), "已停用", "/enable")
	wantLocation(t, "session ended", u.get("/"), "/login")
	r := newClient(t, env).post("/login", url.Values{"username": {"zhaolei"}, "password": {"Zl#20260101"}})
	wantStatus(t, "disabled login", r, http.StatusUnauthorized)
	wantText(t, "disabled filter", a.get("/admin/users?disabled=1"), "zhaolei")
	if strings.Contains(a.get("/admin/users?disabled=0").body, "zhaolei") {
		t.Error("a disabled user listed as active")
	}
	wantLocation(t, "enable", a.post(userPath(id)+"/enable", nil), userPath(id))
	login(t, env, "zhaolei", "Zl#20260101")
	// Nobody disables themselves, and the system administrator cannot touch the auditor (三员分立).
	wantStatus(t, "disable self", a.post(userPath(env.IDs["sysadmin"])+"/disable", nil), http.StatusUnprocessableEntity)
	wantStatus(t, "disable auditor", a.post(userPath(env.IDs["auditor"])+"/disable", nil), http.StatusForbidden)
	if strings.Contains(a.get(userPath(env.IDs["auditor"])).body, "/disable") {
		t.Error("the auditor's page offers the system administrator a disable button")
	}
}

func testEscaping(t *testing.T, env *apptest.Env) {
	a := login(t, env, "admin", apptest.Password)
	payload := `<script>alert("x")</script><img src=x onerror=alert(1)>`
	id := createUser(t, a, "xss", payload)
	for _, p := range []string{"/admin/users?q=xss", userPath(id), userPath(id) + "/edit"} {
		r := a.get(p)
		wantStatus(t, p, r, http.StatusOK)
		if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "<img src=x") {
			t.Errorf("%s: payload not escaped", p)
		}
		wantText(t, p, r, "&lt;script&gt;alert(")
	}
}

func testUserSearch(t *testing.T, env *apptest.Env) {
	c := login(t, env, "agent", apptest.Password) // user.read without user.manage
	full := c.get("/admin/users?q=secadmin")
	wantStatus(t, "search", full, http.StatusOK)
	d := full.doc(t)
	if d.Find(`#user-table tbody tr`).Length() != 1 || !strings.Contains(d.Find("#user-table").Text(), "secadmin") {
		t.Errorf("search for secadmin: %s", d.Find("#user-table").Text())
	}
	if d.Find(`form#user-filter[hx-get="/admin/users"][hx-target="#user-table"][hx-push-url="true"]`).Length() != 1 {
		t.Error("the filter form does not drive the table with htmx")
	}
	if d.Find(`a[href="/admin/users/new"]`).Length() != 0 {
		t.Error("an agent is offered to create users")
	}
	frag := c.get("/admin/users?q=secadmin", "HX-Request", "true", "HX-Target", "user-table")
	wantStatus(t, "fragment", frag, http.StatusOK)
	if strings.Contains(frag.body, "<html") || !strings.Contains(frag.body, "secadmin") {
		t.Errorf("fragment: %.500s", frag.body)
	}
	wantText(t, "role filter", c.get("/admin/users?role=auditor"), ">auditor<")
	wantText(t, "no match", c.get("/admin/users?q=nobody-at-all"), "没有符合条件的用户")
	wantStatus(t, "bad page", c.get("/admin/users?page=-3&org=x"), http.StatusOK)
}

func testRoles(t *testing.T, env *apptest.Env) {
	sec := login(t, env, "secadmin", apptest.Password)
	id := env.IDs["manager"]
	r := sec.post(userPath(id)+"/roles", url.Values{"roles": {"sysadmin", "auditor"}})
	wantStatus(t, "two admin roles", r, http.StatusUnprocessableEntity)
	wantText(t, "two admin roles", r, "违反三员分立")
	wantLocation(t, "grant", sec.post(userPath(id)+"/roles", url.Values{"roles": {"manager", "agent"}}), userPath(id))
	wantText(t, "granted", sec.get(userPath(id)), "服务台坐席", "部门负责人")
	// The system administrator changes business roles, but an administrator role in the request is
	// ignored: its box is read-only for them.
	a := login(t, env, "admin", apptest.Password)
	wantLocation(t, "sysadmin grants", a.post(userPath(id)+"/roles", url.Values{"roles": {"manager", "sysadmin"}}), userPath(id))
	page := a.get(userPath(id))
	if !strings.Contains(page.body, "部门负责人") || strings.Contains(page.doc(t).Find("dl.details").Text(), "系统管理员") {
		t.Errorf("roles after sysadmin's change: %s", page.doc(t).Find("dl.details").Text())
	}
	wantStatus(t, "own roles", a.post(userPath(env.IDs["sysadmin"])+"/roles", url.Values{"roles": {"sysadmin"}}), http.StatusForbidden)
}

func testOrg(t *testing.T, env *apptest.Env) {
	a := login(t, env, "admin", apptest.Password)
	tree := a.get("/admin/org")
	wantStatus(t, "tree", tree, http.StatusOK)
	root, _ := tree.doc(t).Find(`select[name="parent_id"] option`).First().Attr("value")
	r := a.post("/admin/org", url.Values{"parent_id": {root}, "name": {""}, "kind": {"planet"}, "sort": {"x"}})
	wantStatus(t, "invalid unit", r, http.StatusUnprocessableEntity)
	wantText(t, "invalid unit", r, "请输入整数")
	r = a.post("/admin/org", url.Values{"parent_id": {root}, "name": {""}, "kind": {"planet"}})
	wantStatus(t, "invalid unit", r, http.StatusUnprocessableEntity)
	wantText(t, "invalid unit", r, "必填", "机构类型无效")
	wantLocation(t, "create", a.post("/admin/org", url.Values{"parent_id": {root}, "name": {"华东分公司"}, "code": {"east"}, "kind": {"branch"}}), "/admin/org")
	d := a.get("/admin/org").doc(t)
	var editURL string
	d.Find("tr").Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), "华东分公司") {
			editURL, _ = s.Find(`a[href$="/edit"]`).Attr("href")
		}
	})
	if editURL == "" {
		t.Fatal("new unit not in the tree")
	}
	wantText(t, "kind shown", a.get("/admin/org"), "分部")
	edit := a.get(editURL)
	wantStatus(t, "edit", edit, http.StatusOK)
	version, _ := edit.doc(t).Find(`input[name="version"]`).Attr("value")
	id := strings.TrimSuffix(strings.TrimPrefix(editURL, "/admin/org/"), "/edit")
	r = a.post("/admin/org/"+id, url.Values{"version": {version}, "parent_id": {id}, "name": {"华东"}, "kind": {"branch"}})
	wantStatus(t, "move under itself", r, http.StatusUnprocessableEntity)
	wantLocation(t, "rename", a.post("/admin/org/"+id, url.Values{"version": {version}, "parent_id": {root}, "name": {"华东分公司（上海）"}, "code": {"east"}, "kind": {"branch"}}), "/admin/org")
	wantText(t, "renamed", a.get("/admin/org"), "华东分公司（上海）")
	r = a.post("/admin/org/"+root+"/delete", nil)
	if r.status != http.StatusUnprocessableEntity && r.status != http.StatusConflict {
		t.Errorf("delete root: status %d", r.status)
	}
	wantLocation(t, "delete", a.post("/admin/org/"+id+"/delete", nil), "/admin/org")
	// Read-only for an agent.
	ag := login(t, env, "agent", apptest.Password)
	view := ag.get("/admin/org")
	wantStatus(t, "agent views", view, http.StatusOK)
	if strings.Contains(view.body, `action="/admin/org"`) {
		t.Error("agent sees the create form")
	}
}

func testGroups(t *testing.T, env *apptest.Env) {
	a := login(t, env, "admin", apptest.Password)
	r := a.post("/admin/groups", url.Values{"name": {""}, "code": {"Bad Code"}, "tier": {"5"}})
	wantStatus(t, "invalid group", r, http.StatusUnprocessableEntity)
	wantText(t, "invalid group", r, "支持级别必须是一线、二线或三线", "编码只能包含")
	agent := strconv.FormatInt(env.IDs["agent"], 10)
	wantLocation(t, "create", a.post("/admin/groups", url.Values{"name": {"服务台"}, "code": {"desk"}, "tier": {"1"},
		"manager_id": {strconv.FormatInt(env.IDs["manager"], 10)}, "member_ids": {agent}}), "/admin/groups")
	list := a.get("/admin/groups")
	wantText(t, "listed", list, "服务台", "一线")
	editURL, _ := list.doc(t).Find(`a[href^="/admin/groups/"][href$="/edit"]`).First().Attr("href")
	edit := a.get(editURL)
	wantStatus(t, "edit", edit, http.StatusOK)
	if edit.doc(t).Find(`select[name="member_ids"] option[selected][value="`+agent+`"]`).Length() != 1 {
		t.Error("member not selected in the edit form")
	}
	id := strings.TrimSuffix(strings.TrimPrefix(editURL, "/admin/groups/"), "/edit")
	wantLocation(t, "delete", a.post("/admin/groups/"+id+"/delete", nil), "/admin/groups")
}

func testCustomRoles(t *testing.T, env *apptest.Env) {
	sec := login(t, env, "secadmin", apptest.Password)
	list := sec.get("/admin/roles")
	wantText(t, "roles list", list, "系统管理员", "查看审计日志", "内置")
	r := sec.post("/admin/roles", url.Values{"code": {"ops-lead"}, "name": {"运维主管"}, "perms": {"user.manage", "audit.read"}})
	wantStatus(t, "sod role", r, http.StatusUnprocessableEntity)
	wantText(t, "sod role", r, "违反三员分立")
	r = sec.post("/admin/roles", url.Values{"code": {"ops-lead"}, "name": {"运维主管"}, "name_en": {"Ops lead"}, "perms": {"user.read", "group.read"}})
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/roles/") {
		t.Fatalf("create role: %d %q", r.status, loc)
	}
	wantText(t, "role page", sec.get(loc), "运维主管", "查看用户", "/edit")
	// Built-in roles are read-only.
	var builtin string
	list.doc(t).Find(`a[href^="/admin/roles/"]`).Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), "安全审计员") {
			builtin, _ = s.Attr("href")
		}
	})
	wantStatus(t, "edit built-in", sec.get(builtin+"/edit"), http.StatusForbidden)
	wantLocation(t, "delete custom", sec.post(loc+"/delete", nil), "/admin/roles")
	wantStatus(t, "sysadmin defines", login(t, env, "admin", apptest.Password).get("/admin/roles/new"), http.StatusForbidden)
}

func testPolicy(t *testing.T, env *apptest.Env) {
	sec := login(t, env, "secadmin", apptest.Password)
	page := sec.get("/admin/policy")
	wantStatus(t, "policy", page, http.StatusOK)
	if v, _ := page.doc(t).Find(`input[name="min_length"]`).Attr("value"); v != "10" {
		t.Errorf("min_length shows %q", v)
	}
	r := sec.post("/admin/policy", url.Values{"min_length": {"4"}, "min_classes": {"3"}, "expiry_days": {"90"}, "history_count": {"5"},
		"lockout_threshold": {"5"}, "lockout_minutes": {"15"}, "session_idle_minutes": {"30"}, "session_max_hours": {"12"}, "token_max_days": {"365"}})
	wantStatus(t, "invalid policy", r, http.StatusUnprocessableEntity)
	wantText(t, "invalid policy", r, "超出允许范围", `value="4"`)
	wantLocation(t, "save", sec.post("/admin/policy", url.Values{"min_length": {"12"}, "min_classes": {"3"}, "expiry_days": {"90"}, "history_count": {"5"},
		"lockout_threshold": {"5"}, "lockout_minutes": {"15"}, "session_idle_minutes": {"30"}, "session_max_hours": {"12"}, "token_max_days": {"365"}}), "/admin/policy")
	wantText(t, "saved", sec.get("/admin/policy"), "安全策略已保存")
	wantText(t, "hint follows the policy", sec.get("/profile/password"), "密码至少 12 位")
	sec.post("/admin/policy", url.Values{"min_length": {"10"}, "min_classes": {"3"}, "expiry_days": {"90"}, "history_count": {"5"},
		"lockout_threshold": {"5"}, "lockout_minutes": {"15"}, "session_idle_minutes": {"30"}, "session_max_hours": {"12"}, "token_max_days": {"365"}})
}

func testAudit(t *testing.T, env *apptest.Env) {
	au := login(t, env, "auditor", apptest.Password)
	r := au.get("/audit?action=user.create")
	wantStatus(t, "audit", r, http.StatusOK)
	wantText(t, "audit", r, "创建用户", "export.csv?action=user.create")
	first, ok := r.doc(t).Find(`#audit-table tbody tr a[href^="/audit/"]`).First().Attr("href")
	if !ok {
		t.Fatal("no audit rows")
	}
	detail := au.get(first)
	wantStatus(t, "detail", detail, http.StatusOK)
	wantText(t, "detail", detail, "变更内容", "username", "本条哈希")
	wantStatus(t, "missing entry", au.get("/audit/99999999"), http.StatusNotFound)
	r = au.get("/audit?from=2026-13-45")
	wantStatus(t, "bad date", r, http.StatusUnprocessableEntity)
	wantText(t, "bad date", r, "日期格式应为")
	wantText(t, "denied filter", au.get("/audit?result=denied"), "拒绝")
	frag := au.get("/audit?action=auth.login", "HX-Request", "true", "HX-Target", "audit-table")
	if strings.Contains(frag.body, "<html") || !strings.Contains(frag.body, "登录") {
		t.Errorf("audit fragment: %.300s", frag.body)
	}
	csv := au.get("/audit/export.csv?action=user.")
	wantStatus(t, "csv", csv, http.StatusOK)
	if !strings.HasPrefix(csv.body, "\xEF\xBB\xBF") || !strings.Contains(csv.body, "user.create") || strings.Contains(csv.body, "auth.login") {
		t.Errorf("csv export: %.300q", csv.body)
	}
	if !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") || !strings.Contains(csv.header.Get("Content-Disposition"), "attachment") {
		t.Errorf("csv headers %v", csv.header)
	}
	wantText(t, "the export is itself audited", au.get("/audit?action=audit.export"), "export where action=user.")
	xlsx := au.get("/audit/export.xlsx")
	wantStatus(t, "xlsx", xlsx, http.StatusOK)
	if !strings.HasPrefix(xlsx.body, "PK") {
		t.Error("xlsx export is not a zip")
	}
	wantStatus(t, "export with a bad date", au.get("/audit/export.csv?to=yesterday"), http.StatusUnprocessableEntity)
	wantStatus(t, "secadmin reads the log", login(t, env, "secadmin", apptest.Password).get("/audit"), http.StatusForbidden)
}
