package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// client is a browser stand-in: a cookie jar, no automatic redirects.
type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newClient(t *testing.T, env *apptest.Env) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: env.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login signs in through the form and fails the test unless it is accepted.
func login(t *testing.T, env *apptest.Env, username, password string) *client {
	t.Helper()
	c := newClient(t, env)
	res := c.post("/login", url.Values{"username": {username}, "password": {password}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("login %s: status %d\n%s", username, res.status, res.body)
	}
	return c
}

// response is what a test looks at.
type response struct {
	status int
	header http.Header
	body   string
}

func (r response) doc(t *testing.T) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (c *client) do(method, path string, body io.Reader, hdr ...string) response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (c *client) get(path string, hdr ...string) response {
	return c.do(http.MethodGet, path, nil, hdr...)
}

func (c *client) post(path string, form url.Values, hdr ...string) response {
	return c.do(http.MethodPost, path, strings.NewReader(form.Encode()), hdr...)
}

func (c *client) cookie(name string) *http.Cookie {
	u, _ := url.Parse(c.base)
	for _, ck := range c.c.Jar.Cookies(u) {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

func wantStatus(t *testing.T, what string, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("%s: status %d, want %d\n%.2000s", what, r.status, want, r.body)
	}
}

func wantLocation(t *testing.T, what string, r response, want string) {
	t.Helper()
	if r.status != http.StatusSeeOther || r.header.Get("Location") != want {
		t.Fatalf("%s: status %d location %q, want 303 %q\n%.1000s", what, r.status, r.header.Get("Location"), want, r.body)
	}
}

func wantText(t *testing.T, what string, r response, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(r.body, s) {
			t.Errorf("%s: body lacks %q\n%.3000s", what, s, r.body)
		}
	}
}

// TestWeb runs the UI scenarios on every configured engine, one app per engine.
func TestWeb(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine)
			for _, s := range scenarios {
				t.Run(s.name, func(t *testing.T) { s.fn(t, env) })
			}
		})
	}
}

var scenarios = []struct {
	name string
	fn   func(t *testing.T, env *apptest.Env)
}{
	{"login page", testLoginPage},
	{"login and logout", testLoginLogout},
	{"login failure", testLoginFailure},
	{"lock-out", testLockout},
	{"next after login", testNext},
	{"totp step", testTOTP},
	{"language switch", testLanguage},
	{"csrf", testCSRF},
	{"static files", testStatic},
	{"forbidden", testForbidden},
	{"not found", testNotFound},
	{"must change password", testMustChangePassword},
	{"tokens", testTokens},
	{"create user", testCreateUser},
	{"disable user", testDisableUser},
	{"escaping", testEscaping},
	{"user search fragment", testUserSearch},
	{"roles and sod", testRoles},
	{"org tree", testOrg},
	{"groups", testGroups},
	{"custom roles", testCustomRoles},
	{"policy", testPolicy},
	{"audit", testAudit},
}

func testLoginPage(t *testing.T, env *apptest.Env) {
	c := newClient(t, env)
	r := c.get("/login")
	wantStatus(t, "GET /login", r, http.StatusOK)
	d := r.doc(t)
	if title := d.Find("title").Text(); !strings.Contains(title, "登录") {
		t.Errorf("title %q", title)
	}
	if d.Find(`html[lang="zh-CN"]`).Length() != 1 {
		t.Error("page is not zh-CN")
	}
	form := d.Find(`form[method="post"][action="/login"]`)
	for _, sel := range []string{`input[name="username"]`, `input[name="password"][type="password"]`, `button[type="submit"]`} {
		if form.Find(sel).Length() != 1 {
			t.Errorf("login form lacks %s", sel)
		}
	}
	for _, sel := range []string{`form[action="/lang"] button#lang-en[name="lang"][value="en"]`, `form[action="/lang"] button#lang-zh[value="zh-CN"]`} {
		if d.Find(sel).Length() != 1 {
			t.Errorf("language switch lacks %s", sel)
		}
	}
	if d.Find("#logout").Length() != 0 {
		t.Error("logout button shown to an anonymous visitor")
	}
	if d.Find("script:not([src])").Length() != 0 || d.Find("[style]").Length() != 0 || d.Find("style").Length() != 0 {
		t.Error("inline script or style: the CSP forbids it")
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP header %q", csp)
	}
}

func testLoginLogout(t *testing.T, env *apptest.Env) {
	c := newClient(t, env)
	r := c.post("/login", url.Values{"username": {"admin"}, "password": {apptest.Password}})
	wantLocation(t, "login", r, "/")
	var sess *http.Cookie
	for _, ck := range (&http.Response{Header: r.header}).Cookies() {
		if ck.Name == "opsdesk_session" {
			sess = ck
		}
	}
	if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.Path != "/" || sess.Value == "" {
		t.Fatalf("session cookie %+v", sess)
	}
	home := c.get("/")
	wantStatus(t, "home", home, http.StatusOK)
	d := home.doc(t)
	if d.Find(`form[method="post"][action="/logout"] button#logout`).Length() != 1 {
		t.Error("no logout button")
	}
	wantText(t, "home", home, "系统管理员", `href="/admin/users"`, `href="/admin/org"`)
	if strings.Contains(home.body, `href="/audit"`) {
		t.Error("the system administrator sees the audit log link (三员分立)")
	}
	wantLocation(t, "logout", c.post("/logout", nil), "/login")
	// The old cookie no longer opens a session.
	stale := newClient(t, env)
	u, _ := url.Parse(env.URL)
	stale.c.Jar.SetCookies(u, []*http.Cookie{{Name: "opsdesk_session", Value: sess.Value, Path: "/"}})
	wantLocation(t, "after logout", stale.get("/"), "/login")
	wantLocation(t, "after logout, deep link", stale.get("/admin/users?q=a"), "/login?next=%2Fadmin%2Fusers%3Fq%3Da")
}

func testLoginFailure(t *testing.T, env *apptest.Env) {
	c := newClient(t, env)
	r := c.post("/login", url.Values{"username": {"manager"}, "password": {"wrong"}})
	wantStatus(t, "wrong password", r, http.StatusUnauthorized)
	wantText(t, "wrong password", r, "用户名或密码错误", `value="manager"`)
	if c.cookie("opsdesk_session") != nil {
		t.Error("a failed login set a session cookie")
	}
	r = c.post("/login", url.Values{"username": {"nobody"}, "password": {"wrong"}})
	wantStatus(t, "unknown user", r, http.StatusUnauthorized)
	wantText(t, "unknown user", r, "用户名或密码错误")
}

func testLockout(t *testing.T, env *apptest.Env) {
	c := newClient(t, env)
	var r response
	for i := 0; i < 5; i++ {
		r = c.post("/login", url.Values{"username": {"vendor"}, "password": {"wrong"}})
	}
	wantStatus(t, "fifth failure", r, http.StatusTooManyRequests)
	wantText(t, "fifth failure", r, "账号已临时锁定")
	r = c.post("/login", url.Values{"username": {"vendor"}, "password": {apptest.Password}})
	wantStatus(t, "right password while locked", r, http.StatusTooManyRequests)
	// The security administrator lifts it.
	sec := login(t, env, "secadmin", apptest.Password)
	id := env.IDs["vendor"]
	show := sec.get(userPath(id))
	wantText(t, "locked user", show, "已锁定", "/unlock")
	wantLocation(t, "unlock", sec.post(userPath(id)+"/unlock", nil), userPath(id))
	login(t, env, "vendor", apptest.Password)
}

func testNext(t *testing.T, env *apptest.Env) {
	c := newClient(t, env)
	r := c.get("/login?next=%2Fadmin%2Fgroups")
	wantText(t, "next kept", r, `name="next" value="/admin/groups"`)
	wantLocation(t, "login with next", c.post("/login", url.Values{"username": {"admin"}, "password": {apptest.Password}, "next": {"/admin/groups"}}), "/admin/groups")
	c = newClient(t, env)
	wantLocation(t, "login with foreign next", c.post("/login", url.Values{"username": {"admin"}, "password": {apptest.Password}, "next": {"//evil.example/"}}), "/")
}
