package api_test

import (
	"strconv"
	"testing"
)

func TestRoles(t *testing.T) {
	engines(t, func(r *run) {
		var roles struct {
			Items []struct {
				ID   int64  `json:"id"`
				Code string `json:"code"`
			} `json:"items"`
		}
		r.getJSON(r.t, "auditor", "/roles", &roles)
		for _, x := range roles.Items {
			r.vars["role:"+x.Code] = strconv.FormatInt(x.ID, 10)
		}
		r.scenarios([]scenario{
			{Name: "list", Method: "GET", Path: "/roles", Role: "sysadmin", Status: 200,
				Want: []string{`"code":"secadmin"`, `"builtin":true`, `"name_en":"Auditor"`}},
			{Name: "list denied", Method: "GET", Path: "/roles", Role: "agent", Status: 403},
			{Name: "permissions", Method: "GET", Path: "/permissions", Role: "secadmin", Status: 200,
				Want: []string{`"user.manage_admins"`, `"audit.export"`}},
			{Name: "permissions denied", Method: "GET", Path: "/permissions", Role: "manager", Status: 403},
			{Name: "create", Method: "POST", Path: "/roles", Role: "secadmin", Status: 201, Capture: "kb",
				Body: `{"code":"kb_editor","name":"知识编辑","name_en":"KB editor","permissions":["org.read","group.read"]}`,
				Want: []string{`"code":"kb_editor"`, `"builtin":false`, `"permissions":["group.read","org.read"]`}},
			{Name: "unknown permission", Method: "POST", Path: "/roles", Role: "secadmin", Status: 422,
				Body: `{"code":"x1","name":"x","permissions":["nothing.here"]}`, Want: []string{`"perms"`}},
			{Name: "malformed permission", Method: "POST", Path: "/roles", Role: "secadmin", Status: 400,
				Body: `{"code":"x1","name":"x","permissions":["DROP TABLE"]}`, Want: []string{`"permissions`}},
			{Name: "duties together", Method: "POST", Path: "/roles", Role: "secadmin", Status: 422,
				Body: `{"code":"x2","name":"x","permissions":["user.manage","audit.read"]}`, Want: []string{"三员分立"}},
			{Name: "built-in code", Method: "POST", Path: "/roles", Role: "secadmin", Status: 409,
				Body: `{"code":"auditor","name":"x"}`},
			{Name: "create denied", Method: "POST", Path: "/roles", Role: "sysadmin", Status: 403, Body: `{"code":"x3","name":"x"}`},
			{Name: "get", Method: "GET", Path: "/roles/{{kb}}", Role: "auditor", Status: 200, Want: []string{`"name":"知识编辑"`}},
			{Name: "get unknown", Method: "GET", Path: "/roles/999999", Role: "auditor", Status: 404},
			{Name: "patch", Method: "PATCH", Path: "/roles/{{kb}}", Role: "secadmin", Status: 200,
				Body: `{"description":"维护知识库","version":{{kb.version}}}`,
				Want: []string{`"description":"维护知识库"`, `"permissions":["group.read","org.read"]`}},
			{Name: "patch stale", Method: "PATCH", Path: "/roles/{{kb}}", Role: "secadmin", Status: 409,
				Body: `{"description":"x","version":{{kb.version}}}`},
			{Name: "patch built-in", Method: "PATCH", Path: "/roles/{{role:auditor}}", Role: "secadmin", Status: 403,
				Body: `{"permissions":["user.manage"],"version":1}`, Want: []string{"内置角色不能修改或删除"}},
			{Name: "patch denied", Method: "PATCH", Path: "/roles/{{kb}}", Role: "auditor", Status: 403, Body: `{"version":1}`},
			{Name: "grant custom role", Method: "PUT", Path: "/users/{{id:agent}}/roles", Role: "secadmin", Status: 204,
				Body: `{"roles":["agent","kb_editor"]}`},
			{Name: "delete in use", Method: "DELETE", Path: "/roles/{{kb}}", Role: "secadmin", Status: 409},
			{Name: "revoke custom role", Method: "PUT", Path: "/users/{{id:agent}}/roles", Role: "secadmin", Status: 204,
				Body: `{"roles":["agent"]}`},
			{Name: "delete built-in", Method: "DELETE", Path: "/roles/{{role:vendor}}", Role: "secadmin", Status: 403},
			{Name: "delete denied", Method: "DELETE", Path: "/roles/{{kb}}", Role: "sysadmin", Status: 403},
			{Name: "delete", Method: "DELETE", Path: "/roles/{{kb}}", Role: "secadmin", Status: 204},
		})
	})
}
