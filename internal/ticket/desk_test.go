package ticket_test

import (
	"context"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// person adds a user with the given ticket permissions to the desk.
func (d *desk) person(t *testing.T, name string, perms ...string) int64 {
	t.Helper()
	u := &iam.User{Username: name, Name: name, OrgUnitID: d.root.ID}
	if err := (store.IAM{DB: d.db}).CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	a := &actor.Actor{UserID: u.ID, Username: name, OrgPath: d.root.Path, Perms: map[string]bool{}, Source: actor.SourceWeb}
	for _, p := range perms {
		a.Perms[p] = true
	}
	d.actors[name] = a
	return u.ID
}

func (d *desk) groupOf(t *testing.T, name string, tier iam.Tier, manager int64, members ...int64) int64 {
	t.Helper()
	g := &iam.Group{Name: name, Code: name, Tier: tier, ManagerID: manager, MemberIDs: members}
	if err := (store.IAM{DB: d.db}).CreateGroup(context.Background(), g); err != nil {
		t.Fatal(err)
	}
	return g.ID
}

func (d *desk) open(t *testing.T, who, subject string) *ticket.Ticket {
	t.Helper()
	tk, err := d.s.Create(d.as(who), ticket.NewTicket{Type: ticket.Incident, Channel: ticket.Portal, Subject: subject,
		Urgency: ticket.Medium, Impact: ticket.Medium})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func kinds(t *testing.T, d *desk, id int64) []ticket.EventKind {
	t.Helper()
	evs, err := d.s.Events(d.as("agent"), id)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]ticket.EventKind, len(evs))
	for i, e := range evs {
		out[i] = e.Kind
	}
	return out
}

func TestDispatchRulesAndRoundRobin(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		admin := d.person(t, "admin", ticket.PermConfigure)
		_ = admin
		e1 := d.person(t, "net1", ticket.PermWork)
		e2 := d.person(t, "net2", ticket.PermWork)
		network := d.groupOf(t, "网络组", 2, 0, e1, e2)
		cats, _ := d.s.Categories(d.as("agent"))
		var wifi int64
		for _, c := range cats {
			if c.Name == "无线网络" {
				wifi = c.ID
			}
		}
		if wifi == 0 {
			t.Fatal("seeded category 无线网络 missing")
		}
		if err := d.s.SaveRule(d.as("agent"), &ticket.Rule{Name: "x", GroupID: network, Active: true}); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("agent edited dispatch rules: %v", err)
		}
		if err := d.s.SaveRule(d.as("admin"), &ticket.Rule{Name: "关键字", GroupID: 99999, Active: true}); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("rule to a missing group: %v", err)
		}
		rules := []*ticket.Rule{
			{Sort: 10, Name: "网络分类", CategoryID: cats[2].ID /* 网络, the parent of 无线网络 */, GroupID: network, Active: true},
			{Sort: 20, Name: "打印关键字", Keyword: "打印", GroupID: d.group, Active: true},
		}
		for _, r := range rules {
			if err := d.s.SaveRule(d.as("admin"), r); err != nil {
				t.Fatal(err)
			}
		}
		// Three Wi-Fi tickets spread over the two network engineers by load.
		got := map[int64]int{}
		for i := 0; i < 3; i++ {
			tk, err := d.s.Create(d.as("requester"), ticket.NewTicket{Type: ticket.Incident, Channel: ticket.Portal,
				Subject: "会议室无线连不上", CategoryID: wifi, Urgency: 2, Impact: 2})
			if err != nil {
				t.Fatal(err)
			}
			if tk.GroupID != network || tk.Status != ticket.Assigned || tk.Tier != 2 {
				t.Fatalf("wifi ticket placed in group %d status %s tier %d", tk.GroupID, tk.Status, tk.Tier)
			}
			got[tk.AssigneeID]++
		}
		if got[e1] != 2 || got[e2] != 1 {
			t.Fatalf("round robin by load gave %v", got)
		}
		tk := d.open(t, "requester", "三楼打印机卡纸")
		if tk.GroupID != d.group {
			t.Fatalf("keyword rule missed: group %d", tk.GroupID)
		}
		if tk := d.open(t, "requester", "其他问题"); tk.GroupID != 0 || tk.Status != ticket.New {
			t.Fatalf("no rule matched but placed in %d (%s)", tk.GroupID, tk.Status)
		}
	})
}

func TestEscalationAndReassignment(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		boss := d.person(t, "boss", ticket.PermManage)
		l1 := d.groupOf(t, "服务台", 1, boss, d.actors["agent"].UserID)
		vendor := d.person(t, "vendor", ticket.PermWorkAssigned)
		l3 := d.groupOf(t, "厂商", 3, 0, vendor)
		tk := d.open(t, "requester", "核心交换机告警")
		tk, err := d.s.Assign(d.as("agent"), tk.ID, tk.Version, l1, d.actors["agent"].UserID, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.s.Assign(d.as("agent"), tk.ID, tk.Version, d.group, 0, " "); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("reassignment without a reason: %v", err)
		}
		if _, err := d.s.Escalate(d.as("agent"), tk.ID, tk.Version, l1, 0, "同级", false); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("escalating to the same tier: %v", err)
		}
		if _, err := d.s.Escalate(d.as("agent"), tk.ID, tk.Version, l3, 0, "直接找厂商", false); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("skipping a line without saying so: %v", err)
		}
		if _, err := d.s.Get(d.as("vendor"), tk.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("vendor sees a ticket not given to them: %v", err)
		}
		tk, err = d.s.Escalate(d.as("agent"), tk.ID, tk.Version, l3, 0, "核心网络中断，紧急越级", true)
		if err != nil {
			t.Fatal(err)
		}
		if tk.Tier != 3 || !tk.SkipFlag || tk.AssigneeID != vendor || tk.OwnerID != d.actors["agent"].UserID {
			t.Fatalf("after skip: tier %d skip %v assignee %d owner %d", tk.Tier, tk.SkipFlag, tk.AssigneeID, tk.OwnerID)
		}
		// The vendor engineer works what was given to them and nothing else.
		if _, err := d.s.Start(d.as("vendor"), tk.ID, tk.Version); err != nil {
			t.Fatalf("vendor starts their ticket: %v", err)
		}
		if list, _ := d.s.List(d.as("vendor"), ticket.Filter{}); len(list) != 1 {
			t.Fatalf("vendor queue has %d tickets", len(list))
		}
		if _, err := d.s.ReportUp(d.as("agent"), tk.ID, "请领导协调"); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("report up from a group without a manager: %v", err)
		}
		other := d.open(t, "requester", "另一张")
		other, _ = d.s.Assign(d.as("agent"), other.ID, other.Version, l1, 0, "")
		if _, err := d.s.ReportUp(d.as("agent"), other.ID, "请领导协调"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.s.Get(d.as("boss"), other.ID); err != nil {
			t.Fatalf("the manager reported to cannot see the ticket: %v", err)
		}
		want := []ticket.EventKind{ticket.EvCreated, ticket.EvAssigned, ticket.EvSkipped, ticket.EvStatus}
		if got := kinds(t, d, tk.ID); len(got) != len(want) || got[2] != want[2] {
			t.Fatalf("history %v, want %v", got, want)
		}
		evs, _ := d.s.Events(d.as("agent"), tk.ID)
		if !evs[2].Flagged || evs[2].Reason != "核心网络中断，紧急越级" || evs[2].FromGroup != l1 || evs[2].ToGroup != l3 {
			t.Fatalf("skip event %+v", evs[2])
		}
	})
}

func TestUrgeUpdateAndConcurrency(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		tk := d.open(t, "requester", "邮箱满了")
		if _, err := d.s.Urge(d.as("other"), tk.ID, "快点"); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("a stranger urged: %v", err)
		}
		if _, err := d.s.Urge(d.as("engineer"), tk.ID, "快点"); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("an engineer who is neither owner nor manager urged: %v", err)
		}
		for i := 0; i < 2; i++ {
			if _, err := d.s.Urge(d.as("requester"), tk.ID, "急用"); err != nil {
				t.Fatal(err)
			}
		}
		tk, _ = d.s.Get(d.as("agent"), tk.ID)
		if tk.UrgeCount != 2 {
			t.Fatalf("urge count %d", tk.UrgeCount)
		}
		high := ticket.High
		up, err := d.s.Update(d.as("agent"), tk.ID, tk.Version, ticket.Patch{Urgency: &high, Impact: &high})
		if err != nil || up.Priority != 1 {
			t.Fatalf("priority change: %v %v", up, err)
		}
		subj := "新标题"
		if _, err := d.s.Update(d.as("engineer"), tk.ID, tk.Version, ticket.Patch{Subject: &subj}); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("edit on an old version: %v", err)
		}
		yes := true
		if _, err := d.s.Update(d.as("agent"), tk.ID, up.Version, ticket.Patch{Confidential: &yes}); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("an agent marked a ticket confidential: %v", err)
		}
		empty := ""
		if _, err := d.s.Update(d.as("agent"), tk.ID, up.Version, ticket.Patch{Subject: &empty}); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("empty subject: %v", err)
		}
		if got, _ := d.s.Get(d.as("agent"), tk.ID); got.Version != up.Version || got.Subject != "邮箱满了" {
			t.Fatalf("refused edit changed the ticket: %+v", got)
		}
	})
}

func TestClosureReopenSurveyAndAutoConfirm(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		tk := d.open(t, "requester", "电脑蓝屏")
		tk, _ = d.s.Assign(d.as("agent"), tk.ID, tk.Version, d.group, d.actors["engineer"].UserID, "")
		if _, err := d.s.Cancel(d.as("requester"), tk.ID, tk.Version, ""); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("cancel without a reason: %v", err)
		}
		if err := d.s.Rate(d.as("requester"), tk.ID, 5, ""); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("survey before resolution: %v", err)
		}
		tk, err := d.s.Resolve(d.as("engineer"), tk.ID, tk.Version, ticket.Resolution{Solution: "更新显卡驱动", Workaround: "安全模式"})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.s.Rate(d.as("requester"), tk.ID, 6, ""); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("score 6: %v", err)
		}
		if err := d.s.Rate(d.as("engineer"), tk.ID, 5, ""); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("the engineer rated their own work: %v", err)
		}
		if err := d.s.Rate(d.as("requester"), tk.ID, 4, "很快"); err != nil {
			t.Fatal(err)
		}
		if err := d.s.Rate(d.as("requester"), tk.ID, 1, "改主意"); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("second survey answer: %v", err)
		}
		// Nobody confirms: after the configured days the job closes it.
		if n, err := d.s.AutoConfirm(context.Background()); err != nil || n != 0 {
			t.Fatalf("auto-confirm too early: %d %v", n, err)
		}
		d.now = d.now.Add(4 * 24 * time.Hour)
		job := actor.NewContext(context.Background(), actor.System(actor.SourceJob))
		if n, err := d.s.AutoConfirm(job); err != nil || n != 1 {
			t.Fatalf("auto-confirm: %d %v", n, err)
		}
		tk, _ = d.s.Get(d.as("requester"), tk.ID)
		if tk.Status != ticket.Closed {
			t.Fatalf("status %s after auto-confirm", tk.Status)
		}
		if _, err := d.s.Reopen(d.as("other"), tk.ID, tk.Version, "又坏了"); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("a stranger reopened: %v", err)
		}
		tk, err = d.s.Reopen(d.as("requester"), tk.ID, tk.Version, "又蓝屏了")
		if err != nil || tk.Status != ticket.InProgress || tk.ReopenCount != 1 {
			t.Fatalf("reopen: %+v %v", tk, err)
		}
		tk, _ = d.s.Resolve(d.as("engineer"), tk.ID, tk.Version, ticket.Resolution{Solution: "更换内存"})
		tk, _ = d.s.Confirm(d.as("requester"), tk.ID, tk.Version)
		d.now = d.now.Add(8 * 24 * time.Hour)
		if _, err := d.s.Reopen(d.as("requester"), tk.ID, tk.Version, "还是不行"); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("reopen after the window: %v", err)
		}
	})
}

func TestSurveyLinkAndConfidentialWatchers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		d.person(t, "boss", ticket.PermManage, ticket.PermWork)
		d.person(t, "colleague", ticket.PermWork)
		tk := d.open(t, "requester", "薪资系统数据泄露嫌疑")
		yes := true
		tk, err := d.s.Update(d.as("boss"), tk.ID, tk.Version, ticket.Patch{Confidential: &yes})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.s.Get(d.as("colleague"), tk.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("a colleague sees a confidential ticket: %v", err)
		}
		if list, _ := d.s.List(d.as("colleague"), ticket.Filter{}); len(list) != 0 {
			t.Fatalf("a confidential ticket shows in a colleague's queue")
		}
		if _, err := d.s.Watch(d.as("agent"), tk.ID, d.actors["colleague"].UserID, true); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("an agent named a viewer of a confidential ticket: %v", err)
		}
		if _, err := d.s.Watch(d.as("boss"), tk.ID, d.actors["colleague"].UserID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := d.s.Get(d.as("colleague"), tk.ID); err != nil {
			t.Fatalf("a named viewer cannot see the ticket: %v", err)
		}
		if list, _ := d.s.List(d.as("colleague"), ticket.Filter{}); len(list) != 1 {
			t.Fatalf("a named viewer's queue has %d tickets", len(list))
		}
		// The one-time survey link: made at resolution, answers once, needs no login.
		tk, _ = d.s.Get(d.as("boss"), tk.ID)
		tk, err = d.s.Resolve(d.as("boss"), tk.ID, tk.Version, ticket.Resolution{Solution: "排查确认为误报"})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.s.RateByToken(context.Background(), "not-a-token", 5, ""); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("made-up survey link: %v", err)
		}
		if _, _, err := d.s.SurveyTicket(context.Background(), "not-a-token"); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("made-up survey link shows: %v", err)
		}
		if _, err := d.s.SurveyLink(d.as("requester"), tk.ID); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("a requester made a survey link: %v", err)
		}
		old, err := d.s.SurveyLink(d.as("boss"), tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		link, _ := d.s.SurveyLink(d.as("boss"), tk.ID)
		if err := d.s.RateByToken(context.Background(), old, 5, ""); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("a replaced link still works: %v", err)
		}
		shown, _, err := d.s.SurveyTicket(context.Background(), link)
		if err != nil || shown.Number != tk.Number || shown.Description != "" {
			t.Fatalf("survey page shows %+v (%v)", shown, err)
		}
		if err := d.s.RateByToken(context.Background(), link, 5, "处理及时"); err != nil {
			t.Fatal(err)
		}
		if err := d.s.RateByToken(context.Background(), link, 1, ""); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("a second answer by link: %v", err)
		}
	})
}
