package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"opsdesk/internal/actor"
	"opsdesk/internal/app/apptest"
	"opsdesk/internal/iam"
	"opsdesk/internal/sla"
	"opsdesk/internal/store/storetest"
)

// TestSeeingSLA: the queue's 时限 column with the 即将超时 filter and the SLA sort, the clocks on
// the staff ticket page, and only the expected resolution time on the requester's page.
func TestSeeingSLA(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine)
			var now atomic.Int64
			set := func(s string) {
				at, _ := time.ParseInLocation("2006-01-02 15:04", s, sla.Shanghai)
				now.Store(at.UnixNano())
			}
			clock := func() time.Time { return time.Unix(0, now.Load()) }
			env.App.Tickets.Now, env.App.Clocks.Now = clock, clock
			op := actor.System(actor.SourceCLI)
			op.Perms[sla.PermManage] = true
			if err := env.App.SLA.SavePolicy(actor.NewContext(context.Background(), op), &sla.Policy{Name: "标准",
				Calendar: "cn-workday", Active: true, Targets: [4]sla.Targets{
					{sla.FirstResponse: 30 * time.Minute, sla.Resolution: 4 * time.Hour},
					{sla.FirstResponse: time.Hour, sla.Resolution: 8 * time.Hour},
					{sla.FirstResponse: 2 * time.Hour, sla.Resolution: 16 * time.Hour},
					{sla.Resolution: 40 * time.Hour}}}); err != nil {
				t.Fatal(err)
			}
			ids := map[string]int64{}
			create := func(subject, at string, urgency int) {
				set(at)
				body := fmt.Sprintf(`{"type":"incident","subject":"%s","urgency":%d,"impact":1}`, subject, urgency)
				req, _ := http.NewRequest("POST", env.URL+"/api/v1/tickets", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+env.Tokens[iam.RoleUser])
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil || resp.StatusCode != 201 {
					t.Fatalf("create %s: %v %v", subject, err, resp)
				}
				var v struct{ ID int64 }
				json.NewDecoder(resp.Body).Decode(&v)
				resp.Body.Close()
				ids[subject] = v.ID
			}
			create("甲服务器宕机", "2026-11-23 09:30", 1) // P1: resolution due 14:30
			create("乙邮箱故障", "2026-11-23 09:00", 1)  // P1: due 14:00
			create("丙网络慢", "2026-11-23 09:00", 2)   // P2: due 18:00
			set("2026-11-23 11:45")

			agent := login(t, env, env.Users[iam.RoleAgent], apptest.Password)
			r := agent.get("/tickets?tab=unassigned&sla=breaching&sort=sla")
			wantStatus(t, "queue", r, 200)
			var got []string
			r.doc(t).Find("#queue-body tr").Each(func(_ int, s *goquery.Selection) {
				got = append(got, strings.TrimSpace(s.Find("td.clip a").Text())+"|"+strings.Join(strings.Fields(s.Find("td.sla-cell").Text()), " "))
			})
			want := "[乙邮箱故障|正常 2026-11-23 14:00 剩 2小时15分 甲服务器宕机|正常 2026-11-23 14:30 剩 2小时45分]"
			if fmt.Sprint(got) != want {
				t.Errorf("breaching queue:\n got %s\nwant %s", got, want)
			}
			if v, _ := r.doc(t).Find(`#f-sla option[selected]`).Attr("value"); v != "breaching" {
				t.Errorf("filter shows %q", v)
			}

			set("2026-11-23 15:00")
			r = agent.get(fmt.Sprintf("/tickets/%d", ids["乙邮箱故障"]))
			wantStatus(t, "ticket page", r, 200)
			var clocks []string
			r.doc(t).Find("#sla tbody tr").Each(func(_ int, s *goquery.Selection) {
				clocks = append(clocks, strings.Join(strings.Fields(s.Text()), " "))
			})
			want = "[首次响应 30分钟（工作时间） 2026-11-23 09:30 5小时 已超时 超时 5小时30分 解决 4小时（工作时间） 2026-11-23 14:00 5小时 已超时 超时 1小时]"
			if fmt.Sprint(clocks) != want {
				t.Errorf("clocks:\n got %s\nwant %s", clocks, want)
			}

			// The achievement page and its CSV (the numbers are tested in package sla).
			manager := login(t, env, env.Users[iam.RoleManager], apptest.Password)
			r = manager.get("/reports/sla?from=2026-11-01&to=2026-11-30")
			wantStatus(t, "sla report", r, 200)
			wantText(t, "sla report", r, "SLA 达成率", "按优先级", "/reports/sla.csv?from=2026-11-01&amp;to=2026-11-30")
			r = manager.get("/reports/sla.csv?from=2026-11-01&to=2026-11-30")
			wantStatus(t, "sla csv", r, 200)
			if !strings.HasPrefix(r.body, "\xEF\xBB\xBFSLA 达成率,统计期间,2026-11-01 ~ 2026-11-30") {
				t.Errorf("csv: %.200q", r.body)
			}
			wantStatus(t, "sla report for an agent", agent.get("/reports/sla"), 403)

			requester := login(t, env, env.Users[iam.RoleUser], apptest.Password)
			r = requester.get(fmt.Sprintf("/my/tickets/%d", ids["乙邮箱故障"]))
			wantStatus(t, "portal page", r, 200)
			wantText(t, "portal page", r, "预计解决时间", "2026-11-23 14:00")
			for _, no := range []string{"首次响应", "已超时", "sla-"} {
				if strings.Contains(r.body, no) {
					t.Errorf("the requester sees %q", no)
				}
			}
		})
	}
}
