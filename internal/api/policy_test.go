package api_test

import "testing"

func TestPolicy(t *testing.T) {
	engines(t, func(r *run) {
		valid := `{"min_length":12,"min_classes":3,"expiry_days":90,"history_count":5,"lockout_threshold":5,
			"lockout_minutes":15,"session_idle_minutes":30,"session_max_hours":12,"token_max_days":180,"require_mfa_for_admins":false}`
		r.scenarios([]scenario{
			{Name: "get", Method: "GET", Path: "/policy", Role: "secadmin", Status: 200, Want: []string{`"min_length":10`, `"token_max_days":365`}},
			{Name: "get denied", Method: "GET", Path: "/policy", Role: "sysadmin", Status: 403},
			{Name: "get denied to auditor", Method: "GET", Path: "/policy", Role: "auditor", Status: 403},
			{Name: "put", Method: "PUT", Path: "/policy", Role: "secadmin", Body: valid, Status: 200, Want: []string{`"min_length":12`}},
			{Name: "applied", Method: "GET", Path: "/policy", Role: "secadmin", Status: 200, Want: []string{`"token_max_days":180`}},
			{Name: "token over new maximum", Method: "POST", Path: "/me/tokens", Role: "agent", Body: `{"name":"x","days":200}`,
				Status: 422, Want: []string{`"days"`}},
			{Name: "out of range", Method: "PUT", Path: "/policy", Role: "secadmin", Status: 422,
				Body: `{"min_length":4,"min_classes":3,"expiry_days":90,"history_count":5,"lockout_threshold":5,
					"lockout_minutes":15,"session_idle_minutes":30,"session_max_hours":12,"token_max_days":180,"require_mfa_for_admins":false}`,
				Want: []string{`"min_length":"超出允许范围"`}},
			{Name: "incomplete", Method: "PUT", Path: "/policy", Role: "secadmin", Body: `{"min_length":12}`, Status: 400,
				Want: []string{`"min_classes":"必填"`}},
			{Name: "put denied", Method: "PUT", Path: "/policy", Role: "sysadmin", Body: valid, Status: 403},
			{Name: "unchanged", Method: "GET", Path: "/policy", Role: "secadmin", Status: 200, Want: []string{`"min_length":12`}},
		})
	})
}
