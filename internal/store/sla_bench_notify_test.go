package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/iam"
	"opsdesk/internal/notify"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
)

// benchPeople adapts the iam store to notify.People, as app does (without the active-member
// filter, which these groups do not need), with app's batch look-ups.
type benchPeople struct {
	st store.IAM
	store.NotifyPeople
}

func (p benchPeople) Person(ctx context.Context, id int64) (*notify.Person, error) {
	u, err := p.st.User(ctx, id)
	if err != nil {
		return nil, err
	}
	return &notify.Person{ID: u.ID, Name: u.Name, Email: u.Email, Locale: u.Locale, Disabled: u.Disabled}, nil
}

func (p benchPeople) GroupOf(ctx context.Context, id int64) (*notify.Group, error) {
	g, err := p.st.Group(ctx, id)
	if err != nil {
		return nil, err
	}
	return &notify.Group{ID: g.ID, Name: g.Name, ManagerID: g.ManagerID, Members: g.MemberIDs}, nil
}

// notifyingBench is the engine of a seeded database with the notifier wired in, and the people the
// due tickets are given so that each firing tells someone: 5 support groups of 4 engineers and a
// manager each, 3 first-contact agents, all with e-mail; an e-mail channel and a WeCom bot.
type notifyingBench struct {
	tracker *sla.Tracker
	groups  []*iam.Group
	agents  []int64
}

func (bd *slaBench) notifying(b *testing.B) *notifyingBench {
	b.Helper()
	ctx := context.Background()
	st := store.IAM{DB: bd.db}
	unit := &iam.OrgUnit{Name: "通知", Kind: iam.OrgHQ}
	if err := st.CreateOrgUnit(ctx, unit); err != nil {
		b.Fatal(err)
	}
	user := func(name string) int64 {
		u := &iam.User{Username: name, Name: name, Email: name + "@corp.cn", OrgUnitID: unit.ID}
		if err := st.CreateUser(ctx, u); err != nil {
			b.Fatal(err)
		}
		return u.ID
	}
	nb := &notifyingBench{}
	for g := range 5 {
		grp := &iam.Group{Name: fmt.Sprintf("二线%d组", g), Code: fmt.Sprintf("bench-l2-%d", g), Tier: 2,
			ManagerID: user(fmt.Sprintf("mgr%d", g)), OrgUnitID: unit.ID}
		for e := range 4 {
			grp.MemberIDs = append(grp.MemberIDs, user(fmt.Sprintf("eng%d-%d", g, e)))
		}
		if err := st.CreateGroup(ctx, grp); err != nil {
			b.Fatal(err)
		}
		nb.groups = append(nb.groups, grp)
	}
	for a := range 3 {
		nb.agents = append(nb.agents, user(fmt.Sprintf("agent%d", a)))
	}
	n := &notify.Service{Store: store.Notify{DB: bd.db}, People: benchPeople{st, store.NotifyPeople{DB: bd.db}}, Audit: bd.tickets.Audit,
		BaseURL: "https://desk.corp.cn", Now: time.Now}
	op := actor.System(actor.SourceCLI)
	op.Perms[notify.PermConfigure] = true
	opCtx := actor.NewContext(ctx, op)
	for _, c := range []*notify.Channel{
		{Kind: notify.Email, Name: "邮件", Enabled: true, Config: map[string]string{"host": "smtp.corp.cn", "port": "587",
			"tls": "starttls", "from": "servicedesk@corp.cn"}},
		{Kind: notify.WeCom, Name: "运维群", Enabled: true, Config: map[string]string{"url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}},
	} {
		if err := n.SaveChannel(opCtx, c); err != nil {
			b.Fatal(err)
		}
	}
	desk := *bd.tickets
	desk.Notices = n
	tr := *bd.tracker
	tr.Tickets = &desk
	nb.tracker = &tr
	return nb
}

// assign gives the tickets made due last (bd.nextDue and before) a group, an engineer of it and a
// first-contact agent, spread over the groups and people.
func (nb *notifyingBench) assign(b *testing.B, bd *slaBench, k int) {
	b.Helper()
	var ids []int64
	for id := bd.nextDue; len(ids) < k; id-- {
		if id%int64(bd.siteEvery) != 0 {
			ids = append(ids, id)
		}
	}
	for _, id := range ids {
		g := nb.groups[id%int64(len(nb.groups))]
		_, err := bd.db.W.NewRaw(`UPDATE tickets SET group_id = ?, assignee_id = ?, owner_id = ? WHERE id = ?`, g.ID,
			g.MemberIDs[(id/5)%4], nb.agents[id%3], id).Exec(context.Background())
		if err != nil {
			b.Fatal(err)
		}
	}
}
