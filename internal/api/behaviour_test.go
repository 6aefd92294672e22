package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestOptimisticLocking: two editors read the same version; the second save is refused with 409 and
// leaves the first editor's change in place.
func TestOptimisticLocking(t *testing.T) {
	engines(t, func(r *run) {
		path := "/users/" + r.vars["id:requester"]
		var u struct{ Version int }
		h := r.getJSON(r.t, "sysadmin", path, &u)
		if h.Get("ETag") != `"`+strconv.Itoa(u.Version)+`"` {
			t.Fatalf("ETag %q for version %d", h.Get("ETag"), u.Version)
		}
		seen := map[string]string{"If-Match": h.Get("ETag")}
		resp, body := r.do(r.t, "PATCH", path, "sysadmin", "", `{"post":"第一位编辑"}`, seen)
		if resp.StatusCode != 200 || resp.Header.Get("ETag") != `"`+strconv.Itoa(u.Version+1)+`"` {
			t.Fatalf("first save: %d %v %s", resp.StatusCode, resp.Header, body)
		}
		resp, body = r.do(r.t, "PATCH", path, "sysadmin", "", `{"post":"第二位编辑"}`, seen)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(string(body), `"kind":"conflict"`) {
			t.Fatalf("second save: %d %s", resp.StatusCode, body)
		}
		resp, _ = r.do(r.t, "PATCH", path, "sysadmin", "", `{"post":"第二位编辑","version":`+strconv.Itoa(u.Version)+`}`, nil)
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("stale body version: %d", resp.StatusCode)
		}
		var after struct{ Post string }
		r.getJSON(r.t, "sysadmin", path, &after)
		if after.Post != "第一位编辑" {
			t.Fatalf("post %q", after.Post)
		}
	})
}

// TestDisabledUserToken: disabling an account revokes its tokens at once, and they stay revoked after
// the account is enabled again.
func TestDisabledUserToken(t *testing.T) {
	engines(t, func(r *run) {
		r.scenarios([]scenario{
			{Name: "works", Method: "GET", Path: "/me", Role: "engineer", Status: 200},
			{Name: "disable", Method: "POST", Path: "/users/{{id:engineer}}/disable", Role: "sysadmin", Status: 204},
			{Name: "refused", Method: "GET", Path: "/me", Role: "engineer", Status: 401,
				Want: []string{`"kind":"unauthenticated"`, "API 令牌无效"}},
			{Name: "enable", Method: "POST", Path: "/users/{{id:engineer}}/enable", Role: "sysadmin", Status: 204},
			{Name: "still refused", Method: "GET", Path: "/me", Role: "engineer", Status: 401},
		})
		resp, _ := r.do(r.t, "GET", "/me", "engineer", "", "", nil)
		if got := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Errorf("WWW-Authenticate %q", got)
		}
	})
}

// TestLanguage: messages are Chinese by default, English with Accept-Language: en, and the user's
// own choice wins over the header.
func TestLanguage(t *testing.T) {
	en := map[string]string{"Accept-Language": "en-US,en;q=0.9"}
	engines(t, func(r *run) {
		r.scenarios([]scenario{
			{Name: "zh forbidden", Method: "GET", Path: "/users", Role: "requester", Status: 403, Want: []string{"您没有执行此操作的权限"}},
			{Name: "en forbidden", Method: "GET", Path: "/users", Role: "requester", Header: en, Status: 403,
				Want: []string{"You are not allowed to do this."}},
			{Name: "zh anonymous", Method: "GET", Path: "/me", Status: 401, Want: []string{"请先登录"}},
			{Name: "en anonymous", Method: "GET", Path: "/me", Header: en, Status: 401, Want: []string{`"message":"`}, NotWant: []string{"请先登录"}},
			{Name: "en fields", Method: "POST", Path: "/me/tokens", Role: "agent", Header: en, Body: `{"name":1,"days":0,"x":1}`,
				Status: 400, Want: []string{`"name":"Wrong type"`, `"x":"`}, NotWant: []string{"类型不正确"}},
			{Name: "en rule", Method: "POST", Path: "/me/password", Role: "agent", Header: en,
				Body: `{"old_password":"nope","new_password":"Another@Pass2026"}`, Status: 422, NotWant: []string{"当前密码不正确"}},
			{Name: "en not found", Method: "GET", Path: "/users/999999", Role: "agent", Header: en, Status: 404, NotWant: []string{"未找到"}},
			{Name: "user chooses en", Method: "PATCH", Path: "/me", Role: "vendor", Body: `{"locale":"en"}`, Status: 200},
			{Name: "choice beats header", Method: "GET", Path: "/users", Role: "vendor",
				Header: map[string]string{"Accept-Language": "zh-CN"}, Status: 403, Want: []string{"You are not allowed"}},
		})
	})
}
