package app_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/iam"
	"opsdesk/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// accessCase is one route in the allow/deny table: which built-in roles may call it. Allowed roles
// must get neither 401 nor 403 (nor a 5xx); the others must get 403. Anonymous callers get 401 on the
// API and a redirect to the login page in the UI, unless Public is set.
type accessCase struct {
	Method string
	Path   string
	Body   string // form body (UI) or JSON (API); usually invalid, so that allowed calls change nothing
	Allow  []string
	Public bool // no login needed
}

// everyone lists all built-in roles.
var everyone = func() []string {
	var out []string
	for _, r := range iam.BuiltinRoles {
		out = append(out, r.Code)
	}
	return out
}()

// TestAccessTable walks every route of the UI and the API with every built-in role and checks
// allow/deny against one table (webAccess and apiAccess, in access_web_test.go and
// access_api_test.go).
func TestAccessTable(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine)
			clients := map[string]*http.Client{}
			for role, name := range env.Users {
				clients[role] = loginClient(t, env.URL, name)
			}
			anon := &http.Client{CheckRedirect: noRedirect}
			run := func(kind string, cases []accessCase) {
				for _, c := range cases {
					for _, role := range everyone {
						var status int
						if kind == "api" {
							status = do(t, anon, c.Method, env.URL+c.Path, c.Body, "application/json", env.Tokens[role])
						} else {
							status = do(t, clients[role], c.Method, env.URL+c.Path, c.Body, "application/x-www-form-urlencoded", "")
						}
						allowed := c.Public || slices.Contains(c.Allow, role)
						switch {
						case status >= 500:
							t.Errorf("%s %s %s as %s: status %d", kind, c.Method, c.Path, role, status)
						case allowed && (status == 401 || status == 403):
							t.Errorf("%s %s %s as %s: denied (%d), want allowed", kind, c.Method, c.Path, role, status)
						case !allowed && status != 403:
							t.Errorf("%s %s %s as %s: status %d, want 403", kind, c.Method, c.Path, role, status)
						}
					}
					if c.Public {
						continue
					}
					status := do(t, anon, c.Method, env.URL+c.Path, c.Body, "application/x-www-form-urlencoded", "")
					want := http.StatusSeeOther
					if kind == "api" {
						want = http.StatusUnauthorized
					}
					if status != want {
						t.Errorf("%s %s %s anonymous: status %d, want %d", kind, c.Method, c.Path, status, want)
					}
				}
			}
			run("web", webAccess(env))
			run("api", apiAccess(env))
		})
	}
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// loginClient signs in through the login form and returns a client carrying the session cookie.
func loginClient(t *testing.T, base, username string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: noRedirect}
	resp, err := c.PostForm(base+"/login", url.Values{"username": {username}, "password": {apptest.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login as %s: status %d", username, resp.StatusCode)
	}
	return c
}

func do(t *testing.T, c *http.Client, method, u, body, ctype, token string) int {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
