package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/iam"
	"opsdesk/internal/store/storetest"
)

// TestReportAndExportUI: the service-desk report page (every line for a supervisor, one's own for
// staff, a 422 with the form for bad dates in either language, the CSV download) and the
// workspace's downloads of the current filter as the 技术支持记录表.
func TestReportAndExportUI(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) { testReportAndExportUI(t, apptest.New(t, engine)) })
	}
}

func testReportAndExportUI(t *testing.T, env *apptest.Env) {
	agent := login(t, env, env.Users[iam.RoleAgent], apptest.Password)
	manager := login(t, env, env.Users[iam.RoleManager], apptest.Password)
	engineer := login(t, env, env.Users[iam.RoleEngineer], apptest.Password)
	requester := login(t, env, env.Users[iam.RoleUser], apptest.Password)
	reqID := strconv.FormatInt(env.IDs[iam.RoleUser], 10)
	call := func(subject string) int64 {
		return intake(t, agent, url.Values{"requester_id": {reqID}, "type": {"incident"}, "urgency": {"2"}, "impact": {"3"},
			"subject": {subject}})
	}
	taken := call("显示器闪烁")
	call("无线网络断开")
	wantStatus(t, "take", agent.post("/tickets/"+strconv.FormatInt(taken, 10)+"/take", url.Values{"version": {"1"}}), http.StatusSeeOther)

	// The workspace offers the downloads of what it shows, and they follow the filter.
	d := agent.get("/tickets?tab=unassigned&status=all").doc(t)
	csvURL, _ := d.Find(`#queue-export a[href^="/tickets/export.csv"]`).Attr("href")
	xlsxURL, _ := d.Find(`#queue-export a[href^="/tickets/export.xlsx"]`).Attr("href")
	if csvURL != "/tickets/export.csv?status=all&tab=unassigned" || xlsxURL != "/tickets/export.xlsx?status=all&tab=unassigned" {
		t.Fatalf("export links %q %q", csvURL, xlsxURL)
	}
	res := agent.get(csvURL)
	wantStatus(t, "csv export", res, http.StatusOK)
	if res.header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.HasPrefix(res.header.Get("Content-Disposition"), `attachment; filename="tickets-`) {
		t.Errorf("csv export headers %v", res.header)
	}
	text, ok := strings.CutPrefix(res.body, "\xEF\xBB\xBF")
	if !ok || !strings.HasPrefix(text, "日期 Date,工单号 Number,问题描述 Description,") || !strings.Contains(text, "无线网络断开") ||
		strings.Contains(text, "显示器闪烁") {
		t.Errorf("csv export of the unassigned queue: %.500q", res.body)
	}
	res = agent.get(xlsxURL)
	wantStatus(t, "xlsx export", res, http.StatusOK)
	if !strings.Contains(res.header.Get("Content-Type"), "spreadsheetml") {
		t.Errorf("xlsx content type %q", res.header.Get("Content-Type"))
	}
	x, err := excelize.OpenReader(strings.NewReader(res.body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("技术支持记录表")
	if err != nil || len(rows) != 2 || rows[0][0] != "日期 Date" || !strings.Contains(rows[1][2], "无线网络断开") {
		t.Errorf("xlsx rows %q, %v", rows, err)
	}
	x.Close()
	wantStatus(t, "requester export", requester.get("/tickets/export.csv"), http.StatusForbidden)

	// The report: navigation, the supervisor's tables, the CSV link.
	wantText(t, "manager nav", manager.get("/"), `href="/reports/service-desk"`)
	if strings.Contains(requester.get("/").body, `href="/reports/service-desk"`) {
		t.Error("a requester's navigation offers the report")
	}
	res = manager.get("/reports/service-desk")
	wantStatus(t, "report", res, http.StatusOK)
	wantText(t, "report", res, "<h1>服务台报表</h1>")
	d = res.doc(t)
	if d.Find("#report-owners tbody tr").Length() != 1 || !strings.Contains(d.Find("#report-owners tbody").Text(), "服务台坐席测试") ||
		d.Find("#report-groups").Length() != 1 || d.Find("#report-skips").Length() != 1 {
		t.Errorf("report tables:\n%.3000s", res.body)
	}
	link, _ := d.Find("#report-csv").Attr("href")
	if !strings.HasPrefix(link, "/reports/service-desk.csv?from=") {
		t.Fatalf("csv link %q", link)
	}
	res = manager.get(link)
	wantStatus(t, "report csv", res, http.StatusOK)
	if res.header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.HasPrefix(res.body, "\xEF\xBB\xBF服务台报表,") ||
		!strings.Contains(res.body, "\n服务台坐席测试,2,0,0\n") {
		t.Errorf("report csv %v %.500q", res.header, res.body)
	}

	// Staff see their own lines only.
	res = engineer.get("/reports/service-desk", "Accept-Language", "en")
	wantStatus(t, "engineer report", res, http.StatusOK)
	wantText(t, "engineer report", res, "Only your own lines")
	if strings.Contains(res.body, `id="report-groups"`) {
		t.Error("an engineer sees the groups")
	}
	wantStatus(t, "requester report", requester.get("/reports/service-desk"), http.StatusForbidden)

	// Bad dates: the form again, with the problem, in the reader's language.
	res = manager.get("/reports/service-desk?from=2026-02-31")
	wantStatus(t, "bad date", res, http.StatusUnprocessableEntity)
	wantText(t, "bad date", res, "日期格式应为", `id="r-from"`)
	res = manager.get("/reports/service-desk?from=2026-03-01&to=2026-02-01", "Accept-Language", "en")
	wantStatus(t, "backwards", res, http.StatusUnprocessableEntity)
	wantText(t, "backwards", res, "The end date cannot be before the start date")
	wantStatus(t, "bad date csv", manager.get("/reports/service-desk.csv?to=x"), http.StatusUnprocessableEntity)
}
