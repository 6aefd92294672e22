package api_test

import "testing"

// TestSLAPolicyActionsAPI sets a policy's actions at warning and breach over HTTP on both engines: a
// policy without actions notifies at both thresholds, bad actions are a 422 naming the field and
// store nothing, an update without actions keeps them, and only sla.manage may change them.
func TestSLAPolicyActionsAPI(t *testing.T) {
	engines(t, func(r *run) {
		r.deskGroup(t)
		targets := `"targets":{"p1":{"resolution":240}}`
		r.scenarios([]scenario{
			{Name: "default actions", Method: "POST", Path: "/sla/policies", Role: "sysadmin", Status: 201, Capture: "pol",
				Body: `{"name":"默认","calendar":"cn-workday",` + targets + `}`,
				Want: []string{`"actions":{"breach":{"notify":true,"raise_tier":false,"reassign_group_id":0,"reassign_user_id":0,"report_up":false},"warning":{"notify":true,`}},
			{Name: "engineer without group", Method: "POST", Path: "/sla/policies", Role: "sysadmin", Status: 422,
				Body: `{"name":"坏","calendar":"cn-workday",` + targets + `,"actions":{"warning":{"reassign_user_id":{{id:engineer}}},"breach":{}}}`,
				Want: []string{`"actions.warning.reassign_user_id":"指定处理人时须同时选择其所在的支持组"`}},
			{Name: "unknown group", Method: "POST", Path: "/sla/policies", Role: "sysadmin", Status: 422,
				Body: `{"name":"坏","calendar":"cn-workday",` + targets + `,"actions":{"warning":{},"breach":{"reassign_group_id":987654}}}`,
				Want: []string{`"actions.breach.reassign_group_id":"支持组不存在"`}},
			{Name: "not a member", Method: "POST", Path: "/sla/policies", Role: "sysadmin", Status: 422,
				Body: `{"name":"坏","calendar":"cn-workday",` + targets + `,"actions":{"warning":{"reassign_group_id":{{grp}},"reassign_user_id":{{id:agent}}},"breach":{}}}`,
				Want: []string{`"actions.warning.reassign_user_id":"处理人不是该支持组成员"`}},
			{Name: "reassign and raise", Method: "POST", Path: "/sla/policies", Role: "sysadmin", Status: 422,
				Body: `{"name":"坏","calendar":"cn-workday",` + targets + `,"actions":{"warning":{},"breach":{"reassign_group_id":{{grp}},"raise_tier":true}}}`,
				Want: []string{`"actions.breach.raise_tier"`}},
			{Name: "unknown action field", Method: "POST", Path: "/sla/policies", Role: "sysadmin", Status: 400,
				Body: `{"name":"坏","calendar":"cn-workday",` + targets + `,"actions":{"warning":{"page_ceo":true},"breach":{}}}`},
			{Name: "nothing saved", Method: "GET", Path: "/sla/policies", Role: "sysadmin", Status: 200, NotWant: []string{`"坏"`}},
			{Name: "engineer may not set actions", Method: "PUT", Path: "/sla/policies/{{pol}}", Role: "engineer", Status: 403,
				Body: `{"name":"默认","calendar":"cn-workday",` + targets + `,"actions":{"warning":{"report_up":true},"breach":{}},"version":{{pol.version}}}`},
			{Name: "set actions", Method: "PUT", Path: "/sla/policies/{{pol}}", Role: "manager", Status: 200, Capture: "pol",
				Body: `{"name":"默认","calendar":"cn-workday",` + targets + `,"version":{{pol.version}},"actions":{` +
					`"warning":{"notify":false,"reassign_group_id":{{grp}},"reassign_user_id":{{id:engineer}}},"breach":{"raise_tier":true,"report_up":true}}}`,
				Want: []string{`"warning":{"notify":false,"raise_tier":false,"reassign_group_id":{{grp}},"reassign_user_id":{{id:engineer}},"report_up":false}`,
					`"breach":{"notify":true,"raise_tier":true,"reassign_group_id":0,"reassign_user_id":0,"report_up":true}`}},
			{Name: "update without actions keeps them", Method: "PUT", Path: "/sla/policies/{{pol}}", Role: "manager", Status: 200,
				Body: `{"name":"默认","calendar":"cn-workday","warn_percent":80,` + targets + `,"version":{{pol.version}}}`,
				Want: []string{`"warn_percent":80`, `"breach":{"notify":true,"raise_tier":true,"reassign_group_id":0,"reassign_user_id":0,"report_up":true}`}},
		})
	})
}
