package ticket_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"opsdesk/internal/errs"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// reportDesk is a small hand-made month of the service desk, with every figure of the report known:
//
//	T1 phone, taken by the agent, handed to the engineer (L2), urged once, 30 minutes, resolved, rated 4
//	T2 portal, taken by the agent in the L1 group, skipped to the vendor (L3): 越级, flagged
//	T3 phone request, taken and resolved by the agent (10 minutes), confirmed, reopened, resolved again
//	T4 portal, nobody has taken it yet
//	T0 in October (with its own skip): outside the period
type reportDesk struct {
	*desk
	boss, vendor, l1, l3 int64
	t1, t2, t3, t4       *ticket.Ticket
}

func newReportDesk(t *testing.T, db *store.DB) *reportDesk {
	t.Helper()
	d := &reportDesk{desk: newDesk(t, db)}
	d.boss = d.person(t, "boss", ticket.PermManage)
	d.vendor = d.person(t, "vendor", ticket.PermWorkAssigned)
	agent, engineer, requester := d.actors["agent"].UserID, d.actors["engineer"].UserID, d.actors["requester"].UserID
	d.l1 = d.groupOf(t, "服务台", 1, d.boss, agent)
	d.l3 = d.groupOf(t, "厂商", 3, 0, d.vendor)
	must := func(tk *ticket.Ticket, err error) *ticket.Ticket {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	note := func(who string, id int64, minutes int) {
		t.Helper()
		if _, err := d.s.Comment(d.as(who), id, "处理记录", true, minutes); err != nil {
			t.Fatal(err)
		}
	}
	phone := func(typ ticket.Type, subject string, group, assignee int64) *ticket.Ticket {
		return must(d.s.Create(d.as("agent"), ticket.NewTicket{Type: typ, Channel: ticket.Phone, Subject: subject,
			Urgency: ticket.High, Impact: ticket.Medium, RequesterID: requester, GroupID: group, AssigneeID: assignee}))
	}
	fix := ticket.Resolution{Cause: "原因", Solution: "已处理"}

	d.now = time.Date(2026, 10, 20, 10, 0, 0, 0, sla.Shanghai)
	t0 := d.open(t, "requester", "上个月的工单")
	t0 = must(d.s.Assign(d.as("agent"), t0.ID, t0.Version, d.l1, agent, ""))
	must(d.s.Escalate(d.as("agent"), t0.ID, t0.Version, d.l3, 0, "上月越级", true))

	d.now = time.Date(2026, 11, 2, 9, 0, 0, 0, sla.Shanghai)
	d.t1 = phone(ticket.Incident, "财务系统无法登录", 0, 0)
	d.t1 = must(d.s.Assign(d.as("agent"), d.t1.ID, d.t1.Version, d.group, engineer, ""))
	must(d.s.Urge(d.as("requester"), d.t1.ID, "请尽快"))
	note("engineer", d.t1.ID, 30)
	d.t1 = must(d.s.Get(d.as("engineer"), d.t1.ID))
	d.t1 = must(d.s.Resolve(d.as("engineer"), d.t1.ID, d.t1.Version, fix))
	if err := d.s.Rate(d.as("requester"), d.t1.ID, 4, "不错"); err != nil {
		t.Fatal(err)
	}

	d.now = d.now.Add(time.Hour)
	d.t2 = d.open(t, "requester", "核心交换机告警")
	d.t2 = must(d.s.Assign(d.as("agent"), d.t2.ID, d.t2.Version, d.l1, agent, ""))
	d.t2 = must(d.s.Escalate(d.as("agent"), d.t2.ID, d.t2.Version, d.l3, 0, "核心网络中断，紧急越级", true))

	d.now = d.now.Add(time.Hour)
	d.t3 = phone(ticket.Request, "申请开通 VPN", d.l1, agent)
	note("agent", d.t3.ID, 10)
	d.t3 = must(d.s.Get(d.as("agent"), d.t3.ID))
	d.t3 = must(d.s.Resolve(d.as("agent"), d.t3.ID, d.t3.Version, fix))
	d.t3 = must(d.s.Confirm(d.as("requester"), d.t3.ID, d.t3.Version))
	d.t3 = must(d.s.Reopen(d.as("requester"), d.t3.ID, d.t3.Version, "又不行了"))
	d.t3 = must(d.s.Resolve(d.as("agent"), d.t3.ID, d.t3.Version, fix))

	d.t4 = d.open(t, "requester", "其他问题")
	d.now = time.Date(2026, 11, 23, 9, 0, 0, 0, sla.Shanghai)
	return d
}

func (d *reportDesk) report(t *testing.T, who string) (*ticket.DeskReport, error) {
	t.Helper()
	from, to, err := d.s.ReportPeriod("", "")
	if err != nil {
		t.Fatal(err)
	}
	return d.s.ServiceDeskReport(d.as(who), from, to)
}

func TestServiceDeskReport(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newReportDesk(t, db)
		agent, engineer := d.actors["agent"].UserID, d.actors["engineer"].UserID
		r, err := d.report(t, "boss")
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 11, 1, 0, 0, 0, 0, sla.Shanghai); !r.From.Equal(want) || !r.To.Equal(want.AddDate(0, 1, 0)) || r.Own {
			t.Fatalf("period %v – %v own %v", r.From, r.To, r.Own)
		}
		if diff := cmp.Diff([]ticket.OwnerLine{{UserID: agent, Taken: 3, Resolved: 2, HandedOver: 2}}, r.Owners); diff != "" {
			t.Errorf("owners mismatch (-want +got):\n%s", diff)
		}
		wantEng := map[int64]ticket.EngineerLine{
			engineer: {UserID: engineer, Assigned: 1, Resolved: 1, Minutes: 30, Rated: 1, ScoreSum: 4, Urges: 1},
			agent:    {UserID: agent, Assigned: 1, Resolved: 1, Minutes: 10, Reopened: 1},
			d.vendor: {UserID: d.vendor, Assigned: 1},
		}
		gotEng := map[int64]ticket.EngineerLine{}
		for _, l := range r.Engineers {
			gotEng[l.UserID] = l
		}
		if diff := cmp.Diff(wantEng, gotEng); diff != "" || len(r.Engineers) != 3 {
			t.Errorf("engineers mismatch (-want +got):\n%s", diff)
		}
		if l := gotEng[engineer]; l.AvgMinutes() != 30 || l.AvgScore() != 4 {
			t.Errorf("engineer averages %v min, %v score", l.AvgMinutes(), l.AvgScore())
		}
		wantGroups := []ticket.GroupLine{
			{GroupID: d.l1, Opened: 1, Resolved: 1, EscalatedOut: 1},
			{GroupID: d.group, Opened: 1, Resolved: 1},
			{GroupID: d.l3, Opened: 1},
		}
		if diff := cmp.Diff(wantGroups, r.Groups); diff != "" {
			t.Errorf("groups mismatch (-want +got):\n%s", diff)
		}
		prio := map[string]int{"P1": 0, "P2": 0, "P3": 0, "P4": 0}
		for _, tk := range []*ticket.Ticket{d.t1, d.t2, d.t3, d.t4} {
			prio[tk.Priority.String()]++
		}
		if r.Total != 4 {
			t.Errorf("total %d, want 4", r.Total)
		}
		if diff := cmp.Diff([]ticket.Tally{{"incident", 3}, {"request", 1}, {"consultation", 0}, {"complaint", 0}}, r.ByType); diff != "" {
			t.Errorf("by type mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]ticket.Tally{{"portal", 2}, {"phone", 2}, {"email", 0}, {"api", 0}, {"monitoring", 0}, {"im", 0}}, r.ByChannel); diff != "" {
			t.Errorf("by channel mismatch (-want +got):\n%s", diff)
		}
		wantPrio := []ticket.Tally{{"P1", prio["P1"]}, {"P2", prio["P2"]}, {"P3", prio["P3"]}, {"P4", prio["P4"]}}
		if diff := cmp.Diff(wantPrio, r.ByPriority); diff != "" {
			t.Errorf("by priority mismatch (-want +got):\n%s", diff)
		}
		if len(r.Skips) != 1 {
			t.Fatalf("skips %+v, want T2's only", r.Skips)
		}
		k := r.Skips[0]
		k.EventID, k.At = 0, time.Time{}
		want := ticket.Skip{TicketID: d.t2.ID, Number: d.t2.Number, Subject: "核心交换机告警", ActorID: agent, FromGroup: d.l1,
			ToGroup: d.l3, ToUser: d.vendor, Reason: "核心网络中断，紧急越级"}
		if diff := cmp.Diff(want, k); diff != "" {
			t.Errorf("skip mismatch (-want +got):\n%s", diff)
		}
	})
}

// TestServiceDeskReportOwnLines checks who sees what: staff who work tickets and vendor engineers get
// only their own lines, requesters nothing.
func TestServiceDeskReportOwnLines(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newReportDesk(t, db)
		agent, engineer := d.actors["agent"].UserID, d.actors["engineer"].UserID
		cases := []struct {
			who       string
			owners    []ticket.OwnerLine
			engineers []int64
			skips     int
		}{
			{"agent", []ticket.OwnerLine{{UserID: agent, Taken: 3, Resolved: 2, HandedOver: 2}}, []int64{agent}, 1},
			{"engineer", []ticket.OwnerLine{}, []int64{engineer}, 0},
			{"vendor", []ticket.OwnerLine{}, []int64{d.vendor}, 0},
		}
		for _, tc := range cases {
			t.Run(tc.who, func(t *testing.T) {
				r, err := d.report(t, tc.who)
				if err != nil {
					t.Fatal(err)
				}
				if !r.Own || r.Groups != nil || r.Total != 0 || r.ByType != nil {
					t.Errorf("own report carries other lines: own %v groups %v total %d", r.Own, r.Groups, r.Total)
				}
				if diff := cmp.Diff(tc.owners, r.Owners); diff != "" {
					t.Errorf("owners mismatch (-want +got):\n%s", diff)
				}
				var eng []int64
				for _, l := range r.Engineers {
					eng = append(eng, l.UserID)
				}
				if diff := cmp.Diff(tc.engineers, eng); diff != "" {
					t.Errorf("engineers mismatch (-want +got):\n%s", diff)
				}
				if len(r.Skips) != tc.skips {
					t.Errorf("%d skips, want %d", len(r.Skips), tc.skips)
				}
			})
		}
		for _, who := range []string{"requester", "other"} {
			if _, err := d.report(t, who); errs.KindOf(err) != errs.Forbidden {
				t.Errorf("%s opened the report: %v", who, err)
			}
		}
		if _, err := d.s.ServiceDeskReport(context.Background(), time.Now(), time.Now()); errs.KindOf(err) != errs.Unauthenticated {
			t.Errorf("anonymous report: %v", err)
		}
	})
}

func TestServiceDeskReportCSV(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newReportDesk(t, db)
		r, err := d.report(t, "boss")
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := d.s.ReportCSV(d.as("boss"), r, &buf); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !strings.HasPrefix(out, "\xEF\xBB\xBF服务台报表,统计期间,2026-11-01 ~ 2026-11-30\n") {
			t.Fatalf("CSV starts %q", out[:min(len(out), 80)])
		}
		for _, want := range []string{"首问责任人\n姓名,受理,已解决/关闭,转交\nagent,3,2,2\n", "engineer,1,1,30.0,1,4.0,1,0\n",
			"服务台,1,1,1\n", "合计,4\n", "核心交换机告警,agent,服务台,厂商,核心网络中断，紧急越级\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("CSV lacks %q:\n%s", want, out)
			}
		}
	})
}

func TestReportPeriod(t *testing.T) {
	s := &ticket.Service{Zone: sla.Shanghai, Now: func() time.Time { return time.Date(2026, 2, 10, 20, 0, 0, 0, time.UTC) }}
	from, to, err := s.ReportPeriod(" ", "")
	if err != nil || !from.Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, sla.Shanghai)) || !to.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, sla.Shanghai)) {
		t.Fatalf("default period %v – %v, %v", from, to, err)
	}
	if from, to, err = s.ReportPeriod("2026-01-05", "2026-01-05"); err != nil || to.Sub(from) != 24*time.Hour {
		t.Fatalf("one day: %v – %v, %v", from, to, err)
	}
	for _, tc := range []struct {
		name, from, to, field, msg string
	}{
		{"not a date", "2026-02-31", "", "from", "err.report.date"},
		{"slashes", "", "2026/02/01", "to", "err.report.date"},
		{"backwards", "2026-02-10", "2026-02-01", "to", "err.report.period"},
		{"too long", "2025-01-01", "2026-02-01", "to", "err.report.span"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := s.ReportPeriod(tc.from, tc.to)
			msg, fields := errs.Info(err)
			if errs.KindOf(err) != errs.Invalid || msg != tc.msg || fields[tc.field] != tc.msg {
				t.Fatalf("got %v (%s %v)", err, msg, fields)
			}
		})
	}
}
