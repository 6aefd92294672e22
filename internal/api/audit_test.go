package api_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestAudit(t *testing.T) {
	engines(t, func(r *run) {
		r.scenarios([]scenario{
			{Name: "make a denial", Method: "GET", Path: "/audit", Role: "sysadmin", Status: 403},
			{Name: "search", Method: "GET", Path: "/audit", Role: "auditor", Status: 200,
				Want: []string{`"items":[`, `"hash":"`, `"prev_hash":"`}},
			{Name: "denials", Method: "GET", Path: "/audit?result=denied&actor=admin", Role: "auditor", Status: 200,
				Want: []string{`"result":"denied"`, `"target_id":"GET /api/v1/audit"`, `"source":"api"`}},
			{Name: "page", Method: "GET", Path: "/audit?limit=2", Role: "auditor", Status: 200, Want: []string{`"next_before_seq":`}},
			{Name: "last page", Method: "GET", Path: "/audit?before_seq=2", Role: "auditor", Status: 200,
				Want: []string{`"seq":1`, `"next_before_seq":null`}},
			{Name: "time range", Method: "GET", Path: "/audit?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z", Role: "auditor",
				Status: 200, Want: []string{`"items":[]`}},
			{Name: "bad time", Method: "GET", Path: "/audit?from=yesterday", Role: "auditor", Status: 400, Want: []string{`"from"`}},
			{Name: "unknown result", Method: "GET", Path: "/audit?result=maybe", Role: "auditor", Status: 400, Want: []string{`"result"`}},
			{Name: "search denied to secadmin", Method: "GET", Path: "/audit", Role: "secadmin", Status: 403},
			{Name: "export format missing", Method: "GET", Path: "/audit/export", Role: "auditor", Status: 400, Want: []string{`"format"`}},
			{Name: "export format unknown", Method: "GET", Path: "/audit/export?format=pdf", Role: "auditor", Status: 400},
			{Name: "export denied", Method: "GET", Path: "/audit/export?format=csv", Role: "sysadmin", Status: 403},
		})
		t.Run("export csv", func(t *testing.T) {
			resp, body := r.do(t, "GET", "/audit/export?format=csv&action=auth.", "auditor", "", "", nil)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
				!strings.HasPrefix(string(body), "\xEF\xBB\xBF序号 Seq") ||
				!strings.Contains(resp.Header.Get("Content-Disposition"), `.csv"`) {
				t.Fatalf("status %d, headers %v, body %.200q", resp.StatusCode, resp.Header, body)
			}
		})
		t.Run("export xlsx", func(t *testing.T) {
			resp, body := r.do(t, "GET", "/audit/export?format=xlsx", "auditor", "", "", nil)
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), "PK") ||
				!strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
				t.Fatalf("status %d, headers %v, %d bytes", resp.StatusCode, resp.Header, len(body))
			}
		})
	})
}
