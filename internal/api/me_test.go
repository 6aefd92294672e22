package api_test

import (
	"strconv"
	"testing"
)

func TestMe(t *testing.T) {
	engines(t, func(r *run) {
		var tokens struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		r.getJSON(r.t, "sysadmin", "/me/tokens", &tokens)
		r.vars["admin.token"] = strconv.FormatInt(tokens.Items[0].ID, 10)
		r.scenarios([]scenario{
			{Name: "me", Method: "GET", Path: "/me", Role: "requester", Status: 200,
				Want:    []string{`"username":"requester"`, `"permissions":["ticket.submit"]`, `"roles":["requester"]`},
				NotWant: []string{"password_hash", "argon2", "totp_secret"}},
			{Name: "me with permissions", Method: "GET", Path: "/me", Role: "auditor", Status: 200,
				Want: []string{`"audit.read"`, `"audit.export"`}, NotWant: []string{`"user.manage"`}},
			{Name: "anonymous", Method: "GET", Path: "/me", Status: 401, Want: []string{`"kind":"unauthenticated"`}},
			{Name: "unknown token", Method: "GET", Path: "/me", Token: "odk_nope", Status: 401, Want: []string{`"kind":"unauthenticated"`}},
			{Name: "basic auth is no bearer", Method: "GET", Path: "/me", Header: map[string]string{"Authorization": "Basic YWRtaW46eA=="},
				Status: 401},
			{Name: "set locale", Method: "PATCH", Path: "/me", Role: "manager", Body: `{"locale":"en"}`, Status: 200,
				Want: []string{`"locale":"en"`}},
			{Name: "reset locale", Method: "PATCH", Path: "/me", Role: "manager", Body: `{"locale":""}`, Status: 200,
				Want: []string{`"locale":""`}},
			{Name: "unknown locale", Method: "PATCH", Path: "/me", Role: "manager", Body: `{"locale":"fr"}`, Status: 400,
				Want: []string{`"locale":`}},
			{Name: "locale missing", Method: "PATCH", Path: "/me", Role: "manager", Body: `{}`, Status: 400,
				Want: []string{`"locale":"必填"`}},
			{Name: "wrong old password", Method: "POST", Path: "/me/password", Role: "engineer",
				Body: `{"old_password":"nope","new_password":"Another@Pass2026"}`, Status: 422,
				Want: []string{`"old_password":"当前密码不正确"`}},
			{Name: "weak new password", Method: "POST", Path: "/me/password", Role: "engineer",
				Body: `{"old_password":"Opsdesk@2026!","new_password":"short"}`, Status: 422, Want: []string{`"new_password"`}},
			{Name: "change password", Method: "POST", Path: "/me/password", Role: "engineer",
				Body: `{"old_password":"Opsdesk@2026!","new_password":"Another@Pass2026"}`, Status: 204},
			{Name: "token still works after password change", Method: "GET", Path: "/me", Role: "engineer", Status: 200},
			{Name: "list tokens", Method: "GET", Path: "/me/tokens", Role: "agent", Status: 200,
				Want: []string{`"prefix":"odk_`, `"revoked_at":null`}, NotWant: []string{`"hash"`, `"secret"`}},
			{Name: "create token", Method: "POST", Path: "/me/tokens", Role: "agent", Body: `{"name":"ci","days":30}`,
				Status: 201, Want: []string{`"secret":"odk_`, `"name":"ci"`}},
			{Name: "token too long-lived", Method: "POST", Path: "/me/tokens", Role: "agent", Body: `{"name":"ci","days":5000}`,
				Status: 400, Want: []string{`"days":"超出允许范围"`}},
			{Name: "token over policy", Method: "POST", Path: "/me/tokens", Role: "agent", Body: `{"name":"ci","days":3000}`,
				Status: 422, Want: []string{`"days"`}},
			{Name: "token without name", Method: "POST", Path: "/me/tokens", Role: "agent", Body: `{"name":" ","days":3}`,
				Status: 422, Want: []string{`"name"`}},
			{Name: "revoke unknown token", Method: "DELETE", Path: "/me/tokens/999999", Role: "agent", Status: 404,
				Want: []string{`"kind":"not_found"`}},
			{Name: "revoke another user's token", Method: "DELETE", Path: "/me/tokens/{{admin.token}}", Role: "agent",
				Status: 404},
			{Name: "admin token untouched", Method: "GET", Path: "/me", Role: "sysadmin", Status: 200},
			{Name: "revoke own token", Method: "DELETE", Path: "/me/tokens/{{admin.token}}", Role: "sysadmin", Status: 204},
			{Name: "revoked token is refused", Method: "GET", Path: "/me", Role: "sysadmin", Status: 401},
		})
	})
}
