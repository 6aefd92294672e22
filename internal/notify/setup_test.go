package notify_test

import (
	"context"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
	"opsdesk/internal/notify"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// people adapts the iam store to notify.People, as app does: the batch look-ups by
// store.NotifyPeople.
type people struct {
	st store.IAM
	store.NotifyPeople
}

func (p people) Person(ctx context.Context, id int64) (*notify.Person, error) {
	u, err := p.st.User(ctx, id)
	if err != nil {
		return nil, err
	}
	return &notify.Person{ID: u.ID, Name: u.Name, Email: u.Email, Locale: u.Locale, Disabled: u.Disabled}, nil
}

func (p people) GroupOf(ctx context.Context, id int64) (*notify.Group, error) {
	g, err := p.st.Group(ctx, id)
	if err != nil {
		return nil, err
	}
	return &notify.Group{ID: g.ID, Name: g.Name, ManagerID: g.ManagerID, Members: g.MemberIDs}, nil
}

// bench is a service desk with notifications: a requester, an agent who takes calls, two engineers
// and a manager in an L2 group, an outsider and a system administrator, and a few channels.
type bench struct {
	db     *store.DB
	st     store.Notify
	n      *notify.Service
	desk   *ticket.Service
	actors map[string]*actor.Actor
	group  int64
	now    time.Time
	woken  atomic.Int32
	mail   *notify.Channel
	wecom  *notify.Channel
	hook   *notify.Channel
}

const baseURL = "https://desk.corp.cn"

func newBench(t *testing.T, db *store.DB) *bench {
	t.Helper()
	ctx := context.Background()
	st := store.IAM{DB: db}
	root := &iam.OrgUnit{Name: "总部", Kind: iam.OrgHQ}
	if err := st.CreateOrgUnit(ctx, root); err != nil {
		t.Fatal(err)
	}
	b := &bench{db: db, st: store.Notify{DB: db}, actors: map[string]*actor.Actor{},
		now: time.Date(2026, 11, 23, 9, 0, 0, 0, sla.Shanghai)}
	users := []struct {
		name, locale string
		perms        []string
	}{
		{"requester", "", []string{ticket.PermSubmit}},
		{"agent", "zh-CN", []string{ticket.PermSubmit, ticket.PermIntake, ticket.PermWork, ticket.PermAssign}},
		{"engineer", "en", []string{ticket.PermSubmit, ticket.PermWork}},
		{"engineer2", "", []string{ticket.PermSubmit, ticket.PermWork}},
		{"manager", "", []string{ticket.PermSubmit, ticket.PermWork, ticket.PermManage}},
		{"other", "", []string{ticket.PermSubmit}},
		{"admin", "", []string{notify.PermConfigure}},
	}
	for _, x := range users {
		u := &iam.User{Username: x.name, Name: "N-" + x.name, Email: x.name + "@corp.cn", Locale: x.locale, OrgUnitID: root.ID}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		a := &actor.Actor{UserID: u.ID, Username: x.name, OrgPath: root.Path, Perms: map[string]bool{}, Source: actor.SourceWeb}
		for _, p := range x.perms {
			a.Perms[p] = true
		}
		b.actors[x.name] = a
	}
	g := &iam.Group{Name: "系统组", Code: "systems", Tier: 2, ManagerID: b.id("manager"),
		MemberIDs: []int64{b.id("engineer"), b.id("engineer2")}}
	if err := st.CreateGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	b.group = g.ID
	aud := &audit.Service{Store: store.Audit{DB: db}, Now: time.Now}
	clock := func() time.Time { return b.now }
	b.n = &notify.Service{Store: b.st, People: people{st, store.NotifyPeople{DB: db}}, Audit: aud, BaseURL: baseURL, Now: clock,
		Wake: func() { b.woken.Add(1) }}
	b.desk = &ticket.Service{Store: store.Tickets{DB: db}, Directory: store.Directory{DB: db}, Audit: aud,
		Zone: sla.Shanghai, Now: clock, Notices: b.n}
	b.mail = b.channel(t, &notify.Channel{Kind: notify.Email, Name: "邮件", Enabled: true, Config: map[string]string{
		"host": "smtp.corp.cn", "port": "587", "tls": "starttls", "username": "desk", "password": "mail-pass",
		"from": "servicedesk@corp.cn", "reply_to": "servicedesk@corp.cn", "plus_addressing": "true"}})
	b.wecom = b.channel(t, &notify.Channel{Kind: notify.WeCom, Name: "运维群", Enabled: true,
		Config: map[string]string{"url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1"}})
	b.hook = b.channel(t, &notify.Channel{Kind: notify.Webhook, Name: "监控平台", Enabled: true, GroupID: g.ID,
		Events: []notify.Event{notify.TicketCreated, notify.TicketResolved},
		Config: map[string]string{"url": "https://ops.corp.cn/hook", "secret": "hook-secret", "lang": "en"}})
	// A disabled bot hears nothing.
	b.channel(t, &notify.Channel{Kind: notify.Feishu, Name: "飞书（停用）", Config: map[string]string{"url": "https://open.feishu.cn/hook/x"}})
	return b
}

func (b *bench) id(name string) int64 { return b.actors[name].UserID }

func (b *bench) as(name string) context.Context {
	return actor.NewContext(context.Background(), b.actors[name])
}

func (b *bench) channel(t *testing.T, c *notify.Channel) *notify.Channel {
	t.Helper()
	if err := b.n.SaveChannel(b.as("admin"), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// inbox returns a person's notifications, oldest first.
func (b *bench) inbox(t *testing.T, name string) []*notify.Notification {
	t.Helper()
	ns, err := b.n.Inbox(b.as(name), false, 100)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(ns)-1; i < j; i, j = i+1, j-1 {
		ns[i], ns[j] = ns[j], ns[i]
	}
	return ns
}

// outbox returns every queued message, oldest first.
func (b *bench) outbox(t *testing.T) []*notify.Message {
	t.Helper()
	ms, err := b.st.Outbox(context.Background(), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(ms)-1; i < j; i, j = i+1, j-1 {
		ms[i], ms[j] = ms[j], ms[i]
	}
	return ms
}

// summary writes the outbox as "event kind recipient" lines, to compare with what a case expects.
func summary(ms []*notify.Message, bench *bench) []string {
	var out []string
	for _, m := range ms {
		to := m.To
		switch m.ChannelID {
		case bench.wecom.ID:
			to = "wecom"
		case bench.hook.ID:
			to = "hook"
		}
		out = append(out, string(m.Event)+" "+string(m.Kind)+" "+strings.TrimSuffix(to, "@corp.cn"))
	}
	return out
}

// events writes an inbox as event names.
func events(ns []*notify.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, string(n.Event))
	}
	return out
}

// create opens a ticket by phone for the requester, dispatched to the engineer.
func (b *bench) create(t *testing.T, subject string, tweak func(*ticket.NewTicket)) *ticket.Ticket {
	t.Helper()
	return b.createIn(b.as("agent"), t, subject, tweak)
}

// createIn is create in ctx, which carries the agent (and perhaps a transaction).
func (b *bench) createIn(ctx context.Context, t *testing.T, subject string, tweak func(*ticket.NewTicket)) *ticket.Ticket {
	t.Helper()
	nt := ticket.NewTicket{Type: ticket.Incident, Channel: ticket.Phone, Subject: subject, Description: "描述：" + subject,
		Urgency: ticket.High, Impact: ticket.Medium, RequesterID: b.id("requester"), GroupID: b.group, AssigneeID: b.id("engineer")}
	if tweak != nil {
		tweak(&nt)
	}
	tk, err := b.desk.Create(ctx, nt)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// errKind names the kind of err, "nil" for none.
func errKind(err error) string {
	if err == nil {
		return "nil"
	}
	return errs.KindOf(err).String()
}
