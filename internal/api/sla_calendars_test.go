package api_test

import (
	"testing"
	"time"

	"opsdesk/internal/sla"
)

// TestSLACalendarsAPI administers calendars and policies over HTTP on both engines: bad input is a
// 422 naming the field and stores nothing, a stale edit is a 409, a used calendar cannot be deleted,
// both import shapes load, and the due endpoint answers what `opsdesk calendar due` prints.
func TestSLACalendarsAPI(t *testing.T) {
	from := time.Date(2026, 9, 30, 17, 0, 0, 0, sla.Shanghai)
	want := sla.CNWorkday().Due(from, 8*time.Hour).In(sla.Shanghai).Format(time.RFC3339)
	engines(t, func(r *run) {
		week := `"week":{"mon":["08:30-12:00","13:30-17:30"],"tue":["08:30-12:00","13:30-17:30"]},"makeup_hours":["08:30-12:00"]`
		r.scenarios([]scenario{
			{Name: "requester denied", Method: "GET", Path: "/sla/calendars", Role: "requester", Status: 403},
			{Name: "agent denied", Method: "POST", Path: "/sla/calendars", Role: "agent", Status: 403, Body: `{"name":"x","time_zone":"Asia/Shanghai"}`},
			{Name: "auditor denied", Method: "GET", Path: "/sla/policies", Role: "auditor", Status: 403},
			{Name: "auditor denied due", Method: "GET", Path: "/sla/calendars/cn-workday/due?from=2026-09-30T17:00:00%2B08:00&duration=8h", Role: "auditor", Status: 403},
			{Name: "overlap", Method: "POST", Path: "/sla/calendars", Role: "sysadmin", Status: 422,
				Body: `{"name":"east","time_zone":"Asia/Shanghai","week":{"mon":["09:00-12:00","11:00-13:00"]}}`, Want: []string{`"week.mon":"时间段相互重叠"`}},
			{Name: "reversed", Method: "POST", Path: "/sla/calendars", Role: "sysadmin", Status: 422,
				Body: `{"name":"east","time_zone":"Asia/Shanghai","week":{"tue":["18:00-09:00"]}}`, Want: []string{`"week.tue"`}},
			{Name: "no working time", Method: "POST", Path: "/sla/calendars", Role: "sysadmin", Status: 422,
				Body: `{"name":"east","time_zone":"Asia/Shanghai","week":{}}`, Want: []string{`"week":`}},
			{Name: "unknown zone", Method: "POST", Path: "/sla/calendars", Role: "sysadmin", Status: 422,
				Body: `{"name":"east","time_zone":"Mars/Olympus","week":{"mon":["09:00-18:00"]}}`, Want: []string{`"time_zone"`}},
			{Name: "nothing saved", Method: "GET", Path: "/sla/calendars/east", Role: "sysadmin", Status: 404},
			{Name: "create", Method: "POST", Path: "/sla/calendars", Role: "sysadmin", Status: 201,
				Body: `{"name":"east","time_zone":"Asia/Shanghai",` + week + `}`, Want: []string{`"version":1`, `"mon":["08:30-12:00","13:30-17:30"]`}},
			{Name: "7x24 needs no hours", Method: "POST", Path: "/sla/calendars", Role: "manager", Status: 201,
				Body: `{"name":"noc","time_zone":"Asia/Shanghai","always_open":true}`, Want: []string{`"always_open":true`, `"holidays":0`}},
			{Name: "edit", Method: "PUT", Path: "/sla/calendars/east", Role: "sysadmin", Status: 200, Header: map[string]string{"If-Match": `"1"`},
				Body: `{"name":"east","time_zone":"Asia/Shanghai",` + week + `}`, Want: []string{`"version":2`}},
			{Name: "stale edit", Method: "PUT", Path: "/sla/calendars/east", Role: "sysadmin", Status: 409, Header: map[string]string{"If-Match": `"1"`},
				Body: `{"name":"east","time_zone":"Asia/Shanghai",` + week + `}`},
			{Name: "set a holiday", Method: "PUT", Path: "/sla/calendars/east/days/2026-06-01", Role: "sysadmin", Status: 200,
				Body: `{"kind":"holiday","name":"儿童节"}`, Want: []string{`"kind":"holiday"`}},
			{Name: "bad day kind", Method: "PUT", Path: "/sla/calendars/east/days/2026-06-01", Role: "sysadmin", Status: 400, Body: `{"kind":"party"}`},
			{Name: "impossible date", Method: "PUT", Path: "/sla/calendars/east/days/2026-02-30", Role: "sysadmin", Status: 422,
				Body: `{"kind":"holiday"}`, Want: []string{`"date"`}},
			{Name: "clear the day", Method: "DELETE", Path: "/sla/calendars/east/days/2026-06-01", Role: "sysadmin", Status: 204},
			{Name: "clear again", Method: "DELETE", Path: "/sla/calendars/east/days/2026-06-01", Role: "sysadmin", Status: 404},
			{Name: "import holiday-cn", Method: "POST", Path: "/sla/calendars/east/import?year=2030", Role: "sysadmin", Status: 200,
				Body: `{"year":2030,"papers":[],"days":[{"name":"元旦","date":"2030-01-01","isOffDay":true},{"name":"春节","date":"2030-02-02","isOffDay":false}]}`,
				Want: []string{`"days":2`}},
			{Name: "import holiday-calendar", Method: "POST", Path: "/sla/calendars/east/import?year=2031", Role: "sysadmin", Status: 200,
				Body: `{"year":2031,"region":"CN","dates":[{"date":"2031-01-01","name":"元旦","name_cn":"元旦","name_en":"New Year","type":"public_holiday"}]}`,
				Want: []string{`"days":1`}},
			{Name: "import unknown field", Method: "POST", Path: "/sla/calendars/east/import?year=2030", Role: "sysadmin", Status: 400,
				Body: `{"year":2030,"days":[{"name":"元旦","date":"2030-01-01","isOffDay":true,"extra":1}]}`, Want: []string{`"kind":"invalid"`, `extra`}},
			{Name: "import duplicate", Method: "POST", Path: "/sla/calendars/east/import?year=2030", Role: "sysadmin", Status: 422,
				Body: `{"year":2030,"days":[{"name":"a","date":"2030-05-01","isOffDay":true},{"name":"b","date":"2030-05-01","isOffDay":true}]}`,
				Want: []string{`listed twice`}},
			{Name: "import wrong year", Method: "POST", Path: "/sla/calendars/east/import?year=2030", Role: "sysadmin", Status: 422,
				Body: `{"year":2029,"days":[{"name":"a","date":"2029-05-01","isOffDay":true}]}`, Want: []string{`not 2030`, `2029-05-01 is not in 2030`}},
			{Name: "import kept the good year", Method: "GET", Path: "/sla/calendars/east", Role: "sysadmin", Status: 200,
				Want: []string{`"date":"2030-01-01"`, `"date":"2030-02-02","kind":"workday"`, `"date":"2031-01-01"`}, NotWant: []string{`2030-05-01`, `2029`}},
			{Name: "due as the CLI", Method: "GET", Path: "/sla/calendars/cn-workday/due?from=2026-09-30T17:00:00%2B08:00&duration=8h", Role: "manager", Status: 200,
				Want: []string{`"due":"` + want + `"`}},
			{Name: "due bad duration", Method: "GET", Path: "/sla/calendars/cn-workday/due?from=2026-09-30T17:00:00%2B08:00&duration=8x", Role: "manager", Status: 400},
			{Name: "policy without targets", Method: "POST", Path: "/sla/policies", Role: "sysadmin", Status: 422,
				Body: `{"name":"华东","calendar":"east","targets":{}}`, Want: []string{`"targets"`}},
			{Name: "policy on unknown calendar", Method: "POST", Path: "/sla/policies", Role: "sysadmin", Status: 422,
				Body: `{"name":"华东","calendar":"nowhere","targets":{"p1":{"resolution":240}}}`, Want: []string{`"calendar"`}},
			{Name: "create policy", Method: "POST", Path: "/sla/policies", Role: "sysadmin", Status: 201, Capture: "pol",
				Body: `{"name":"华东故障","calendar":"east","ticket_type":"incident","targets":{"p1":{"first_response":30,"resolution":240}}}`,
				Want: []string{`"warn_percent":75`, `"resolution":240`}},
			{Name: "stale policy", Method: "PUT", Path: "/sla/policies/{{pol}}", Role: "sysadmin", Status: 409,
				Body: `{"name":"华东故障","calendar":"east","targets":{"p1":{"resolution":240}},"version":7}`},
			{Name: "edit policy", Method: "PUT", Path: "/sla/policies/{{pol}}", Role: "manager", Status: 200,
				Body: `{"name":"华东故障","calendar":"east","warn_percent":80,"targets":{"p1":{"resolution":480}},"version":{{pol.version}}}`,
				Want: []string{`"warn_percent":80`, `"version":2`}},
			{Name: "used calendar kept", Method: "DELETE", Path: "/sla/calendars/east", Role: "sysadmin", Status: 409, Want: []string{`"policies":"华东故障"`}},
			{Name: "engineer may not delete policy", Method: "DELETE", Path: "/sla/policies/{{pol}}", Role: "engineer", Status: 403},
			{Name: "delete policy", Method: "DELETE", Path: "/sla/policies/{{pol}}", Role: "sysadmin", Status: 204},
			{Name: "delete calendar", Method: "DELETE", Path: "/sla/calendars/east", Role: "sysadmin", Status: 204},
			{Name: "gone", Method: "GET", Path: "/sla/calendars/east", Role: "sysadmin", Status: 404},
		})
	})
}
