package api_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestQualityInspection closes a ticket, samples it, scores it against the checklist and reads the
// averages, over HTTP on both engines.
func TestQualityInspection(t *testing.T) {
	engines(t, func(r *run) {
		r.deskGroup(t)
		v := map[string]string{"If-Match": `"{{t.version}}"`}
		r.scenarios([]scenario{
			{Name: "requester creates", Method: "POST", Path: "/tickets", Role: "requester", Status: 201, Capture: "t",
				Body: `{"type":"incident","subject":"会议室投影仪无信号","urgency":2,"impact":3}`},
			{Name: "agent assigns", Method: "POST", Path: "/tickets/{{t}}/assign", Role: "agent", Status: 200, Capture: "t",
				Body: `{"group_id":{{grp}},"assignee_id":{{id:engineer}},"version":{{t.version}}}`},
			{Name: "engineer resolves", Method: "POST", Path: "/tickets/{{t}}/resolve", Role: "engineer", Status: 200, Capture: "t",
				Body: `{"solution":"更换 HDMI 线"}`, Header: v},
			{Name: "requester confirms", Method: "POST", Path: "/tickets/{{t}}/confirm", Role: "requester", Status: 200, Header: v,
				Want: []string{`"status":"closed"`}},
		})
		now := time.Now().UTC()
		period := fmt.Sprintf(`"from":%q,"to":%q`, now.Add(-time.Hour).Format(time.RFC3339), now.Add(time.Hour).Format(time.RFC3339))
		r.scenarios([]scenario{
			{Name: "engineer may not sample", Method: "POST", Path: "/inspections/sample", Role: "engineer", Status: 403,
				Body: `{` + period + `,"rule":"random","percent":100}`},
			{Name: "random needs a percent", Method: "POST", Path: "/inspections/sample", Role: "manager", Status: 422,
				Body: `{` + period + `,"rule":"random"}`},
			{Name: "unknown rule", Method: "POST", Path: "/inspections/sample", Role: "manager", Status: 400,
				Body: `{` + period + `,"rule":"everything"}`},
			{Name: "manager samples", Method: "POST", Path: "/inspections/sample", Role: "manager", Status: 200,
				Body: `{` + period + `,"rule":"random","percent":100}`,
				Want: []string{`"number":"INC-`, `"engineer_name":"运维工程师测试"`, `"scored":false`}},
			{Name: "never twice", Method: "POST", Path: "/inspections/sample", Role: "manager", Status: 200,
				Body: `{` + period + `,"rule":"random","percent":100}`, Want: []string{`"items":[]`}},
		})
		var list struct {
			Items []struct {
				ID      int64 `json:"id"`
				Version int   `json:"version"`
			} `json:"items"`
		}
		r.getJSON(t, "manager", "/inspections?scored=false", &list)
		if len(list.Items) != 1 {
			t.Fatalf("%d inspections awaiting a score, want 1", len(list.Items))
		}
		var checklist struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		r.getJSON(t, "manager", "/inspection-checklist", &checklist)
		var marks, partial []string
		for i, c := range checklist.Items {
			m := `{"item_id":` + strconv.FormatInt(c.ID, 10) + `,"points":5}`
			marks = append(marks, m)
			if i == 0 {
				partial = append(partial, m)
			}
		}
		r.vars["in"] = strconv.FormatInt(list.Items[0].ID, 10)
		r.vars["in.version"] = strconv.Itoa(list.Items[0].Version)
		r.scenarios([]scenario{
			{Name: "requester may not read the checklist", Method: "GET", Path: "/inspection-checklist", Role: "requester", Status: 403},
			{Name: "items missing", Method: "POST", Path: "/inspections/{{in}}/score", Role: "manager", Status: 422,
				Body: `{"version":{{in.version}},"items":[` + strings.Join(partial, ",") + `]}`},
			{Name: "points out of range", Method: "POST", Path: "/inspections/{{in}}/score", Role: "manager", Status: 400,
				Body: `{"version":{{in.version}},"items":[{"item_id":1,"points":6}]}`},
			{Name: "manager scores", Method: "POST", Path: "/inspections/{{in}}/score", Role: "manager", Status: 200,
				Body: `{"version":{{in.version}},"comment":"处理规范","items":[` + strings.Join(marks, ",") + `]}`,
				Want: []string{`"score":100`, `"scored":true`, `"name":"响应及时"`}},
			{Name: "stale score", Method: "POST", Path: "/inspections/{{in}}/score", Role: "manager", Status: 409,
				Body: `{"version":{{in.version}},"items":[` + strings.Join(marks, ",") + `]}`},
			{Name: "averages", Method: "GET", Path: "/inspections", Role: "manager", Status: 200,
				Want: []string{`"engineers":[{"average":100,"count":1`, `"engineer_name":"运维工程师测试"`}},
			{Name: "manager may not edit the checklist", Method: "PUT", Path: "/inspection-checklist", Role: "manager", Status: 403,
				Body: `{"items":[{"name":"响应及时","weight":100}]}`},
			{Name: "weight zero", Method: "PUT", Path: "/inspection-checklist", Role: "sysadmin", Status: 400,
				Body: `{"items":[{"name":"响应及时","weight":0}]}`},
			{Name: "administrator edits the checklist", Method: "PUT", Path: "/inspection-checklist", Role: "sysadmin", Status: 200,
				Body: `{"items":[{"name":"响应及时","name_en":"Timely","weight":60},{"name":"按时回访","weight":40}]}`,
				Want: []string{`"name":"按时回访"`, `"weight":60`}},
		})
	})
}
