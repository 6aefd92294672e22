package api_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/ticket"
)

// deskGroup creates an L2 support group with the engineer in it and stores its id as {{grp}}.
func (r *run) deskGroup(t *testing.T) {
	t.Helper()
	r.scenarios([]scenario{
		{Name: "group", Method: "POST", Path: "/groups", Role: "sysadmin", Status: 201, Capture: "grp",
			Body: `{"name":"桌面支持组","code":"desktop","tier":2,"manager_id":{{id:manager}},"member_ids":[{{id:engineer}}]}`},
	})
}

// TestTicketJourney walks one ticket through its life over HTTP, each step by the role that does it.
func TestTicketJourney(t *testing.T) {
	engines(t, func(r *run) {
		r.deskGroup(t)
		v := map[string]string{"If-Match": `"{{t.version}}"`}
		r.scenarios([]scenario{
			{Name: "requester creates", Method: "POST", Path: "/tickets", Role: "requester", Status: 201, Capture: "t",
				Body: `{"type":"incident","subject":"三楼打印机卡纸","description":"打印时提示卡纸","urgency":2,"impact":3}`,
				Want: []string{`"status":"new"`, `"channel":"api"`, `"priority":3`, `"requester_name":"报障用户测试"`, `"number":"INC-`}},
			{Name: "agent assigns", Method: "POST", Path: "/tickets/{{t}}/assign", Role: "agent", Status: 200, Capture: "t",
				Body: `{"group_id":{{grp}},"assignee_id":{{id:engineer}},"version":{{t.version}}}`,
				Want: []string{`"status":"assigned"`, `"group_name":"桌面支持组"`, `"assignee_name":"运维工程师测试"`, `"owner_name":"服务台坐席测试"`}},
			{Name: "stale assign", Method: "POST", Path: "/tickets/{{t}}/assign", Role: "agent", Status: 409,
				Body: `{"group_id":{{grp}},"reason":"换人","version":1}`, Want: []string{"该记录已被他人修改"}},
			{Name: "internal note", Method: "POST", Path: "/tickets/{{t}}/comments", Role: "engineer", Status: 201,
				Body: `{"body":"内部备注：搓纸轮老化，领导说先别告诉用户","internal":true,"minutes":15}`,
				Want: []string{`"internal":true`, `"author_name":"运维工程师测试"`}},
			{Name: "public reply", Method: "POST", Path: "/tickets/{{t}}/comments", Role: "engineer", Status: 201,
				Body: `{"body":"您好，工程师十分钟内到场"}`, Want: []string{`"internal":false`}},
			{Name: "requester may not write notes", Method: "POST", Path: "/tickets/{{t}}/comments", Role: "requester", Status: 403,
				Body: `{"body":"x","internal":true}`},
			{Name: "requester sees no internal note", Method: "GET", Path: "/tickets/{{t}}", Role: "requester", Status: 200,
				Want:    []string{"您好，工程师十分钟内到场", `"events":[`, `"kind":"assigned"`, `"to_group_name":"桌面支持组"`},
				NotWant: []string{"内部备注", "搓纸轮", `"internal":true`}},
			{Name: "engineer sees the note", Method: "GET", Path: "/tickets/{{t}}", Role: "engineer", Status: 200, Capture: "t",
				Want: []string{"内部备注", `"minutes_spent":15`}},
			{Name: "resolve needs a version", Method: "POST", Path: "/tickets/{{t}}/resolve", Role: "engineer", Status: 428,
				Body: `{"solution":"更换搓纸轮"}`},
			{Name: "engineer resolves", Method: "POST", Path: "/tickets/{{t}}/resolve", Role: "engineer", Status: 200, Capture: "t",
				Body: `{"solution":"更换搓纸轮","cause":"搓纸轮老化"}`, Header: v, Want: []string{`"status":"resolved"`, `"solution":"更换搓纸轮"`}},
			{Name: "engineer may not confirm", Method: "POST", Path: "/tickets/{{t}}/confirm", Role: "engineer", Status: 403, Header: v},
			{Name: "requester rejects", Method: "POST", Path: "/tickets/{{t}}/reject", Role: "requester", Status: 200, Capture: "t",
				Body: `{"reason":"还是卡纸","version":{{t.version}}}`, Want: []string{`"status":"in_progress"`, `"resolved_at":null`}},
			{Name: "engineer resolves again", Method: "POST", Path: "/tickets/{{t}}/resolve", Role: "engineer", Status: 200, Capture: "t",
				Body: `{"solution":"更换整个进纸组件","version":{{t.version}}}`, Want: []string{`"status":"resolved"`}},
			{Name: "survey before closing is fine, but later", Method: "GET", Path: "/tickets/{{t}}/events", Role: "requester", Status: 200,
				Want: []string{`"kind":"rejected"`, `"reason":"还是卡纸"`, `"actor_name":"报障用户测试"`}},
			{Name: "requester confirms", Method: "POST", Path: "/tickets/{{t}}/confirm", Role: "requester", Status: 200, Capture: "t",
				Header: v, Want: []string{`"status":"closed"`}},
			{Name: "survey", Method: "POST", Path: "/tickets/{{t}}/survey", Role: "requester", Status: 204, Body: `{"score":5,"comment":"很及时"}`},
			{Name: "survey twice", Method: "POST", Path: "/tickets/{{t}}/survey", Role: "requester", Status: 409,
				Body: `{"score":1}`, Want: []string{"这张工单已经评价过了"}},
			{Name: "survey changed the version", Method: "GET", Path: "/tickets/{{t}}", Role: "requester", Status: 200, Capture: "t",
				Want: []string{`"status":"closed"`}},
			{Name: "reopen", Method: "POST", Path: "/tickets/{{t}}/reopen", Role: "requester", Status: 200, Capture: "t",
				Body: `{"reason":"又卡纸了","version":{{t.version}}}`, Want: []string{`"status":"in_progress"`, `"reopen_count":1`}},
			{Name: "history", Method: "GET", Path: "/tickets/{{t}}", Role: "manager", Status: 200,
				Want: []string{`"kind":"created"`, `"kind":"resolved"`, `"kind":"confirmed"`, `"kind":"surveyed"`, `"kind":"reopened"`}},
		})
		t.Run("location", func(t *testing.T) {
			resp, body := r.do(t, "POST", "/tickets", "requester", "", `{"type":"request","subject":"申请新显示器"}`, nil)
			var tk struct {
				ID      int64
				Version int
			}
			json.Unmarshal(body, &tk)
			if resp.StatusCode != 201 || resp.Header.Get("Location") != "/api/v1/tickets/"+strconv.FormatInt(tk.ID, 10) ||
				resp.Header.Get("ETag") != `"1"` {
				t.Fatalf("%d %v %s", resp.StatusCode, resp.Header, body)
			}
		})
	})
}

// TestTicketPatchAndSurveyLink: PATCH needs a current version; a one-time survey link works once,
// without login.
func TestTicketPatchAndSurveyLink(t *testing.T) {
	engines(t, func(r *run) {
		r.deskGroup(t)
		r.scenarios([]scenario{
			{Name: "agent logs a call", Method: "POST", Path: "/tickets", Role: "agent", Status: 201, Capture: "t",
				Body: `{"type":"incident","channel":"phone","subject":"邮箱无法登录","requester_id":{{id:requester}},
					"group_id":{{grp}},"assignee_id":{{id:engineer}},"urgency":1,"impact":1}`,
				Want: []string{`"channel":"phone"`, `"status":"assigned"`, `"priority":1`, `"owner_id":{{id:agent}}`}},
			{Name: "patch without If-Match", Method: "PATCH", Path: "/tickets/{{t}}", Role: "engineer", Status: 428,
				Body: `{"location":"二楼"}`, Want: []string{`"version"`}},
			{Name: "patch bad If-Match", Method: "PATCH", Path: "/tickets/{{t}}", Role: "engineer", Status: 400,
				Body: `{"location":"二楼"}`, Header: map[string]string{"If-Match": "abc"}, Want: []string{`"If-Match"`}},
			{Name: "patch", Method: "PATCH", Path: "/tickets/{{t}}", Role: "engineer", Status: 200,
				Body: `{"location":"二楼 201","impact":3,"service_mode":"onsite"}`, Header: map[string]string{"If-Match": `"{{t.version}}"`},
				Want: []string{`"location":"二楼 201"`, `"priority":3`, `"service_mode":"onsite"`, `"subject":"邮箱无法登录"`}},
			{Name: "patch stale", Method: "PATCH", Path: "/tickets/{{t}}", Role: "engineer", Status: 409,
				Body: `{"location":"三楼"}`, Header: map[string]string{"If-Match": `"{{t.version}}"`}, Want: []string{`"kind":"conflict"`}},
			{Name: "patch stale in body", Method: "PATCH", Path: "/tickets/{{t}}", Role: "engineer", Status: 409,
				Body: `{"location":"三楼","version":{{t.version}}}`},
			{Name: "engineer may not mark confidential", Method: "PATCH", Path: "/tickets/{{t}}", Role: "engineer", Status: 403,
				Body: `{"confidential":true,"version":99}`},
			{Name: "requester may not patch", Method: "PATCH", Path: "/tickets/{{t}}", Role: "requester", Status: 403,
				Body: `{"location":"x","version":1}`},
			{Name: "reread", Method: "GET", Path: "/tickets/{{t}}", Role: "engineer", Status: 200, Capture: "t"},
			{Name: "resolve", Method: "POST", Path: "/tickets/{{t}}/resolve", Role: "engineer", Status: 200,
				Body: `{"solution":"重置密码","version":{{t.version}}}`},
			{Name: "requester may not make links", Method: "POST", Path: "/tickets/{{t}}/survey-link", Role: "requester", Status: 403},
		})
		resp, body := r.do(t, "POST", "/tickets/"+r.vars["t"]+"/survey-link", "engineer", "", "", nil)
		var link struct{ Token, Path string }
		if err := json.Unmarshal(body, &link); resp.StatusCode != 200 || err != nil || link.Token == "" ||
			link.Path != "/api/v1/surveys/"+link.Token {
			t.Fatalf("survey link: %d %s", resp.StatusCode, body)
		}
		r.vars["token"] = link.Token
		r.scenarios([]scenario{
			{Name: "bad token", Method: "POST", Path: "/surveys/nope", Status: 404, Body: `{"score":4}`, Want: []string{"评价链接无效"}},
			{Name: "token with odd characters", Method: "POST", Path: "/surveys/a.b", Status: 400, Body: `{"score":4}`},
			{Name: "score out of range", Method: "POST", Path: "/surveys/{{token}}", Status: 400, Body: `{"score":6}`,
				Want: []string{`"score"`}},
			{Name: "answer without login", Method: "POST", Path: "/surveys/{{token}}", Status: 204, Body: `{"score":4,"comment":"不错"}`},
			{Name: "answer twice", Method: "POST", Path: "/surveys/{{token}}", Status: 409, Body: `{"score":4}`},
			{Name: "requester too late", Method: "POST", Path: "/tickets/{{t}}/survey", Role: "requester", Status: 409, Body: `{"score":2}`},
			{Name: "link after answer", Method: "POST", Path: "/tickets/{{t}}/survey-link", Role: "engineer", Status: 409},
			{Name: "audited as the link", Method: "GET", Path: "/audit?action=ticket.survey", Role: "auditor", Status: 200,
				Want: []string{`"action":"ticket.survey"`, "survey-link"}},
		})
	})
}

// TestTicketSearchAndPages: q=打印 finds a two-character Chinese word; following next_cursor returns
// every ticket exactly once in each sort order.
func TestTicketSearchAndPages(t *testing.T) {
	engines(t, func(r *run) {
		subjects := []string{"打印机无法打印", "网络时断时续", "邮件发不出去", "共享打印机脱机", "电脑蓝屏"}
		const n = 23
		for i := range n {
			body := fmt.Sprintf(`{"type":"incident","subject":"%s %d","urgency":%d,"impact":%d}`, subjects[i%len(subjects)], i, i%3+1, (i/3)%3+1)
			if resp, data := r.do(t, "POST", "/tickets", "requester", "", body, nil); resp.StatusCode != 201 {
				t.Fatalf("create: %d %s", resp.StatusCode, data)
			}
		}
		t.Run("search", func(t *testing.T) {
			var page struct{ Items []struct{ Subject string } }
			r.getJSON(t, "agent", "/tickets?limit=500&q="+url.QueryEscape("打印"), &page)
			if len(page.Items) != 9 {
				t.Fatalf("%d hits for 打印: %+v", len(page.Items), page.Items)
			}
			for _, it := range page.Items {
				if !strings.Contains(it.Subject, "打印") {
					t.Errorf("hit %q", it.Subject)
				}
			}
			r.getJSON(t, "requester", "/tickets?q="+url.QueryEscape("蓝屏")+"&status=new,assigned&status=pending", &page)
			if len(page.Items) != 4 {
				t.Errorf("%d hits for 蓝屏", len(page.Items))
			}
		})
		for _, sort := range []string{"priority", "newest", "updated"} {
			t.Run("pages by "+sort, func(t *testing.T) {
				seen := map[int64]int{}
				path := "/tickets?limit=4&sort=" + sort
				prevPrio := 0
				for pages := 0; path != ""; pages++ {
					if pages > n {
						t.Fatal("cursor does not advance")
					}
					var page struct {
						Items []struct {
							ID       int64
							Priority int
						}
						NextCursor *string `json:"next_cursor"`
					}
					r.getJSON(t, "agent", path, &page)
					for _, it := range page.Items {
						seen[it.ID]++
						if sort == "priority" && it.Priority < prevPrio {
							t.Errorf("priority %d after %d", it.Priority, prevPrio)
						}
						prevPrio = it.Priority
					}
					path = ""
					if page.NextCursor != nil {
						path = "/tickets?limit=4&sort=" + sort + "&cursor=" + url.QueryEscape(*page.NextCursor)
					}
				}
				if len(seen) != n {
					t.Errorf("%d distinct tickets, want %d", len(seen), n)
				}
				for id, k := range seen {
					if k != 1 {
						t.Errorf("ticket %d seen %d times", id, k)
					}
				}
			})
		}
		t.Run("cursor of another sort", func(t *testing.T) {
			var page struct {
				NextCursor *string `json:"next_cursor"`
			}
			r.getJSON(t, "agent", "/tickets?limit=2&sort=newest", &page)
			resp, body := r.do(t, "GET", "/tickets?sort=updated&cursor="+url.QueryEscape(*page.NextCursor), "agent", "", "", nil)
			if resp.StatusCode != 400 || !strings.Contains(string(body), `"cursor"`) {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
		})
	})
}

// TestTicketAccess: what each role may do with tickets beyond the route table: 404 for tickets the
// caller may not see, 403 for a rule of the service.
func TestTicketAccess(t *testing.T) {
	engines(t, func(r *run) {
		r.scenarios([]scenario{
			{Name: "requester creates", Method: "POST", Path: "/tickets", Role: "requester", Status: 201, Capture: "t",
				Body: `{"type":"consultation","subject":"如何连接 VPN"}`},
			{Name: "engineer opens own", Method: "POST", Path: "/tickets", Role: "engineer", Status: 201, Capture: "mine",
				Body: `{"type":"request","subject":"申请测试服务器"}`},
			{Name: "agent logs an external caller with an address", Method: "POST", Path: "/tickets", Role: "agent", Status: 201,
				Body: `{"type":"incident","subject":"外协人员无法上网","contact_name":"李四","contact_email":"lisi@partner.example.cn"}`,
				Want: []string{`"contact_email":"lisi@partner.example.cn"`, `"requester_id":0`}},
			{Name: "a malformed caller address", Method: "POST", Path: "/tickets", Role: "agent", Status: 422,
				Body: `{"type":"incident","subject":"外协人员无法上网","contact_name":"李四","contact_email":"lisi at partner"}`,
				Want: []string{`"contact_email":"电子邮箱格式不正确"`}},
			{Name: "vendor does not see it", Method: "GET", Path: "/tickets/{{t}}", Role: "vendor", Status: 404, Want: []string{`"kind":"not_found"`}},
			{Name: "vendor list is empty", Method: "GET", Path: "/tickets", Role: "vendor", Status: 200, Want: []string{`"items":[]`, `"next_cursor":null`}},
			{Name: "requester sees only own", Method: "GET", Path: "/tickets", Role: "requester", Status: 200,
				Want: []string{"如何连接 VPN"}, NotWant: []string{"申请测试服务器"}},
			{Name: "requester does not see others'", Method: "GET", Path: "/tickets/{{mine}}", Role: "requester", Status: 404},
			{Name: "requester events of others'", Method: "GET", Path: "/tickets/{{mine}}/events", Role: "requester", Status: 404},
			{Name: "requester comments on others'", Method: "POST", Path: "/tickets/{{mine}}/comments", Role: "requester", Status: 404,
				Body: `{"body":"hi"}`},
			{Name: "unknown ticket", Method: "GET", Path: "/tickets/999999", Role: "manager", Status: 404},
			{Name: "sysadmin has no tickets", Method: "GET", Path: "/tickets/{{t}}", Role: "sysadmin", Status: 403},
			{Name: "auditor may not create", Method: "POST", Path: "/tickets", Role: "auditor", Status: 403,
				Body: `{"type":"incident","subject":"x"}`},
			{Name: "requester may not log for others", Method: "POST", Path: "/tickets", Role: "requester", Status: 403,
				Body: `{"type":"incident","subject":"x","requester_id":{{id:engineer}}}`},
			{Name: "requester may not dispatch", Method: "POST", Path: "/tickets", Role: "requester", Status: 403,
				Body: `{"type":"incident","subject":"x","group_id":1}`},
			{Name: "requester may not assign", Method: "POST", Path: "/tickets/{{t}}/assign", Role: "requester", Status: 403,
				Body: `{"group_id":1,"version":1}`},
			{Name: "engineer may not assign", Method: "POST", Path: "/tickets/{{t}}/assign", Role: "engineer", Status: 403,
				Body: `{"group_id":1,"version":1}`},
			{Name: "requester may not resolve", Method: "POST", Path: "/tickets/{{t}}/resolve", Role: "requester", Status: 403,
				Body: `{"solution":"x","version":1}`},
			{Name: "engineer may not urge others' work", Method: "POST", Path: "/tickets/{{t}}/urge", Role: "engineer", Status: 403},
			{Name: "requester urges", Method: "POST", Path: "/tickets/{{t}}/urge", Role: "requester", Status: 200,
				Body: `{"note":"请尽快"}`, Want: []string{`"urge_count":1`}},
			{Name: "requester watches own", Method: "POST", Path: "/tickets/{{t}}/watchers", Role: "requester", Status: 200,
				Body: `{"user_id":{{id:requester}}}`, Want: []string{`"watcher_ids":[{{id:requester}}]`}},
			{Name: "requester may not add others", Method: "POST", Path: "/tickets/{{t}}/watchers", Role: "requester", Status: 403,
				Body: `{"user_id":{{id:manager}}}`},
			{Name: "agent adds manager", Method: "POST", Path: "/tickets/{{t}}/watchers", Role: "agent", Status: 200,
				Body: `{"user_id":{{id:manager}}}`, Want: []string{`"watcher_ids":[`}},
			{Name: "watchers named", Method: "GET", Path: "/tickets/{{t}}", Role: "agent", Status: 200,
				Capture: "t", Want: []string{`{"id":{{id:requester}},"name":"报障用户测试"}`, `{"id":{{id:manager}},"name":"部门负责人测试"}`}},
			{Name: "requester cancels while new", Method: "POST", Path: "/tickets/{{t}}/cancel", Role: "requester", Status: 200,
				Body: `{"reason":"已自行解决"}`, Header: map[string]string{"If-Match": `W/"{{t.version}}"`},
				Want: []string{`"status":"cancelled"`}},
			{Name: "export denied to requester", Method: "GET", Path: "/tickets/export?format=csv", Role: "requester", Status: 403},
			{Name: "export denied to vendor", Method: "GET", Path: "/tickets/export?format=csv", Role: "vendor", Status: 403},
			{Name: "rules denied to requester", Method: "GET", Path: "/dispatch-rules", Role: "requester", Status: 403},
			{Name: "settings denied to requester", Method: "GET", Path: "/ticket-settings", Role: "requester", Status: 403},
			{Name: "settings change denied to manager", Method: "PUT", Path: "/ticket-settings", Role: "manager", Status: 403,
				Body: `{"matrix":[[1,2,3],[2,3,3],[3,4,4]],"reopen_days":7,"auto_confirm_days":3}`},
			{Name: "categories for requester", Method: "GET", Path: "/ticket-categories", Role: "requester", Status: 200},
			{Name: "category change denied to agent", Method: "POST", Path: "/ticket-categories", Role: "agent", Status: 403,
				Body: `{"name":"网络"}`},
		})
	})
}

// TestTicketConfig covers categories, dispatch rules and settings, and that a rule routes a new ticket.
func TestTicketConfig(t *testing.T) {
	engines(t, func(r *run) {
		r.deskGroup(t)
		r.scenarios([]scenario{
			{Name: "category", Method: "POST", Path: "/ticket-categories", Role: "sysadmin", Status: 201, Capture: "net",
				Body: `{"name":"网络","name_en":"Network","sort":1}`, Want: []string{`"active":true`}},
			{Name: "sub-category", Method: "POST", Path: "/ticket-categories", Role: "sysadmin", Status: 201, Capture: "wifi",
				Body: `{"name":"无线网络","name_en":"Wi-Fi","parent_id":{{net}}}`},
			{Name: "third level refused", Method: "POST", Path: "/ticket-categories", Role: "sysadmin", Status: 422,
				Body: `{"name":"五楼","parent_id":{{wifi}}}`, Want: []string{`"parent_id"`}},
			{Name: "rename", Method: "PUT", Path: "/ticket-categories/{{wifi}}", Role: "sysadmin", Status: 200,
				Body: `{"name":"无线网","name_en":"Wi-Fi","parent_id":{{net}}}`, Want: []string{`"name":"无线网"`}},
			{Name: "rename unknown", Method: "PUT", Path: "/ticket-categories/999999", Role: "sysadmin", Status: 404, Body: `{"name":"x"}`},
			{Name: "blank name", Method: "POST", Path: "/ticket-categories", Role: "sysadmin", Status: 422, Body: `{"name":"  "}`,
				Want: []string{`"name":"必填"`}},
			{Name: "blank name in English", Method: "POST", Path: "/ticket-categories", Role: "sysadmin", Status: 422, Body: `{"name":"  "}`,
				Header: map[string]string{"Accept-Language": "en"}, Want: []string{`"name":"Required"`}},
			{Name: "rule", Method: "POST", Path: "/dispatch-rules", Role: "sysadmin", Status: 201, Capture: "rule",
				Body: `{"name":"无线网络归桌面组","category_id":{{net}},"group_id":{{grp}},"sort":10}`,
				Want: []string{`"group_name":"桌面支持组"`, `"version":1`}},
			{Name: "rule unknown group", Method: "POST", Path: "/dispatch-rules", Role: "sysadmin", Status: 422,
				Body: `{"name":"x","group_id":999999}`, Want: []string{`"group_id"`}},
			{Name: "rules for agent", Method: "GET", Path: "/dispatch-rules", Role: "agent", Status: 200, Want: []string{"无线网络归桌面组"}},
			{Name: "rule update without version", Method: "PUT", Path: "/dispatch-rules/{{rule}}", Role: "sysadmin", Status: 428,
				Body: `{"name":"无线","group_id":{{grp}}}`},
			{Name: "rule update", Method: "PUT", Path: "/dispatch-rules/{{rule}}", Role: "sysadmin", Status: 200,
				Body: `{"name":"无线","category_id":{{net}},"group_id":{{grp}}}`, Header: map[string]string{"If-Match": `"1"`},
				Want: []string{`"version":2`}},
			{Name: "rule update stale", Method: "PUT", Path: "/dispatch-rules/{{rule}}", Role: "sysadmin", Status: 409,
				Body: `{"name":"无线","group_id":{{grp}},"version":1}`},
			{Name: "rule update unknown", Method: "PUT", Path: "/dispatch-rules/999999", Role: "sysadmin", Status: 404,
				Body: `{"name":"无线","group_id":{{grp}},"version":1}`},
			{Name: "routed by the rule", Method: "POST", Path: "/tickets", Role: "requester", Status: 201,
				Body: `{"type":"incident","subject":"会议室连不上无线","category_id":{{wifi}}}`,
				Want: []string{`"group_name":"桌面支持组"`, `"assignee_id":{{id:engineer}}`, `"category_name":"网络 › 无线网"`}},
			{Name: "category label in English", Method: "GET", Path: "/tickets", Role: "requester", Status: 200,
				Header: map[string]string{"Accept-Language": "en"}, Want: []string{`"category_name":"Network › Wi-Fi"`}},
			{Name: "rule delete", Method: "DELETE", Path: "/dispatch-rules/{{rule}}", Role: "sysadmin", Status: 204},
			{Name: "rule delete again", Method: "DELETE", Path: "/dispatch-rules/{{rule}}", Role: "sysadmin", Status: 404},
			{Name: "settings", Method: "GET", Path: "/ticket-settings", Role: "agent", Status: 200,
				Want: []string{`"matrix":[[1,2,3],[2,3,3],[3,4,4]]`, `"reopen_days":7`}},
			{Name: "settings save", Method: "PUT", Path: "/ticket-settings", Role: "sysadmin", Status: 200,
				Body: `{"matrix":[[1,1,2],[2,3,3],[3,4,4]],"reopen_days":14,"auto_confirm_days":5}`, Want: []string{`"reopen_days":14`}},
			{Name: "settings bad matrix", Method: "PUT", Path: "/ticket-settings", Role: "sysadmin", Status: 422,
				Body: `{"matrix":[[4,1,2],[2,3,3],[3,4,4]],"reopen_days":14,"auto_confirm_days":5}`, Want: []string{`"matrix"`}},
			{Name: "settings short matrix", Method: "PUT", Path: "/ticket-settings", Role: "sysadmin", Status: 400,
				Body: `{"matrix":[[1,1,2],[2,3,3]],"reopen_days":14,"auto_confirm_days":5}`},
			{Name: "settings kept", Method: "GET", Path: "/ticket-settings", Role: "manager", Status: 200,
				Want: []string{`"matrix":[[1,1,2],[2,3,3],[3,4,4]]`, `"auto_confirm_days":5`}},
		})
	})
}

// TestTicketBadInput: careless or hostile bodies and parameters are refused with 400 or 422 in the
// error shape, never a 500, and nothing is stored.
func TestTicketBadInput(t *testing.T) {
	engines(t, func(r *run) {
		r.scenarios([]scenario{
			{Name: "a ticket", Method: "POST", Path: "/tickets", Role: "requester", Status: 201, Capture: "t",
				Body: `{"type":"incident","subject":"显示器闪烁"}`},
		})
		create := func(name, body string, status int, want ...string) scenario {
			return scenario{Name: name, Method: "POST", Path: "/tickets", Role: "agent", Body: body, Status: status, Want: want}
		}
		r.scenarios([]scenario{
			create("malformed JSON", `{"type":`, 400, "请求体不是有效的 JSON"),
			create("array", `[]`, 400),
			create("null", `null`, 400),
			create("missing subject", `{"type":"incident"}`, 400, `"subject":"必填"`),
			create("subject a number", `{"type":"incident","subject":42}`, 400, `"subject":"类型不正确"`),
			create("unknown type", `{"type":"outage","subject":"x"}`, 400, `"type"`),
			create("unknown field", `{"type":"incident","subject":"x","status":"closed"}`, 400, `"status":"包含未知字段"`),
			create("huge subject", `{"type":"incident","subject":"`+strings.Repeat("长", 201)+`"}`, 400, `"subject":"内容过长"`),
			create("huge description", `{"type":"incident","subject":"x","description":"`+strings.Repeat("x", 20001)+`"}`, 400, `"description"`),
			create("invalid UTF-8", "{\"type\":\"incident\",\"subject\":\"\xff\xfe\"}", 400, "包含无效的字符编码"),
			create("NUL", `{"type":"incident","subject":"a\u0000b"}`, 400, `"subject"`),
			create("control character", `{"type":"incident","subject":"a\u0007b"}`, 422, `"subject":"包含不允许的控制字符"`),
			create("blank subject", `{"type":"incident","subject":"   "}`, 422, `"subject":"必填"`),
			create("negative category", `{"type":"incident","subject":"x","category_id":-1}`, 400, `"category_id"`),
			create("negative requester", `{"type":"incident","subject":"x","requester_id":-5}`, 400, `"requester_id"`),
			create("unknown requester", `{"type":"incident","subject":"x","requester_id":999999}`, 422, `"requester_id"`),
			create("unknown category", `{"type":"incident","subject":"x","category_id":999999}`, 422, `"category_id"`),
			create("unknown group", `{"type":"incident","subject":"x","group_id":999999}`, 422, `"group_id"`),
			create("urgency out of range", `{"type":"incident","subject":"x","urgency":0}`, 400, `"urgency"`),
			create("fractional urgency", `{"type":"incident","subject":"x","urgency":1.5}`, 400, `"urgency"`),
			create("id beyond int64", `{"type":"incident","subject":"x","category_id":99999999999999999999}`, 400),
			create("boolean as string", `{"type":"incident","subject":"x","confidential":"yes"}`, 400, `"confidential"`),
			{Name: "English field errors", Method: "POST", Path: "/tickets", Role: "agent", Status: 422,
				Header: map[string]string{"Accept-Language": "en"}, Body: `{"type":"incident","subject":"  "}`,
				Want: []string{`"subject":"Required"`}, NotWant: []string{"必填"}},
			{Name: "path id negative", Method: "GET", Path: "/tickets/-1", Role: "agent", Status: 400, Want: []string{`"id"`}},
			{Name: "path id not a number", Method: "POST", Path: "/tickets/abc/take", Role: "agent", Status: 400, Want: []string{`"id"`}},
			{Name: "unknown status", Method: "GET", Path: "/tickets?status=new,bogus", Role: "agent", Status: 400,
				Want: []string{`"status":"不是允许的取值"`}},
			{Name: "unknown sort", Method: "GET", Path: "/tickets?sort=random", Role: "agent", Status: 400, Want: []string{`"sort"`}},
			{Name: "limit zero", Method: "GET", Path: "/tickets?limit=0", Role: "agent", Status: 400, Want: []string{`"limit"`}},
			{Name: "garbage cursor", Method: "GET", Path: "/tickets?cursor=!!!", Role: "agent", Status: 400},
			{Name: "forged cursor", Method: "GET", Path: "/tickets?cursor=eyJzIjoxfQ", Role: "agent", Status: 400, Want: []string{`"cursor"`}},
			{Name: "bad date", Method: "GET", Path: "/tickets?created_after=yesterday", Role: "agent", Status: 400, Want: []string{`"created_after"`}},
			{Name: "query not UTF-8", Method: "GET", Path: "/tickets?q=%ff", Role: "agent", Status: 400, Want: []string{`"q"`}},
			{Name: "patch urgency", Method: "PATCH", Path: "/tickets/{{t}}", Role: "agent", Status: 400,
				Body: `{"urgency":7,"version":1}`, Want: []string{`"urgency"`}},
			{Name: "patch unknown field", Method: "PATCH", Path: "/tickets/{{t}}", Role: "agent", Status: 400,
				Body: `{"status":"closed","version":1}`, Want: []string{`"status":"包含未知字段"`}},
			{Name: "patch version zero", Method: "PATCH", Path: "/tickets/{{t}}", Role: "agent", Status: 422,
				Body: `{"location":"x","version":0}`, Want: []string{`"version"`}},
			{Name: "If-Match and body disagree", Method: "PATCH", Path: "/tickets/{{t}}", Role: "agent", Status: 400,
				Body: `{"location":"x","version":2}`, Header: map[string]string{"If-Match": `"1"`}},
			{Name: "action version zero", Method: "POST", Path: "/tickets/{{t}}/take", Role: "agent", Status: 400,
				Body: `{"version":0}`, Want: []string{`"version"`}},
			{Name: "take without version", Method: "POST", Path: "/tickets/{{t}}/take", Role: "agent", Status: 428},
			{Name: "assign group as string", Method: "POST", Path: "/tickets/{{t}}/assign", Role: "agent", Status: 400,
				Body: `{"group_id":"1","version":1}`, Want: []string{`"group_id"`}},
			{Name: "assign nobody", Method: "POST", Path: "/tickets/{{t}}/assign", Role: "agent", Status: 422,
				Body: `{"version":1}`, Want: []string{`"group_id"`}},
			{Name: "pending reason unknown", Method: "POST", Path: "/tickets/{{t}}/pending", Role: "agent", Status: 400,
				Body: `{"reason":"lunch","version":1}`, Want: []string{`"reason"`}},
			{Name: "reject without reason", Method: "POST", Path: "/tickets/{{t}}/reject", Role: "requester", Status: 400,
				Body: `{"version":1}`, Want: []string{`"reason":"必填"`}},
			{Name: "comment minutes negative", Method: "POST", Path: "/tickets/{{t}}/comments", Role: "agent", Status: 400,
				Body: `{"body":"x","minutes":-1}`, Want: []string{`"minutes"`}},
			{Name: "comment blank", Method: "POST", Path: "/tickets/{{t}}/comments", Role: "agent", Status: 422,
				Body: `{"body":" "}`, Want: []string{`"body":"必填"`}},
			{Name: "watch user zero", Method: "POST", Path: "/tickets/{{t}}/watchers", Role: "agent", Status: 400,
				Body: `{"user_id":0}`, Want: []string{`"user_id"`}},
			{Name: "watch unknown user", Method: "POST", Path: "/tickets/{{t}}/watchers", Role: "agent", Status: 422,
				Body: `{"user_id":999999}`, Want: []string{`"user_id"`}},
			{Name: "confirm an open ticket", Method: "POST", Path: "/tickets/{{t}}/confirm", Role: "requester", Status: 422,
				Header: map[string]string{"If-Match": `"1"`}},
			{Name: "survey an open ticket", Method: "POST", Path: "/tickets/{{t}}/survey", Role: "requester", Status: 422,
				Body: `{"score":3}`},
			{Name: "nothing stored", Method: "GET", Path: "/tickets", Role: "agent", Status: 200, Want: []string{`"subject":"显示器闪烁"`},
				NotWant: []string{`"subject":"x"`}},
		})
	})
}

// TestTicketExport: the 技术支持记录表 of 2,000 tickets is 2,001 CSV lines after a byte-order mark,
// read from the store a page at a time; Excel works too, and requesters may not export.
func TestTicketExport(t *testing.T) {
	engines(t, func(r *run) {
		ctx := context.Background()
		svc := r.env.App.Tickets
		req, err := svc.Directory.Person(ctx, r.env.IDs["requester"])
		if err != nil {
			t.Fatal(err)
		}
		start := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
		err = svc.Store.InTx(actor.NewContext(ctx, actor.System(actor.SourceJob)), func(ctx context.Context) error {
			for i := range 2000 {
				at := start.Add(time.Duration(i/3) * time.Minute) // three tickets share each minute
				tk := &ticket.Ticket{Number: ticket.FormatNumber(ticket.Incident, 2026, int64(i+1)), Type: ticket.Incident,
					Status: ticket.Resolved, Channel: ticket.Phone, Subject: fmt.Sprintf("打印机卡纸 %d", i), Description: "先断电",
					Urgency: ticket.Level(i%3 + 1), Impact: ticket.Medium, Priority: ticket.Priority(i%4 + 1), RequesterID: req.ID,
					OrgPath: req.OrgPath, CreatedAt: at, UpdatedAt: at, ResolvedAt: at, Tier: 1, ServiceMode: ticket.Remote,
					Solution: "@SUM(1)"}
				if err := svc.Store.Create(ctx, tk); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		resp, body := r.do(t, "GET", "/tickets/export?format=csv", "agent", "", "", nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), `.csv"`) {
			t.Fatalf("status %d, headers %v, body %.300q", resp.StatusCode, resp.Header, body)
		}
		text, ok := strings.CutPrefix(string(body), "\xEF\xBB\xBF")
		if !ok || !strings.HasPrefix(text, "日期 Date,工单号 Number,问题描述 Description,问题分类 Category,解决方法 Solution,处理人 Handler") {
			t.Fatalf("no BOM or header: %.200q", body)
		}
		if n := strings.Count(text, "\n"); n != 2001 {
			t.Errorf("%d lines, want 2001", n)
		}
		recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
		if err != nil || len(recs) != 2001 {
			t.Fatalf("%d records: %v", len(recs), err)
		}
		numbers := map[string]bool{}
		for _, rec := range recs[1:] {
			numbers[rec[1]] = true
		}
		if len(numbers) != 2000 {
			t.Errorf("%d distinct numbers, want 2000", len(numbers))
		}
		if got := recs[1]; got[0] != "2026-03-02" || got[2] != "打印机卡纸 0：先断电" || got[4] != "'@SUM(1)" ||
			got[6] != "已解决" || got[8] != "报障用户测试" {
			t.Errorf("first row %q", got)
		}

		resp, body = r.do(t, "GET", "/tickets/export?format=xlsx&status=resolved&q="+url.QueryEscape("打印"), "manager", "", "", nil)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), "PK") ||
			!strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("xlsx: status %d, headers %v, %d bytes", resp.StatusCode, resp.Header, len(body))
		}
		r.scenarios([]scenario{
			{Name: "requester", Method: "GET", Path: "/tickets/export?format=csv", Role: "requester", Status: 403},
			{Name: "format missing", Method: "GET", Path: "/tickets/export", Role: "agent", Status: 400, Want: []string{`"format"`}},
			{Name: "format unknown", Method: "GET", Path: "/tickets/export?format=pdf", Role: "agent", Status: 400},
			{Name: "filtered to nothing", Method: "GET", Path: "/tickets/export?format=csv&status=closed", Role: "agent", Status: 200},
			{Name: "audited", Method: "GET", Path: "/audit?action=ticket.export", Role: "auditor", Status: 200,
				Want: []string{`"action":"ticket.export"`, `"actor_name":"agent"`}},
		})
	})
}
