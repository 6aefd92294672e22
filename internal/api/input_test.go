package api_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestBadInput sends what a careless or hostile client might: every case must be refused with 400,
// 405, 413 or 422 in the error shape, and nothing may be stored (the user count stays the same).
func TestBadInput(t *testing.T) {
	engines(t, func(r *run) {
		user := func(name string) string {
			return `{"username":"wangwu","name":` + name + `,"org_unit_id":{{root}},"password":"Wang@Wu2026!!"}`
		}
		r.scenarios([]scenario{
			{Name: "malformed JSON", Method: "POST", Path: "/users", Role: "sysadmin", Body: `{"username":`, Status: 400,
				Want: []string{`"kind":"invalid"`, "请求体不是有效的 JSON"}},
			{Name: "trailing garbage", Method: "POST", Path: "/users", Role: "sysadmin", Body: user(`"王五"`) + `}`, Status: 400},
			{Name: "array instead of object", Method: "POST", Path: "/users", Role: "sysadmin", Body: `[1,2]`, Status: 400},
			{Name: "null body", Method: "POST", Path: "/users", Role: "sysadmin", Body: `null`, Status: 400},
			{Name: "empty body", Method: "POST", Path: "/users", Role: "sysadmin", Body: ``, Status: 400},
			{Name: "wrong type", Method: "POST", Path: "/users", Role: "sysadmin", Body: user(`42`), Status: 400,
				Want: []string{`"name":"类型不正确"`}},
			{Name: "id as string", Method: "POST", Path: "/users", Role: "sysadmin", Status: 400,
				Body: `{"username":"wangwu","name":"王五","org_unit_id":"1","password":"Wang@Wu2026!!"}`, Want: []string{`"org_unit_id"`}},
			{Name: "id beyond int64", Method: "POST", Path: "/users", Role: "sysadmin", Status: 400,
				Body: `{"username":"wangwu","name":"王五","org_unit_id":99999999999999999999,"password":"Wang@Wu2026!!"}`},
			{Name: "fractional id", Method: "POST", Path: "/users", Role: "sysadmin", Status: 400,
				Body: `{"username":"wangwu","name":"王五","org_unit_id":1.5,"password":"Wang@Wu2026!!"}`},
			{Name: "unknown field", Method: "POST", Path: "/users", Role: "sysadmin", Status: 400,
				Body: `{"username":"wangwu","name":"王五","org_unit_id":{{root}},"password":"Wang@Wu2026!!","is_admin":true}`,
				Want: []string{`"is_admin":"包含未知字段"`}},
			{Name: "smuggled password hash", Method: "PATCH", Path: "/users/{{id:requester}}", Role: "sysadmin", Status: 400,
				Body: `{"password_hash":"x","version":1}`, Want: []string{`"password_hash"`}},
			{Name: "over-long string", Method: "POST", Path: "/users", Role: "sysadmin", Body: user(`"` + strings.Repeat("长", 65) + `"`),
				Status: 400, Want: []string{`"name":"内容过长"`}},
			{Name: "invalid UTF-8", Method: "POST", Path: "/users", Role: "sysadmin", Body: user("\"\xff\xfe\""), Status: 400,
				Want: []string{"包含无效的字符编码"}},
			{Name: "NUL character", Method: "POST", Path: "/users", Role: "sysadmin", Body: user(`"a\u0000b"`), Status: 400,
				Want: []string{`"name"`}},
			{Name: "control character", Method: "POST", Path: "/users", Role: "sysadmin", Body: user(`"a\u0007b"`), Status: 422,
				Want: []string{`"name":"包含不允许的控制字符"`}},
			{Name: "several problems at once", Method: "POST", Path: "/users", Role: "sysadmin", Status: 400,
				Body: `{"username":1,"name":true,"extra":0}`,
				Want: []string{`"username":"类型不正确"`, `"name":"类型不正确"`, `"extra":"包含未知字段"`, `"password":"必填"`}},
			{Name: "body too large", Method: "POST", Path: "/users", Role: "sysadmin", Status: 413,
				Body: user(`"` + strings.Repeat("x", 1<<20) + `"`), Want: []string{"请求体过大"}},
			{Name: "wrong content type", Method: "POST", Path: "/users", Role: "sysadmin", Body: user(`"王五"`),
				Header: map[string]string{"Content-Type": "text/plain"}, Status: 400, Want: []string{"Content-Type"}},
			{Name: "path id not a number", Method: "GET", Path: "/users/abc", Role: "sysadmin", Status: 400, Want: []string{`"id"`}},
			{Name: "path id zero", Method: "GET", Path: "/users/0", Role: "sysadmin", Status: 400, Want: []string{`"id"`}},
			{Name: "path id huge", Method: "GET", Path: "/users/99999999999999999999", Role: "sysadmin", Status: 400},
			{Name: "query not UTF-8", Method: "GET", Path: "/users?q=%ff", Role: "sysadmin", Status: 400, Want: []string{`"q"`}},
			{Name: "query NUL", Method: "GET", Path: "/users?q=a%00b", Role: "sysadmin", Status: 400},
			{Name: "query boolean", Method: "GET", Path: "/users?disabled=perhaps", Role: "sysadmin", Status: 400,
				Want: []string{`"disabled"`}},
			{Name: "wrong method", Method: "DELETE", Path: "/me", Role: "sysadmin", Status: 405, Want: []string{"不支持此请求方法"}},
			{Name: "unknown route", Method: "GET", Path: "/nothing", Role: "sysadmin", Status: 404, Want: []string{"没有这个接口"}},
			{Name: "nothing stored", Method: "GET", Path: "/users", Role: "sysadmin", Status: 200, Want: []string{`"total":8`}},
			{Name: "script stored as text", Method: "POST", Path: "/users", Role: "sysadmin", Capture: "xss", Status: 201,
				Body: `{"username":"xss","name":"<script>alert(1)</script>","post":"<img src=x onerror=alert(1)>",
					"org_unit_id":{{root}},"password":"Safe@Payload2026"}`,
				Want: []string{`"name":"\u003cscript\u003ealert(1)\u003c/script\u003e"`}, NotWant: []string{"<script>", "<img"}},
			{Name: "script returned escaped", Method: "GET", Path: "/users/{{xss}}", Role: "sysadmin", Status: 200,
				Want: []string{`\u003cscript\u003e`, `\u003cimg src=x onerror=alert(1)\u003e`}, NotWant: []string{"<script>"}},
			{Name: "SQL stored as text", Method: "POST", Path: "/users", Role: "sysadmin", Capture: "sqli", Status: 201,
				Body: `{"username":"sqli","name":"x'); DROP TABLE users; --","post":"' OR '1'='1",
					"org_unit_id":{{root}},"password":"Safe@Payload2027"}`},
			{Name: "SQL in search", Method: "GET", Path: "/users?q=%27%20OR%20%271%27%3D%271", Role: "sysadmin", Status: 200,
				Want: []string{`"total":0`}},
			{Name: "LIKE wildcards are literal", Method: "GET", Path: "/users?q=%25", Role: "sysadmin", Status: 200,
				Want: []string{`"total":0`}},
			{Name: "table still there", Method: "GET", Path: "/users", Role: "sysadmin", Status: 200, Want: []string{`"total":10`}},
		})
		t.Run("payloads round-trip", func(t *testing.T) {
			var u struct{ Name, Post string }
			r.getJSON(t, "sysadmin", "/users/"+r.vars["sqli"], &u)
			if u.Name != "x'); DROP TABLE users; --" || u.Post != "' OR '1'='1" {
				t.Errorf("got %q, %q", u.Name, u.Post)
			}
			r.getJSON(t, "sysadmin", "/users/"+r.vars["xss"], &u)
			if u.Name != "<script>alert(1)</script>" {
				t.Errorf("got %q", u.Name)
			}
		})
		t.Run("error shape", func(t *testing.T) {
			_, body := r.do(t, "POST", "/org-units", "sysadmin", "", `{"name":1}`, nil)
			var e struct {
				Error struct {
					Kind, Message string
					Fields        map[string]string
				}
			}
			if err := json.Unmarshal(body, &e); err != nil || e.Error.Kind != "invalid" || e.Error.Message == "" ||
				e.Error.Fields["name"] == "" || e.Error.Fields["parent_id"] == "" || e.Error.Fields["kind"] == "" {
				t.Fatalf("%v %s", err, body)
			}
		})
	})
}
