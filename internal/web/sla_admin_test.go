package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/iam"
	"opsdesk/internal/store/storetest"
)

// TestSLAAdmin runs the calendar and policy pages on every configured engine.
func TestSLAAdmin(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine)
			admin := login(t, env, "admin", apptest.Password)
			for _, p := range []string{"/admin/sla/calendars", "/admin/sla/calendars/new", "/admin/sla/calendars/cn-workday",
				"/admin/sla/calendars/cn-workday/edit", "/admin/sla/policies", "/admin/sla/policies/new"} {
				wantStatus(t, "admin "+p, admin.get(p), http.StatusOK)
				for _, role := range []string{iam.RoleUser, iam.RoleAgent, iam.RoleAuditor} {
					c := login(t, env, env.Users[role], apptest.Password)
					wantStatus(t, role+" "+p, c.get(p), http.StatusForbidden)
				}
			}
			wantText(t, "nav", admin.get("/"), `href="/admin/sla"`)
			wantText(t, "list", admin.get("/admin/sla/calendars"), "cn-workday", "Asia/Shanghai", "mon-fri 09:00-12:00, 13:00-18:00")
			wantText(t, "days", admin.get("/admin/sla/calendars/cn-workday?year=2026"), "2026-10-01", "调休上班")

			form := url.Values{"name": {"east"}, "time_zone": {"Asia/Shanghai"}, "week.mon": {"09:00-12:00, 11:00-13:00"}, "copy_holidays": {"on"}}
			r := admin.post("/admin/sla/calendars", form)
			wantStatus(t, "overlap", r, http.StatusUnprocessableEntity)
			wantText(t, "overlap", r, "时间段相互重叠")
			form.Set("week.mon", "")
			wantText(t, "no working time", admin.post("/admin/sla/calendars", form), "没有任何工作时间")
			form.Set("week.mon", "9-12")
			wantText(t, "format", admin.post("/admin/sla/calendars", form), "HH:MM-HH:MM")
			form.Set("week.mon", "08:30-12:00, 13:30-17:30")
			form.Set("makeup_hours", "08:30-12:00")
			wantLocation(t, "create", admin.post("/admin/sla/calendars", form), "/admin/sla/calendars/east")
			wantStatus(t, "bad import", admin.post("/admin/sla/calendars/east/import", url.Values{"year": {"2030"},
				"json": {`{"year":2030,"days":[{"name":"a","date":"2030-01-01","isOffDay":true,"x":1}]}`}}), http.StatusUnprocessableEntity)
			wantLocation(t, "import", admin.post("/admin/sla/calendars/east/import", url.Values{"year": {"2030"},
				"json": {`{"year":2030,"days":[{"name":"元旦","date":"2030-01-01","isOffDay":true}]}`}}), "/admin/sla/calendars/east?year=2030")
			wantText(t, "imported", admin.get("/admin/sla/calendars/east?year=2030"), "2030-01-01", "元旦")
			wantLocation(t, "day", admin.post("/admin/sla/calendars/east/days", url.Values{"date": {"2030-06-01"}, "kind": {"holiday"}, "name": {"儿童节"}}),
				"/admin/sla/calendars/east?year=2030")
			wantLocation(t, "clear", admin.post("/admin/sla/calendars/east/days/2030-06-01/delete", nil), "/admin/sla/calendars/east?year=2030")

			pol := url.Values{"name": {"华东故障"}, "calendar": {"east"}, "ticket_type": {"incident"}, "warn_at": {"80"}, "active": {"on"}}
			wantText(t, "no targets", admin.post("/admin/sla/policies", pol), "请至少为一个优先级设置时限")
			pol.Set("targets.p1.resolution", "2d")
			wantText(t, "bad target", admin.post("/admin/sla/policies", pol), "30m、4h")
			pol.Set("targets.p1.resolution", "4h")
			pol.Set("targets.p1.first_response", "30m")
			wantLocation(t, "policy", admin.post("/admin/sla/policies", pol), "/admin/sla/policies")
			wantText(t, "policies", admin.get("/admin/sla/policies"), "华东故障", "30m", "4h", "80%")
			r = admin.post("/admin/sla/calendars/east/delete", nil)
			wantStatus(t, "used calendar", r, http.StatusConflict)
			wantText(t, "used calendar", r, "华东故障")
		})
	}
}
