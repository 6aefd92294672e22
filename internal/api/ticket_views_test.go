package api_test

import "testing"

// TestTicketViews: saved queue views over the API — save, list (shared ones too), rename, delete,
// with the input errors and the deny cases.
func TestTicketViews(t *testing.T) {
	engines(t, func(r *run) {
		r.scenarios([]scenario{
			{Name: "group", Method: "POST", Path: "/groups", Role: "sysadmin", Status: 201, Capture: "grp",
				Body: `{"name":"服务台","code":"desk","tier":1,"member_ids":[{{id:agent}},{{id:engineer}}]}`},
			{Name: "empty list", Method: "GET", Path: "/ticket-views", Role: "agent", Status: 200, Want: []string{`{"items":[]}`}},
			{Name: "save", Method: "POST", Path: "/ticket-views", Role: "agent", Status: 201, Capture: "mine",
				Body: `{"name":"我的 P1","filter":{"tab":"mine","priority":1,"q":"打印","sort":"newest"}}`,
				Want: []string{`"name":"我的 P1"`, `"owner_name":"服务台坐席测试"`, `"share_group_id":0`, `"tab":"mine"`, `"priority":1`, `"q":"打印"`}},
			{Name: "save shared", Method: "POST", Path: "/ticket-views", Role: "agent", Status: 201, Capture: "shared",
				Body: `{"name":"本组未分派","share_group_id":{{grp}},"filter":{"tab":"unassigned","status":"all"}}`},
			// Input: the spec refuses unknown values (400, by field); the service what the spec cannot say.
			{Name: "unknown tab", Method: "POST", Path: "/ticket-views", Role: "agent", Status: 400,
				Body: `{"name":"x","filter":{"tab":"everything"}}`, Want: []string{`"filter.tab":"不是允许的取值"`}},
			{Name: "unknown status", Method: "POST", Path: "/ticket-views", Role: "agent", Status: 400,
				Body: `{"name":"x","filter":{"tab":"mine","status":"open"}}`, Want: []string{`"filter.status"`}},
			{Name: "name too long", Method: "POST", Path: "/ticket-views", Role: "agent", Status: 400,
				Body: `{"name":"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一","filter":{"tab":"mine"}}`,
				Want: []string{`"name"`}},
			{Name: "blank name", Method: "POST", Path: "/ticket-views", Role: "agent", Status: 422,
				Body: `{"name":"  ","filter":{"tab":"mine"}}`, Want: []string{`"fields":{"name":"必填"}`}},
			{Name: "taken name", Method: "POST", Path: "/ticket-views", Role: "agent", Status: 409,
				Body: `{"name":"我的 P1","filter":{"tab":"group"}}`, Want: []string{`"name":"已有同名视图，请换一个名称"`}},
			{Name: "not my group", Method: "POST", Path: "/ticket-views", Role: "manager", Status: 422,
				Body: `{"name":"x","share_group_id":{{grp}},"filter":{"tab":"mine"}}`, Want: []string{`"share_group_id"`}},
			{Name: "unknown category", Method: "POST", Path: "/ticket-views", Role: "agent", Status: 422,
				Body: `{"name":"x","filter":{"tab":"mine","category_id":999999}}`, Want: []string{`"filter.category_id":"问题分类不存在或已停用"`}},
			{Name: "requester has no workspace", Method: "POST", Path: "/ticket-views", Role: "requester", Status: 403,
				Body: `{"name":"x","filter":{"tab":"mine"}}`},
			// Who sees what.
			{Name: "owner lists both", Method: "GET", Path: "/ticket-views", Role: "agent", Status: 200,
				Want: []string{`"name":"我的 P1"`, `"name":"本组未分派"`}},
			{Name: "group mate lists the shared one", Method: "GET", Path: "/ticket-views", Role: "engineer", Status: 200,
				Want: []string{`"name":"本组未分派"`}, NotWant: []string{"我的 P1"}},
			{Name: "outsider lists none", Method: "GET", Path: "/ticket-views", Role: "manager", Status: 200, Want: []string{`{"items":[]}`}},
			// Only the owner changes a view.
			{Name: "mate may not delete", Method: "DELETE", Path: "/ticket-views/{{shared}}", Role: "engineer", Status: 403},
			{Name: "mate may not rename", Method: "PATCH", Path: "/ticket-views/{{shared}}", Role: "engineer", Status: 403, Body: `{"name":"改"}`},
			{Name: "another's private view is not there", Method: "DELETE", Path: "/ticket-views/{{mine}}", Role: "engineer", Status: 404},
			{Name: "outsider", Method: "DELETE", Path: "/ticket-views/{{mine}}", Role: "manager", Status: 404},
			{Name: "rename", Method: "PATCH", Path: "/ticket-views/{{mine}}", Role: "agent", Status: 200, Body: `{"name":"打印 P1"}`,
				Want: []string{`"name":"打印 P1"`, `"q":"打印"`}},
			{Name: "rename onto a taken name", Method: "PATCH", Path: "/ticket-views/{{mine}}", Role: "agent", Status: 409,
				Body: `{"name":"本组未分派"}`},
			{Name: "delete", Method: "DELETE", Path: "/ticket-views/{{mine}}", Role: "agent", Status: 204},
			{Name: "delete again", Method: "DELETE", Path: "/ticket-views/{{mine}}", Role: "agent", Status: 404},
			{Name: "what is left", Method: "GET", Path: "/ticket-views", Role: "agent", Status: 200,
				Want: []string{`"name":"本组未分派"`}, NotWant: []string{"打印 P1"}},
		})
	})
}
