package api_test

import "testing"

func TestGroups(t *testing.T) {
	engines(t, func(r *run) {
		r.scenarios([]scenario{
			{Name: "create", Method: "POST", Path: "/groups", Role: "sysadmin", Status: 201, Capture: "net",
				Body: `{"name":"网络组","code":"net","tier":2,"manager_id":{{id:manager}},"org_unit_id":{{root}},
					"description":"负责网络设备","member_ids":[{{id:engineer}},{{id:agent}}]}`,
				Want: []string{`"code":"net"`, `"tier":2`, `"manager_name":"部门负责人测试"`}},
			{Name: "list", Method: "GET", Path: "/groups", Role: "agent", Status: 200, Want: []string{`"name":"网络组"`}},
			{Name: "list denied", Method: "GET", Path: "/groups", Role: "vendor", Status: 403},
			{Name: "tier out of range", Method: "POST", Path: "/groups", Role: "sysadmin", Status: 400,
				Body: `{"name":"x","code":"x","tier":4}`, Want: []string{`"tier"`}},
			{Name: "unknown member", Method: "POST", Path: "/groups", Role: "sysadmin", Status: 422,
				Body: `{"name":"桌面组","code":"desk","tier":1,"member_ids":[999999]}`, Want: []string{`"member_ids":"用户不存在"`}},
			{Name: "duplicate", Method: "POST", Path: "/groups", Role: "sysadmin", Status: 409,
				Body: `{"name":"网络组","code":"net","tier":2}`},
			{Name: "create denied", Method: "POST", Path: "/groups", Role: "manager", Status: 403,
				Body: `{"name":"x","code":"x","tier":1}`},
			{Name: "get", Method: "GET", Path: "/groups/{{net}}", Role: "engineer", Status: 200,
				Want: []string{`"member_ids":[`, `"description":"负责网络设备"`}},
			{Name: "get unknown", Method: "GET", Path: "/groups/999999", Role: "engineer", Status: 404},
			{Name: "patch", Method: "PATCH", Path: "/groups/{{net}}", Role: "sysadmin", Status: 200,
				Header: map[string]string{"If-Match": `W/"{{net.version}}"`}, Body: `{"tier":3,"member_ids":[]}`,
				Want: []string{`"tier":3`, `"member_ids":[]`, `"name":"网络组"`}},
			{Name: "patch stale", Method: "PATCH", Path: "/groups/{{net}}", Role: "sysadmin", Status: 409,
				Body: `{"tier":1,"version":{{net.version}}}`},
			{Name: "patch denied", Method: "PATCH", Path: "/groups/{{net}}", Role: "engineer", Status: 403, Body: `{"tier":1}`},
			{Name: "delete denied", Method: "DELETE", Path: "/groups/{{net}}", Role: "secadmin", Status: 403},
			{Name: "delete", Method: "DELETE", Path: "/groups/{{net}}", Role: "sysadmin", Status: 204},
			{Name: "delete again", Method: "DELETE", Path: "/groups/{{net}}", Role: "sysadmin", Status: 404},
		})
	})
}
