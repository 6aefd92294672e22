package demo

import (
	"context"
	"fmt"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/iam"
	"opsdesk/internal/sla"
	"opsdesk/internal/ticket"
)

const ticketsKey = "demo_tickets_loaded"

// LoadTickets fills the demo organisation's service desk once: dispatch rules and about 40 tickets
// in every status, spread over the last two weeks, with replies, internal notes, escalations, urges
// and surveys. It runs through the ticket service as the demo people themselves, so every step is
// checked and audited like real work. It returns the number of tickets created (0 when loaded before).
func LoadTickets(ctx context.Context, s *iam.Service, ts *ticket.Service) (int, error) {
	var loaded bool
	if _, err := s.Store.Setting(ctx, ticketsKey, &loaded); err != nil || loaded {
		return 0, err
	}
	// A copy of the service on a demo clock that walks through the last two weeks.
	d := &desk{iam: s, svc: *ts, start: ts.Now().Add(-14 * 24 * time.Hour), people: map[string]context.Context{}, byID: map[int64]context.Context{}}
	d.svc.Now = func() time.Time { return d.clock }
	// SLA clocks run on the demo clock too, under a shipped-style policy, so that the queues show
	// tickets within their targets, in warning and breached.
	tr, withSLA := ts.Clocks.(*sla.Tracker)
	if withSLA {
		demoClocks := *tr
		demoClocks.Now = d.svc.Now
		d.svc.Clocks = &demoClocks
	}
	err := s.Store.InTx(loader(ctx), func(ctx context.Context) error {
		if withSLA {
			if err := demoPolicy(ctx, tr.Service); err != nil {
				return err
			}
		}
		return d.load(ctx)
	})
	if err != nil {
		return 0, err
	}
	return len(demoTickets), nil
}

// demoPolicy is the demo's service-level policy on cn-workday (first response / resolution per
// priority), what a service desk would start from: notices at warning, and at breach the notice
// and a report up the manager chain (逐级上报).
func demoPolicy(ctx context.Context, s *sla.Service) error {
	h := time.Hour
	acts := sla.Actions{Warning: sla.Action{Notify: true}, Breach: sla.Action{Notify: true, ReportUp: true}}
	return s.SavePolicy(ctx, &sla.Policy{Name: "标准服务级别", Calendar: sla.DefaultName, Active: true, Actions: acts, Targets: [4]sla.Targets{
		{sla.FirstResponse: 15 * time.Minute, sla.NextResponse: h, sla.Resolution: 4 * h},
		{sla.FirstResponse: 30 * time.Minute, sla.NextResponse: 2 * h, sla.Resolution: 8 * h},
		{sla.FirstResponse: h, sla.NextResponse: 4 * h, sla.Resolution: 16 * h},
		{sla.FirstResponse: 2 * h, sla.Resolution: 40 * h}}})
}

type desk struct {
	iam    *iam.Service
	svc    ticket.Service
	start  time.Time
	clock  time.Time
	people map[string]context.Context // username → acting as that person
	byID   map[int64]context.Context
	groups map[string]int64
	cats   map[string]int64
}

// as returns a context acting as the demo person username.
func (d *desk) as(username string) context.Context { return d.people[username] }

// tick moves the demo clock on by minutes.
func (d *desk) tick(minutes int) { d.clock = d.clock.Add(time.Duration(minutes) * time.Minute) }

func (d *desk) load(ctx context.Context) error {
	for _, name := range usernames() {
		u, err := d.iam.Store.UserByUsername(ctx, name)
		if err != nil {
			return fmt.Errorf("demo tickets need the demo organisation: %w", err)
		}
		a, err := d.iam.ActorFor(ctx, &actor.Actor{Source: actor.SourceWeb, IP: "127.0.0.1"}, u)
		if err != nil {
			return err
		}
		d.people[name] = actor.NewContext(ctx, a)
		d.byID[u.ID] = d.people[name]
	}
	groups, err := d.iam.Store.Groups(ctx)
	if err != nil {
		return err
	}
	d.groups = map[string]int64{}
	for _, g := range groups {
		d.groups[g.Code] = g.ID
	}
	cats, err := d.svc.Store.Categories(ctx)
	if err != nil {
		return err
	}
	d.cats = map[string]int64{}
	for _, c := range cats {
		d.cats[c.Name] = c.ID
	}
	// Two requests arrive before any rule exists, so they wait, undispatched, for the desk.
	for i, dt := range demoTickets {
		if i == 2 {
			if err := d.rules(ctx); err != nil {
				return err
			}
		}
		if err := d.play(dt); err != nil {
			return fmt.Errorf("demo ticket %q: %w", dt.subject, err)
		}
	}
	return d.iam.Store.SaveSetting(ctx, ticketsKey, true)
}

// rules are the demo's dispatch rules: network faults to the network group, anything about printing
// to desktop support, the rest to the service desk's first line.
func (d *desk) rules(ctx context.Context) error {
	for _, r := range []*ticket.Rule{
		{Sort: 10, Name: "网络故障 → 网络组", CategoryID: d.cats["网络"], GroupID: d.groups["network"], Active: true},
		{Sort: 20, Name: "打印相关 → 桌面运维组", Keyword: "打印", GroupID: d.groups["desktop"], Active: true},
		{Sort: 100, Name: "默认 → 服务台一线", GroupID: d.groups["service-desk"], Active: true},
	} {
		if err := d.svc.SaveRule(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// play creates one ticket at its place in the two weeks and walks it to its final state.
func (d *desk) play(dt demoTicket) error {
	d.clock = d.start.Add(time.Duration(dt.day*24) * time.Hour)
	n := ticket.NewTicket{Type: dt.typ, Channel: ticket.Portal, Subject: dt.subject, Description: dt.desc,
		CategoryID: d.cats[dt.cat], Urgency: dt.u, Impact: dt.i, Location: dt.loc, Confidential: dt.secret}
	by := dt.requester
	if dt.agent != "" {
		by, n.Channel = dt.agent, ticket.Phone
		u, err := d.iam.Store.UserByUsername(d.as(by), dt.requester)
		if err != nil {
			return err
		}
		n.RequesterID = u.ID
	}
	t, err := d.svc.Create(d.as(by), n)
	if err != nil {
		return err
	}
	id := t.ID
	worker := func() context.Context { return d.byID[t.AssigneeID] }
	step := func(f func() (*ticket.Ticket, error)) {
		if err != nil {
			return
		}
		d.tick(37)
		var nt *ticket.Ticket
		if nt, err = f(); err == nil && nt != nil {
			t = nt
		}
	}
	say := func(ctx context.Context, body string, internal bool) {
		step(func() (*ticket.Ticket, error) { _, err := d.svc.Comment(ctx, id, body, internal, 10); return nil, err })
	}
	if dt.end == "new" || dt.end == "assigned" {
		if dt.urge {
			step(func() (*ticket.Ticket, error) {
				return d.svc.Urge(d.as(dt.requester), id, "还没有人联系我，请尽快安排")
			})
		}
		return err
	}
	if dt.end == "cancelled" {
		step(func() (*ticket.Ticket, error) {
			return d.svc.Cancel(d.as(dt.requester), id, 0, "问题已自行解决，撤销")
		})
		return err
	}
	if dt.up != "" {
		step(func() (*ticket.Ticket, error) {
			return d.svc.Escalate(worker(), id, 0, d.groups[dt.up], 0, dt.why, dt.up == "vendor-support")
		})
	}
	step(func() (*ticket.Ticket, error) { return d.svc.Start(worker(), id, 0) })
	if dt.note != "" {
		say(worker(), dt.note, true)
	}
	if dt.reply != "" {
		say(worker(), dt.reply, false)
	}
	if dt.urge {
		step(func() (*ticket.Ticket, error) {
			return d.svc.Urge(d.as(dt.requester), id, "比较着急，麻烦尽快处理")
		})
	}
	switch dt.end {
	case "pending":
		step(func() (*ticket.Ticket, error) {
			return d.svc.Wait(worker(), id, 0, ticket.WaitVendor, "等待备件到货")
		})
	case "resolved", "closed":
		step(func() (*ticket.Ticket, error) {
			return d.svc.Resolve(worker(), id, 0, ticket.Resolution{Cause: dt.cause, Solution: dt.fix})
		})
	}
	if dt.end == "closed" {
		step(func() (*ticket.Ticket, error) { return d.svc.Confirm(d.as(dt.requester), id, 0) })
		if dt.score > 0 {
			step(func() (*ticket.Ticket, error) {
				return nil, d.svc.Rate(d.as(dt.requester), id, dt.score, dt.said)
			})
		}
	}
	return err
}
