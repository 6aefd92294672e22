package ticket_test

import (
	"context"
	"os"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

type desk struct {
	s      *ticket.Service
	actors map[string]*actor.Actor
	group  int64
	now    time.Time
	root   *iam.OrgUnit
	db     *store.DB
}

// newDesk builds a service desk with a requester, an agent, an engineer in an L2 group and an outsider.
func newDesk(t *testing.T, db *store.DB) *desk {
	t.Helper()
	ctx := context.Background()
	st := store.IAM{DB: db}
	root := &iam.OrgUnit{Name: "总部", Kind: iam.OrgHQ}
	if err := st.CreateOrgUnit(ctx, root); err != nil {
		t.Fatal(err)
	}
	d := &desk{actors: map[string]*actor.Actor{}, root: root, db: db}
	perms := map[string][]string{
		"requester": {ticket.PermSubmit},
		"other":     {ticket.PermSubmit},
		"agent":     {ticket.PermSubmit, ticket.PermIntake, ticket.PermWork, ticket.PermAssign},
		"engineer":  {ticket.PermSubmit, ticket.PermWork},
	}
	for name, ps := range perms {
		u := &iam.User{Username: name, Name: name, OrgUnitID: root.ID}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		a := &actor.Actor{UserID: u.ID, Username: name, OrgPath: root.Path, Perms: map[string]bool{}, Source: actor.SourceWeb}
		for _, p := range ps {
			a.Perms[p] = true
		}
		d.actors[name] = a
	}
	g := &iam.Group{Name: "系统组", Code: "systems", Tier: 2, MemberIDs: []int64{d.actors["engineer"].UserID}}
	if err := st.CreateGroup(ctx, g); err != nil {
		t.Fatal(err)
	}
	d.group = g.ID
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, sla.Shanghai)
	d.s = &ticket.Service{Store: store.Tickets{DB: db}, Directory: store.Directory{DB: db},
		Audit: &audit.Service{Store: store.Audit{DB: db}, Now: time.Now},
		Zone:  sla.Shanghai, Now: func() time.Time { return d.now }}
	d.now = now
	return d
}

func (d *desk) as(name string) context.Context {
	return actor.NewContext(context.Background(), d.actors[name])
}

func TestTicketJourney(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		// An agent logs a phone call for the requester and becomes the first-contact owner.
		tk, err := d.s.Create(d.as("agent"), ticket.NewTicket{Type: ticket.Incident, Channel: ticket.Phone,
			Subject: "财务系统无法登录", Description: "提示密码错误", Urgency: ticket.High, Impact: ticket.Medium,
			RequesterID: d.actors["requester"].UserID})
		if err != nil {
			t.Fatal(err)
		}
		if tk.Number != "INC-2026-000001" || tk.OwnerID != d.actors["agent"].UserID || tk.Priority != 2 {
			t.Fatalf("created %+v", tk)
		}
		if _, err := d.s.Get(d.as("other"), tk.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("another requester opened the ticket: %v", err)
		}
		if _, err := d.s.Confirm(d.as("requester"), tk.ID, tk.Version); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("confirming a new ticket: %v", err)
		}
		tk, err = d.s.Assign(d.as("agent"), tk.ID, tk.Version, d.group, d.actors["engineer"].UserID, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.s.Assign(d.as("agent"), tk.ID, tk.Version-1, d.group, 0, "换人"); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("stale assign: %v", err)
		}
		if _, err := d.s.Assign(d.as("agent"), tk.ID, tk.Version, d.group, d.actors["other"].UserID, "换人"); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("assigning to a non-member: %v", err)
		}
		if _, err := d.s.Comment(d.as("engineer"), tk.ID, "账号被锁，已解锁", true, 15); err != nil {
			t.Fatal(err)
		}
		if _, err := d.s.Comment(d.as("requester"), tk.ID, "我能写内部备注吗", true, 0); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("requester wrote an internal note: %v", err)
		}
		tk, _ = d.s.Get(d.as("engineer"), tk.ID) // the note moved the version on
		if tk.MinutesSpent != 15 {
			t.Fatalf("time spent %d", tk.MinutesSpent)
		}
		tk, err = d.s.Resolve(d.as("engineer"), tk.ID, tk.Version, ticket.Resolution{Cause: "连续输错密码被锁定", Solution: "解锁并重置密码"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.s.Confirm(d.as("agent"), tk.ID, tk.Version); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("someone else confirmed: %v", err)
		}
		comments, _ := d.s.Comments(d.as("requester"), tk.ID)
		for _, c := range comments {
			if c.Internal {
				t.Fatal("requester sees an internal note")
			}
		}
		if len(comments) != 1 {
			t.Fatalf("requester sees %d comments, want the resolution only", len(comments))
		}
		// Detail: one load, the same visibility as Get, Comments and Events.
		if dt, err := d.s.Detail(d.as("requester"), tk.ID, ticket.DetailOf{Attachments: true, Visits: true}); err != nil ||
			dt.Internal || len(dt.Comments) != 1 || dt.Ticket.ID != tk.ID || len(dt.Events) == 0 {
			t.Fatalf("requester's detail: %+v %v", dt, err)
		}
		if dt, err := d.s.Detail(d.as("engineer"), tk.ID, ticket.DetailOf{}); err != nil || !dt.Internal || len(dt.Comments) != 2 {
			t.Fatalf("engineer's detail: %+v %v", dt, err)
		}
		if _, err := d.s.Detail(d.as("other"), tk.ID, ticket.DetailOf{}); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("someone else's detail: %v", err)
		}
		tk, err = d.s.Confirm(d.as("requester"), tk.ID, tk.Version)
		if err != nil || tk.Status != ticket.Closed {
			t.Fatalf("confirm: %v %v", tk, err)
		}
		list, _ := d.s.List(d.as("requester"), ticket.Filter{Query: "登录"})
		if len(list) != 1 {
			t.Fatalf("requester search found %d", len(list))
		}
		list, _ = d.s.List(d.as("other"), ticket.Filter{Query: "登录"})
		if len(list) != 0 {
			t.Fatalf("other requester found someone else's ticket")
		}
	})
}

func TestCreateBadInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		cases := []struct {
			name string
			who  string
			n    ticket.NewTicket
			want errs.Kind
		}{
			{"empty subject", "requester", ticket.NewTicket{Type: ticket.Incident, Channel: ticket.Portal, Urgency: 1, Impact: 1}, errs.Invalid},
			{"unknown type", "requester", ticket.NewTicket{Type: "x", Channel: ticket.Portal, Subject: "s", Urgency: 1, Impact: 1}, errs.Invalid},
			{"urgency 9", "requester", ticket.NewTicket{Type: ticket.Request, Channel: ticket.Portal, Subject: "s", Urgency: 9, Impact: 1}, errs.Invalid},
			{"requester on behalf of another", "requester", ticket.NewTicket{Type: ticket.Request, Channel: ticket.Portal, Subject: "s", Urgency: 1, Impact: 1, RequesterID: 999}, errs.Forbidden},
			{"unknown caller", "agent", ticket.NewTicket{Type: ticket.Request, Channel: ticket.Phone, Subject: "s", Urgency: 1, Impact: 1, RequesterID: 999}, errs.Invalid},
			{"invalid UTF-8", "requester", ticket.NewTicket{Type: ticket.Request, Channel: ticket.Portal, Subject: "\xff\xfe", Urgency: 1, Impact: 1}, errs.Invalid},
		}
		for _, tc := range cases {
			if _, err := d.s.Create(d.as(tc.who), tc.n); errs.KindOf(err) != tc.want {
				t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
			}
		}
		if list, _ := d.s.List(d.as("agent"), ticket.Filter{}); len(list) != 0 {
			t.Fatalf("bad input stored %d tickets", len(list))
		}
	})
}
