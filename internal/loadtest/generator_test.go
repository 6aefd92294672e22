package loadtest

import (
	"testing"
	"time"

	"opsdesk/internal/iam"
	"opsdesk/internal/ticket"
)

func testDirectory() Directory {
	users := []*iam.User{
		{ID: 1, Name: "杨雪", OrgPath: "/1/5/", OrgName: "财务部", Roles: []string{iam.RoleUser}},
		{ID: 2, Name: "张伟", OrgPath: "/1/2/3/", OrgName: "信息技术支持服务中心", Roles: []string{iam.RoleAgent}},
		{ID: 3, Name: "李华", OrgPath: "/1/2/3/", Roles: []string{iam.RoleEngineer}},
		{ID: 4, Name: "停用", OrgPath: "/1/5/", Roles: []string{iam.RoleUser}, Disabled: true},
	}
	groups := []*iam.Group{
		{ID: 10, Code: "service-desk", MemberIDs: []int64{2}},
		{ID: 11, Code: "desktop", MemberIDs: []int64{3}},
		{ID: 12, Code: "empty"},
	}
	return DirectoryFrom(users, groups)
}

func TestDirectoryFrom(t *testing.T) {
	d := testDirectory()
	if len(d.Requesters) != 1 || d.Requesters[0].ID != 1 || len(d.Agents) != 1 || d.Agents[0].ID != 2 {
		t.Errorf("requesters %+v, agents %+v", d.Requesters, d.Agents)
	}
	if len(d.Groups) != 2 || d.RootPath != "/1/" {
		t.Errorf("groups %+v, root %q", d.Groups, d.RootPath)
	}
}

func TestGenerator(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	zone := time.FixedZone("CST", 8*3600)
	const total, replies = 3000, 3
	g := NewGenerator(testDirectory(), total, replies, now, zone, 7)
	var all []*ticket.Ticket
	for g.Remaining() > 0 {
		ts, cs := g.Batch(700)
		if len(ts) != len(cs) {
			t.Fatalf("%d tickets, %d comment lists", len(ts), len(cs))
		}
		for i, x := range ts {
			if len(cs[i]) != replies {
				t.Fatalf("ticket %d: %d comments", i, len(cs[i]))
			}
			for _, c := range cs[i] {
				if c.Body == "" || c.CreatedAt.Before(x.CreatedAt) || c.CreatedAt.After(now) {
					t.Errorf("comment %+v of a ticket created %s", c, x.CreatedAt)
				}
			}
		}
		all = append(all, ts...)
	}
	if len(all) != total {
		t.Fatalf("made %d tickets, want %d", len(all), total)
	}
	count := map[ticket.Status]int{}
	for i, x := range all {
		if i > 0 && x.CreatedAt.Before(all[i-1].CreatedAt) {
			t.Fatalf("ticket %d created before its predecessor", i)
		}
		if x.CreatedAt.Before(now.Add(-g.Span)) || x.CreatedAt.After(now) || x.UpdatedAt.Before(x.CreatedAt) {
			t.Fatalf("ticket %d: created %s updated %s", i, x.CreatedAt, x.UpdatedAt)
		}
		if x.Subject == "" || x.Description == "" || x.Number != "" || x.Priority < 1 || x.Priority > 4 {
			t.Fatalf("ticket %d: %+v", i, x)
		}
		if p, _ := ticket.PriorityFor(x.Urgency, x.Impact, ticket.DefaultMatrix); p != x.Priority {
			t.Errorf("ticket %d: priority %d for %d×%d", i, x.Priority, x.Urgency, x.Impact)
		}
		switch x.Status {
		case ticket.Closed:
			if x.ClosedAt.IsZero() || x.ResolvedAt.IsZero() || x.ClosedAt.Before(x.ResolvedAt) || x.ClosedAt.After(now) {
				t.Errorf("closed ticket %d: resolved %s closed %s", i, x.ResolvedAt, x.ClosedAt)
			}
		case ticket.Pending:
			if x.Pending == "" {
				t.Errorf("pending ticket %d without a reason", i)
			}
		}
		if x.Status != ticket.New && x.Status != ticket.Cancelled && x.AssigneeID == 0 {
			t.Errorf("ticket %d (%s) has no assignee", i, x.Status)
		}
		count[x.Status]++
	}
	if c := count[ticket.Closed]; c < total*80/100 {
		t.Errorf("only %d of %d tickets closed: %v", c, total, count)
	}
	if count[ticket.Cancelled] == 0 || count[ticket.Pending] == 0 {
		t.Errorf("status mix lacks cancelled or pending tickets: %v", count)
	}

	// The same seed makes the same tickets.
	again := NewGenerator(testDirectory(), total, replies, now, zone, 7)
	ts, _ := again.Batch(700)
	for i := range ts[:5] {
		if ts[i].Subject != all[i].Subject || !ts[i].CreatedAt.Equal(all[i].CreatedAt) {
			t.Errorf("ticket %d differs with the same seed", i)
		}
	}
}

func TestGeneratorWithoutOrganisation(t *testing.T) {
	g := NewGenerator(Directory{}, 50, 1, time.Now(), time.UTC, 1)
	ts, _ := g.Batch(100)
	if len(ts) != 50 || g.Remaining() != 0 {
		t.Fatalf("made %d, %d remaining", len(ts), g.Remaining())
	}
	for _, x := range ts {
		if x.RequesterID != 0 || x.GroupID != 0 || x.ContactName == "" {
			t.Fatalf("%+v", x)
		}
	}
	if ts, cs := g.Batch(10); ts != nil || cs != nil {
		t.Error("a finished generator made more tickets")
	}
}
