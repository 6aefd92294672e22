// Package loadtest generates realistic service-desk load (压力测试): Chinese tickets with replies spread
// over years for bulk seeding (opsdesk bench seed), and concurrent clients that drive the JSON API
// (opsdesk bench http).
package loadtest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"opsdesk/internal/ticket"
)

// Generator makes tickets in chronological order: the i-th of Total tickets is created within the
// i-th slice of the Span before Now, so that numbers and ids follow creation time as they do in a
// real desk. Use one Generator from one goroutine.
type Generator struct {
	Dir     Directory
	Total   int           // tickets to make in all
	Replies int           // comments per ticket
	Span    time.Duration // how far back the first ticket lies (3 years by default)
	Now     time.Time
	Zone    *time.Location // working hours are judged here
	// LongShare is the share (0–1) of tickets that get LongReplies comments instead of Replies: the
	// long conversations a ticket page must still show quickly.
	LongShare   float64
	LongReplies int

	rnd  *rand.Rand
	next int // index of the next ticket
	bag  []int
}

// NewGenerator returns a generator with a fixed random seed, so that runs are repeatable.
func NewGenerator(dir Directory, total, replies int, now time.Time, zone *time.Location, seed uint64) *Generator {
	g := &Generator{Dir: dir, Total: total, Replies: replies, Span: 3 * 365 * 24 * time.Hour, Now: now, Zone: zone,
		rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	for i, p := range problems {
		for range p.weight {
			g.bag = append(g.bag, i)
		}
	}
	return g
}

// Remaining is the number of tickets not yet made.
func (g *Generator) Remaining() int { return g.Total - g.next }

// Batch makes the next n tickets (fewer at the end), oldest first, with their comments.
func (g *Generator) Batch(n int) ([]*ticket.Ticket, [][]*ticket.Comment) {
	n = min(n, g.Remaining())
	if n <= 0 {
		return nil, nil
	}
	start := g.Now.Add(-g.Span)
	step := float64(g.Span) / float64(g.Total)
	lo := start.Add(time.Duration(float64(g.next) * step))
	hi := start.Add(time.Duration(float64(g.next+n) * step))
	times := make([]time.Time, n)
	for i := range times {
		times[i] = g.createdAt(lo, hi)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	ts := make([]*ticket.Ticket, n)
	cs := make([][]*ticket.Comment, n)
	for i := range ts {
		ts[i], cs[i] = g.ticket(times[i])
	}
	g.next += n
	return ts, cs
}

// createdAt draws a time in [lo, hi), mostly in office hours on working days when the window allows.
func (g *Generator) createdAt(lo, hi time.Time) time.Time {
	width := hi.Sub(lo)
	var t time.Time
	for range 8 {
		t = lo.Add(time.Duration(g.rnd.Int64N(int64(max(width, 1)))))
		l := t.In(g.Zone)
		busy := l.Hour() >= 8 && l.Hour() < 18 && l.Weekday() != time.Saturday && l.Weekday() != time.Sunday
		if busy || g.rnd.IntN(10) == 0 {
			break
		}
	}
	return t
}

func (g *Generator) pick(xs []string) string { return xs[g.rnd.IntN(len(xs))] }

// level draws an urgency or impact: mostly medium and low, as in real desks.
func (g *Generator) level() ticket.Level {
	switch x := g.rnd.IntN(100); {
	case x < 8:
		return ticket.High
	case x < 55:
		return ticket.Medium
	}
	return ticket.Low
}

var channelWeights = []struct {
	c ticket.Channel
	w int
}{{ticket.Phone, 35}, {ticket.Portal, 30}, {ticket.Email, 15}, {ticket.IM, 10}, {ticket.Monitoring, 7}, {ticket.API, 3}}

func (g *Generator) channel() ticket.Channel {
	x := g.rnd.IntN(100)
	for _, cw := range channelWeights {
		if x < cw.w {
			return cw.c
		}
		x -= cw.w
	}
	return ticket.Portal
}

// resolution draws how long a ticket of priority p takes to resolve: log-normal around a median
// that grows from 2 hours for P1 to 2 days for P4, with a long tail.
func (g *Generator) resolution(p ticket.Priority) time.Duration {
	median := []float64{2, 6, 16, 48}[min(max(int(p), 1), 4)-1]
	h := median * math.Exp(g.rnd.NormFloat64()*1.1)
	return time.Duration(h * float64(time.Hour))
}

func (g *Generator) text(p problem) (subject, desc string) {
	subject = g.pick(p.subjects)
	if strings.Contains(subject, "%s") {
		subject = fmt.Sprintf(subject, g.pick(p.things))
	}
	desc = g.pick(p.details)
	if g.rnd.IntN(2) == 0 {
		desc += g.pick(p.details)
	}
	return subject, desc
}

// Text returns a realistic subject and description, for API load.
func (g *Generator) Text() (subject, desc string) {
	return g.text(problems[g.bag[g.rnd.IntN(len(g.bag))]])
}

// ticket makes one ticket created at created, with its status following from how long it would
// take: what would be resolved by now is resolved or closed; the rest is still open.
func (g *Generator) ticket(created time.Time) (*ticket.Ticket, []*ticket.Comment) {
	p := problems[g.bag[g.rnd.IntN(len(g.bag))]]
	t := &ticket.Ticket{Type: p.typ, Channel: g.channel(), Urgency: g.level(), Impact: g.level(), CreatedAt: created,
		Tier: 1, ServiceMode: ticket.Remote}
	t.Priority, _ = ticket.PriorityFor(t.Urgency, t.Impact, ticket.DefaultMatrix)
	t.Subject, t.Description = g.text(p)
	t.Location = g.pick(locations)
	if req, ok := g.Dir.requester(g.rnd); ok && g.rnd.IntN(10) != 0 {
		t.RequesterID, t.ContactName, t.ContactPhone, t.ContactDept, t.OrgPath = req.ID, req.Name, req.Phone, req.OrgName, req.OrgPath
	} else {
		t.ContactName = string(surnames[g.rnd.IntN(len(surnames))]) + g.pick(givenNames)
		t.ContactPhone = fmt.Sprintf("139%08d", g.rnd.IntN(1e8))
		t.ContactDept = g.pick(externalDepts)
		t.OrgPath = g.Dir.RootPath
	}
	if ag, ok := g.Dir.agent(g.rnd); ok {
		t.OwnerID = ag.ID
	}
	resolved := created.Add(g.resolution(t.Priority))
	closed := resolved.Add(time.Duration(24+g.rnd.IntN(48)) * time.Hour) // auto-closed after confirmation
	switch x := g.rnd.IntN(1000); {
	case x < 30:
		t.Status = ticket.Cancelled
		t.UpdatedAt = created.Add(time.Duration(g.rnd.IntN(120)+5) * time.Minute)
	case x < 33: // forgotten: still waiting after all this time
		t.Status, t.Pending = ticket.Pending, ticket.WaitVendor
	case resolved.After(g.Now):
		t.Status = g.openStatus(g.Now.Sub(created))
		if t.Status == ticket.Pending {
			t.Pending = []ticket.PendingReason{ticket.WaitRequester, ticket.WaitVendor, ticket.WaitChange}[g.rnd.IntN(3)]
		}
	case closed.After(g.Now):
		t.Status, t.ResolvedAt = ticket.Resolved, resolved
	default:
		t.Status, t.ResolvedAt, t.ClosedAt = ticket.Closed, resolved, closed
	}
	if t.Status != ticket.New {
		t.GroupID, t.AssigneeID = g.Dir.handler(g.rnd, p.group, t.Status != ticket.Cancelled)
	} else if sd, ok := g.Dir.Groups[g.Dir.frontDesk()]; ok && g.rnd.IntN(2) == 0 {
		t.GroupID = sd.ID // waiting in the service desk's queue
	}
	for _, gr := range g.Dir.Groups {
		if gr.ID == t.GroupID && gr.Tier > 0 {
			t.Tier = gr.Tier
		}
	}
	end := g.Now
	switch {
	case !t.ClosedAt.IsZero():
		end = t.ClosedAt
	case !t.ResolvedAt.IsZero():
		end = t.ResolvedAt
	case t.Status == ticket.Cancelled:
		end = t.UpdatedAt
	}
	replies := g.Replies
	if g.LongShare > 0 && g.rnd.Float64() < g.LongShare { // no draw without long tickets: same seed, same tickets
		replies = max(g.LongReplies, replies)
	}
	comments := make([]*ticket.Comment, replies)
	for i := range comments {
		at := created.Add(time.Duration(float64(end.Sub(created)) * float64(i+1) / float64(replies+1)))
		comments[i] = g.comment(p, t, at)
	}
	if t.UpdatedAt.IsZero() {
		t.UpdatedAt = end
		if n := len(comments); n > 0 && t.Status.IsOpen() {
			t.UpdatedAt = comments[n-1].CreatedAt
		}
	}
	if t.UpdatedAt.Before(created) {
		t.UpdatedAt = created
	}
	return t, comments
}

// openStatus picks the status of a ticket opened age ago and not yet resolved: the younger, the
// likelier it still waits for someone to take it.
func (g *Generator) openStatus(age time.Duration) ticket.Status {
	x := g.rnd.IntN(100)
	switch {
	case age < 30*time.Minute && x < 60, x < 8:
		return ticket.New
	case x < 35:
		return ticket.Assigned
	case x < 80:
		return ticket.InProgress
	}
	return ticket.Pending
}

func (g *Generator) comment(p problem, t *ticket.Ticket, at time.Time) *ticket.Comment {
	c := &ticket.Comment{CreatedAt: at}
	switch x := g.rnd.IntN(10); {
	case x < 2:
		c.Internal, c.Body, c.AuthorID = true, g.pick(notes), worker(t)
	case x < 4:
		c.Body, c.AuthorID = g.pick(requesterReplies), t.RequesterID
	default:
		c.Body, c.AuthorID = g.pick(p.replies), worker(t)
	}
	return c
}

// worker is who writes the engineer's side of a ticket: the assignee, else the first-contact owner.
func worker(t *ticket.Ticket) int64 {
	if t.AssigneeID != 0 {
		return t.AssigneeID
	}
	return t.OwnerID
}
