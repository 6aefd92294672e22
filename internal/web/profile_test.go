package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"opsdesk/internal/app/apptest"
)

func userPath(id int64) string { return "/admin/users/" + strconv.FormatInt(id, 10) }

func testTOTP(t *testing.T, env *apptest.Env) {
	c := login(t, env, "engineer", apptest.Password)
	wantText(t, "totp page", c.get("/profile/totp"), `action="/profile/totp/begin"`)
	r := c.post("/profile/totp/begin", nil)
	wantStatus(t, "begin", r, http.StatusOK)
	d := r.doc(t)
	if src, _ := d.Find(".qr img").Attr("src"); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Fatalf("QR image src %.40q", src)
	}
	secret := strings.TrimSpace(d.Find("code.secret").Text())
	if secret == "" {
		t.Fatal("no secret on the enrolment page")
	}
	r = c.post("/profile/totp/confirm", url.Values{"code": {"000000"}})
	wantStatus(t, "wrong confirmation code", r, http.StatusUnprocessableEntity)
	wantText(t, "wrong confirmation code", r, "动态验证码不正确")
	code, _ := totp.GenerateCode(secret, time.Now())
	wantLocation(t, "confirm", c.post("/profile/totp/confirm", url.Values{"code": {code}}), "/profile/totp")
	wantText(t, "enabled", c.get("/profile/totp"), "已启用")
	c.post("/logout", nil)

	// Next sign-in: the password alone is not enough.
	c = newClient(t, env)
	wantLocation(t, "password accepted", c.post("/login", url.Values{"username": {"engineer"}, "password": {apptest.Password}}), "/login/totp")
	wantLocation(t, "home before the code", c.get("/"), "/login/totp")
	wantLocation(t, "admin page before the code", c.get("/admin/users"), "/login/totp")
	step := c.get("/login/totp")
	wantStatus(t, "totp step", step, http.StatusOK)
	if step.doc(t).Find("nav#main-nav").Length() != 0 {
		t.Error("navigation shown before the second factor")
	}
	r = c.post("/login/totp", url.Values{"code": {"123456"}})
	wantStatus(t, "wrong code", r, http.StatusUnauthorized)
	wantText(t, "wrong code", r, "动态验证码不正确")
	// The confirmation used the current step; the next one is still accepted.
	code, _ = totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	wantLocation(t, "right code", c.post("/login/totp", url.Values{"code": {code}}), "/")
	wantStatus(t, "home", c.get("/"), http.StatusOK)
	wantLocation(t, "totp step when done", c.get("/login/totp"), "/")

	// Turning it off needs the password.
	r = c.post("/profile/totp/disable", url.Values{"password": {"wrong"}})
	wantStatus(t, "disable with a wrong password", r, http.StatusUnprocessableEntity)
	wantLocation(t, "disable", c.post("/profile/totp/disable", url.Values{"password": {apptest.Password}}), "/profile/totp")
}

func testLanguage(t *testing.T, env *apptest.Env) {
	c := newClient(t, env)
	r := c.post("/lang", url.Values{"lang": {"en"}}, "Referer", env.URL+"/login?next=%2Fadmin")
	wantLocation(t, "switch", r, "/login?next=%2Fadmin")
	if ck := c.cookie("lang"); ck == nil || ck.Value != "en" {
		t.Fatalf("lang cookie %+v", ck)
	}
	r = c.get("/login")
	wantText(t, "English login", r, "Sign in", `lang="en"`)
	if strings.Contains(r.body, "用户名") {
		t.Error("Chinese label on the English page")
	}
	wantLocation(t, "foreign referer", c.post("/lang", url.Values{"lang": {"zh-CN"}}, "Referer", "http://evil.example/x"), "/")
	wantText(t, "Chinese again", c.get("/login"), "用户名")
	wantStatus(t, "unknown language", c.post("/lang", url.Values{"lang": {"fr"}}), http.StatusUnprocessableEntity)

	// Accept-Language picks English for a visitor without a cookie.
	wantText(t, "Accept-Language", newClient(t, env).get("/login", "Accept-Language", "en-US,en;q=0.9"), "Sign in")

	// A signed-in user's choice is stored with the account and follows them to a new browser.
	m := login(t, env, "manager", apptest.Password)
	wantLocation(t, "switch signed in", m.post("/lang", url.Values{"lang": {"en"}}, "Referer", env.URL+"/profile"), "/profile")
	fresh := login(t, env, "manager", apptest.Password)
	wantText(t, "stored locale", fresh.get("/"), "Hello", "Sign out")
	m.post("/lang", url.Values{"lang": {"zh-CN"}})
	wantText(t, "back to Chinese", fresh.get("/"), "您好")
}

func testCSRF(t *testing.T, env *apptest.Env) {
	c := login(t, env, "admin", apptest.Password)
	r := c.post("/admin/org", url.Values{"name": {"跨站"}, "parent_id": {"1"}, "kind": {"dept"}},
		"Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site")
	wantStatus(t, "cross-site form post", r, http.StatusForbidden)
	r = newClient(t, env).post("/login", url.Values{"username": {"admin"}, "password": {apptest.Password}},
		"Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site")
	wantStatus(t, "cross-site login", r, http.StatusForbidden)
	if strings.Contains(c.get("/admin/org").body, "跨站") {
		t.Error("the cross-site post created a unit")
	}
}

func testStatic(t *testing.T, env *apptest.Env) {
	c := newClient(t, env)
	d := c.get("/login").doc(t)
	css, _ := d.Find(`link[rel="stylesheet"]`).Attr("href")
	js, _ := d.Find(`script[src*="htmx"]`).Attr("src")
	for _, u := range []string{css, js} {
		if !strings.HasPrefix(u, "/static/") {
			t.Fatalf("asset URL %q", u)
		}
		r := c.get(u)
		wantStatus(t, u, r, http.StatusOK)
		if cc := r.header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", u, cc)
		}
	}
	if ct := c.get(css).header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("css content type %q", ct)
	}
	wantStatus(t, "stale hash", c.get("/static/00000000/app.css"), http.StatusNotFound)
	wantStatus(t, "unknown file", c.get("/static/00000000/nope.js"), http.StatusNotFound)
}

func testForbidden(t *testing.T, env *apptest.Env) {
	c := login(t, env, "requester", apptest.Password)
	r := c.get("/admin/users")
	wantStatus(t, "requester on users", r, http.StatusForbidden)
	wantText(t, "forbidden page", r, "无权访问", "您没有执行此操作的权限", `id="logout"`)
	r = c.get("/admin/users", "HX-Request", "true", "HX-Target", "user-table")
	wantStatus(t, "htmx forbidden", r, http.StatusForbidden)
	if strings.Contains(r.body, "<html") || !strings.Contains(r.body, `class="alert alert-error"`) {
		t.Errorf("htmx error is not an alert fragment: %s", r.body)
	}
	if r.header.Get("HX-Retarget") != "#alerts" {
		t.Errorf("HX-Retarget %q", r.header.Get("HX-Retarget"))
	}
	// The admin's menu does not offer what the service would refuse (三员分立).
	a := login(t, env, "admin", apptest.Password)
	wantStatus(t, "sysadmin on audit", a.get("/audit"), http.StatusForbidden)
	wantStatus(t, "sysadmin on policy", a.get("/admin/policy"), http.StatusForbidden)
	// Anonymous htmx requests are sent to the login page as a whole.
	r = newClient(t, env).get("/admin/users?q=x", "HX-Request", "true")
	if r.header.Get("HX-Redirect") == "" {
		t.Errorf("anonymous htmx: no HX-Redirect (status %d)", r.status)
	}
}

func testNotFound(t *testing.T, env *apptest.Env) {
	c := login(t, env, "admin", apptest.Password)
	for _, p := range []string{"/admin/users/abc", "/admin/users/-1", "/admin/users/99999999", "/admin/users/99999999999999999999999",
		"/admin/org/abc/edit", "/admin/groups/0/edit", "/no/such/page", "/setup"} {
		r := c.get(p)
		wantStatus(t, p, r, http.StatusNotFound)
		wantText(t, p, r, "页面不存在")
	}
	wantStatus(t, "bad id post", c.post("/admin/users/x/disable", nil), http.StatusNotFound)
}

func testMustChangePassword(t *testing.T, env *apptest.Env) {
	a := login(t, env, "admin", apptest.Password)
	id := createUser(t, a, "liming", "李明")
	c := newClient(t, env)
	wantLocation(t, "first login", c.post("/login", url.Values{"username": {"liming"}, "password": {"Initial#2026pw"}}), "/profile/password")
	wantLocation(t, "home first", c.get("/"), "/profile/password")
	r := c.get("/profile/password")
	wantStatus(t, "password page", r, http.StatusOK)
	wantText(t, "password page", r, "请先设置新密码", "密码至少 10 位")
	r = c.post("/profile/password", url.Values{"old_password": {"Initial#2026pw"}, "new_password": {"Better#2026pw"}, "confirm_password": {"Other#2026pw"}})
	wantStatus(t, "mismatch", r, http.StatusUnprocessableEntity)
	wantText(t, "mismatch", r, "两次输入的密码不一致")
	r = c.post("/profile/password", url.Values{"old_password": {"Initial#2026pw"}, "new_password": {"short"}, "confirm_password": {"short"}})
	wantStatus(t, "weak", r, http.StatusUnprocessableEntity)
	wantText(t, "weak", r, "密码长度不足")
	wantLocation(t, "change", c.post("/profile/password", url.Values{"old_password": {"Initial#2026pw"}, "new_password": {"Better#2026pw"}, "confirm_password": {"Better#2026pw"}}), "/profile")
	wantStatus(t, "home after change", c.get("/"), http.StatusOK)
	// The administrator resets it: the user must change it again.
	r = a.post(userPath(id)+"/password", url.Values{"password": {"x"}})
	wantStatus(t, "weak reset", r, http.StatusUnprocessableEntity)
	wantLocation(t, "reset", a.post(userPath(id)+"/password", url.Values{"password": {"Reset#2026pwd"}}), userPath(id))
	wantLocation(t, "session ended by reset", c.get("/"), "/login")
}

func testTokens(t *testing.T, env *apptest.Env) {
	c := login(t, env, "agent", apptest.Password)
	r := c.post("/profile/tokens", url.Values{"name": {""}, "days": {"30"}})
	wantStatus(t, "no name", r, http.StatusUnprocessableEntity)
	wantText(t, "no name", r, "必填")
	r = c.post("/profile/tokens", url.Values{"name": {"脚本"}, "days": {"abc"}})
	wantStatus(t, "bad days", r, http.StatusUnprocessableEntity)
	wantText(t, "bad days", r, "请输入整数")
	r = c.post("/profile/tokens", url.Values{"name": {"巡检脚本"}, "days": {"30"}})
	wantStatus(t, "create", r, http.StatusOK)
	secret := strings.TrimSpace(r.doc(t).Find("#token-secret").Text())
	if !strings.HasPrefix(secret, "odk_") {
		t.Fatalf("secret %q", secret)
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("secret page Cache-Control %q", cc)
	}
	list := c.get("/profile/tokens")
	if strings.Contains(list.body, secret) {
		t.Error("the secret is shown again")
	}
	action, ok := list.doc(t).Find(`form[action$="/revoke"]`).Last().Attr("action")
	if !ok {
		t.Fatal("no revoke form")
	}
	wantLocation(t, "revoke", c.post(action, nil), "/profile/tokens")
	wantText(t, "revoked", c.get("/profile/tokens"), "已吊销")
	// Someone else's token does not exist for this user.
	other := login(t, env, "manager", apptest.Password)
	wantStatus(t, "revoke another's token", other.post(action, nil), http.StatusNotFound)
}
