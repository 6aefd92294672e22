package api_test

import "testing"

func TestOrgUnits(t *testing.T) {
	engines(t, func(r *run) {
		r.scenarios([]scenario{
			{Name: "list", Method: "GET", Path: "/org-units", Role: "manager", Status: 200, Want: []string{`"name":"总部"`, `"kind":"hq"`}},
			{Name: "list denied", Method: "GET", Path: "/org-units", Role: "requester", Status: 403},
			{Name: "create", Method: "POST", Path: "/org-units", Role: "sysadmin", Status: 201, Capture: "bj",
				Body: `{"parent_id":{{root}},"name":"北京分公司","code":"bj","kind":"branch","sort":1}`,
				Want: []string{`"name":"北京分公司"`, `"path":"/{{root}}/`, `"parent_id":{{root}}`}},
			{Name: "create child", Method: "POST", Path: "/org-units", Role: "sysadmin", Status: 201, Capture: "bjit",
				Body: `{"parent_id":{{bj}},"name":"信息技术部","kind":"dept"}`},
			{Name: "unknown kind", Method: "POST", Path: "/org-units", Role: "sysadmin", Status: 400,
				Body: `{"parent_id":{{root}},"name":"x","kind":"planet"}`, Want: []string{`"kind":"不是允许的取值"`}},
			{Name: "bad code", Method: "POST", Path: "/org-units", Role: "sysadmin", Status: 422,
				Body: `{"parent_id":{{root}},"name":"x","code":"BJ 2","kind":"dept"}`, Want: []string{`"code"`}},
			{Name: "unknown parent", Method: "POST", Path: "/org-units", Role: "sysadmin", Status: 422,
				Body: `{"parent_id":999999,"name":"x","kind":"dept"}`, Want: []string{`"parent_id"`}},
			{Name: "create denied", Method: "POST", Path: "/org-units", Role: "secadmin", Status: 403,
				Body: `{"parent_id":{{root}},"name":"x","kind":"dept"}`},
			{Name: "get", Method: "GET", Path: "/org-units/{{bj}}", Role: "engineer", Status: 200, Want: []string{`"code":"bj"`}},
			{Name: "get unknown", Method: "GET", Path: "/org-units/999999", Role: "engineer", Status: 404},
			{Name: "rename", Method: "PATCH", Path: "/org-units/{{bj}}", Role: "sysadmin", Status: 200,
				Header: map[string]string{"If-Match": `"{{bj.version}}"`}, Body: `{"name":"北京分公司（朝阳）"}`, Capture: "bj2",
				Want: []string{`"name":"北京分公司（朝阳）"`, `"kind":"branch"`}},
			{Name: "rename stale", Method: "PATCH", Path: "/org-units/{{bj}}", Role: "sysadmin", Status: 409,
				Body: `{"name":"x","version":{{bj.version}}}`},
			{Name: "move under own child", Method: "PATCH", Path: "/org-units/{{bj}}", Role: "sysadmin", Status: 422,
				Body: `{"parent_id":{{bjit}},"version":{{bj2.version}}}`},
			{Name: "delete non-empty", Method: "DELETE", Path: "/org-units/{{bj}}", Role: "sysadmin", Status: 409},
			{Name: "delete root", Method: "DELETE", Path: "/org-units/{{root}}", Role: "sysadmin", Status: 422},
			{Name: "delete denied", Method: "DELETE", Path: "/org-units/{{bjit}}", Role: "manager", Status: 403},
			{Name: "delete", Method: "DELETE", Path: "/org-units/{{bjit}}", Role: "sysadmin", Status: 204},
			{Name: "deleted", Method: "GET", Path: "/org-units/{{bjit}}", Role: "sysadmin", Status: 404},
		})
	})
}
