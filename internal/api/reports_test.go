package api_test

import (
	"strings"
	"testing"
)

// TestServiceDeskReport: supervisors get every line, staff and vendors their own, requesters a 403;
// bad dates are a 422 in the caller's language; the CSV is UTF-8 with a byte-order mark; the ticket
// list filters by first-contact owner.
func TestServiceDeskReport(t *testing.T) {
	engines(t, func(r *run) {
		r.deskGroup(t)
		en := map[string]string{"Accept-Language": "en"}
		r.scenarios([]scenario{
			{Name: "agent logs a call", Method: "POST", Path: "/tickets", Role: "agent", Status: 201, Capture: "t",
				Body: `{"type":"incident","channel":"phone","subject":"财务系统无法登录","urgency":2,"impact":2,"requester_id":{{id:requester}}}`},
			{Name: "agent hands it over", Method: "POST", Path: "/tickets/{{t}}/assign", Role: "agent", Status: 200,
				Body: `{"group_id":{{grp}},"assignee_id":{{id:engineer}},"version":{{t.version}}}`},
			{Name: "supervisor", Method: "GET", Path: "/reports/service-desk", Role: "manager", Status: 200,
				Want: []string{`"own":false`, `"handed_over":1,"name":"服务台坐席测试","resolved":0,"taken":1`,
					`"assigned":1`, `"name":"运维工程师测试"`, `"name":"桌面支持组","opened":1`, `"total":1`,
					`{"count":1,"key":"phone"}`, `"skips":[]`}},
			{Name: "engineer sees their own line", Method: "GET", Path: "/reports/service-desk", Role: "engineer", Status: 200,
				Want: []string{`"own":true`, `"owners":[]`, `"name":"运维工程师测试"`, `"groups":[]`, `"total":0`}, NotWant: []string{"服务台坐席测试"}},
			{Name: "vendor sees their own (empty) line", Method: "GET", Path: "/reports/service-desk", Role: "vendor", Status: 200,
				Want: []string{`"own":true`, `"owners":[]`, `"engineers":[]`}},
			{Name: "requester", Method: "GET", Path: "/reports/service-desk", Role: "requester", Status: 403},
			{Name: "auditor", Method: "GET", Path: "/reports/service-desk", Role: "auditor", Status: 403},
			{Name: "bad date zh", Method: "GET", Path: "/reports/service-desk?from=2026-02-31", Role: "manager", Status: 422,
				Want: []string{`"kind":"invalid"`, "日期格式应为", `"from":"日期格式应为`}},
			{Name: "bad date en", Method: "GET", Path: "/reports/service-desk?to=tomorrow", Role: "manager", Status: 422, Header: en,
				Want: []string{"Write dates as year-month-day", `"to":`}},
			{Name: "backwards", Method: "GET", Path: "/reports/service-desk?from=2026-03-01&to=2026-02-01", Role: "manager", Status: 422,
				Want: []string{"结束日期不能早于开始日期"}},
			{Name: "too long en", Method: "GET", Path: "/reports/service-desk?from=2024-01-01&to=2026-01-01", Role: "manager", Status: 422,
				Header: en, Want: []string{"at most 366 days"}},
			{Name: "format unknown", Method: "GET", Path: "/reports/service-desk?format=pdf", Role: "manager", Status: 400},
			{Name: "tickets by owner", Method: "GET", Path: "/tickets?owner={{id:agent}}", Role: "manager", Status: 200,
				Want: []string{"财务系统无法登录"}},
			{Name: "tickets by another owner", Method: "GET", Path: "/tickets?owner={{id:manager}}", Role: "manager", Status: 200,
				Want: []string{`"items":[]`}},
		})
		resp, body := r.do(t, "GET", "/reports/service-desk?format=csv", "manager", "", "", nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), `attachment; filename="service-desk-`) {
			t.Fatalf("status %d, headers %v, body %.300q", resp.StatusCode, resp.Header, body)
		}
		text, ok := strings.CutPrefix(string(body), "\xEF\xBB\xBF")
		if !ok || !strings.HasPrefix(text, "服务台报表,统计期间,") || !strings.Contains(text, "\n服务台坐席测试,1,0,1\n") {
			t.Fatalf("no BOM, title or owner line: %.400q", body)
		}
		resp, body = r.do(t, "GET", "/reports/service-desk?format=csv", "agent", "", "", en)
		if text := string(body); resp.StatusCode != 200 || !strings.Contains(text, "Service-desk report,Period,") ||
			!strings.Contains(text, "First-contact owners") || strings.Contains(text, "Support groups") {
			t.Fatalf("agent's CSV in English: status %d, %.400q", resp.StatusCode, body)
		}
		r.scenarios([]scenario{
			{Name: "audited", Method: "GET", Path: "/audit?action=ticket.report.export", Role: "auditor", Status: 200,
				Want: []string{`"action":"ticket.report.export"`}},
		})
	})
}
