package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

var _ ticket.Notices = (*Service)(nil)

// eventOf maps what happened to a ticket to the event people and channels subscribe to.
var eventOf = map[ticket.EventKind]Event{
	ticket.EvCreated:         TicketCreated,
	ticket.EvAssigned:        TicketAssigned,
	ticket.EvEscalated:       TicketEscalated,
	ticket.EvSkipped:         TicketEscalated,
	ticket.EvReportedUp:      TicketEscalated,
	ticket.EvUrged:           TicketUrged,
	ticket.EvResolved:        TicketResolved,
	ticket.EvReopened:        TicketReopened,
	ticket.EvRejected:        TicketReopened,
	ticket.EvCommented:       TicketCommented,
	ticket.EvSurveyRequested: SurveyRequested,
	ticket.EvSLAWarning:      SLAWarning,
	ticket.EvSLABreach:       SLABreach,
}

// EventOf returns the event a ticket history kind is notified as; false when people are not told.
func EventOf(k ticket.EventKind) (Event, bool) {
	e, ok := eventOf[k]
	return e, ok
}

// Notice implements ticket.Notices. It runs in the transaction of the ticket change (ctx carries
// it): the inbox entries and outbox messages it writes commit or roll back with the change.
func (s *Service) Notice(ctx context.Context, t *ticket.Ticket, n ticket.Notice) error {
	return s.NoticeAll(ctx, []ticket.TicketNotice{{Ticket: t, Notice: n}})
}

var _ ticket.NoticesBatch = (*Service)(nil)

// NoticeAll implements ticket.NoticesBatch: what Notice does for each notice, in order, with the
// channels read once, each person, group and person's preferences looked up once for all of them,
// and the inbox entries and the outbox messages written in one statement each — for the SLA
// engine's tick, whose firings tell the same managers and engineers of many tickets.
func (s *Service) NoticeAll(ctx context.Context, ns []ticket.TicketNotice) error {
	lk := &lookups{people: map[int64]*Person{}, groups: map[int64]*Group{}, prefs: map[int64][]*Preference{}}
	var channels []*Channel
	var mail *Channel
	read := false // the channels
	var notes []*Notification
	var msgs []*Message
	for _, tn := range ns {
		t, n := tn.Ticket, tn.Notice
		ev, ok := eventOf[n.Event.Kind]
		// A ticket dispatched as it is opened has one "assigned" notice with its "created" one; the
		// created notice already told the people holding it (the new ticket's version is still 1).
		if !ok || n.Event.Kind == ticket.EvAssigned && t.Version == 1 {
			continue
		}
		if !read {
			var err error
			if channels, err = s.Store.Channels(ctx); err != nil {
				return err
			}
			read = true
			if i := slices.IndexFunc(channels, func(c *Channel) bool { return c.Enabled && c.Kind == Email }); i >= 0 {
				mail = channels[i]
			}
		}
		x := &notice{s: s, t: t, n: n, ev: ev, actorID: n.Event.ActorID, lookups: lk, views: map[viewKey]*rendered{}}
		if x.actorID == 0 {
			if a := actor.FromContext(ctx); a != nil {
				x.actorID = a.UserID
			}
		}
		nb, mb, err := x.build(ctx, channels, mail)
		if err != nil {
			return fmt.Errorf("ticket %d: %w", t.ID, err)
		}
		notes, msgs = append(notes, nb...), append(msgs, mb...)
	}
	if len(notes) > 0 {
		if err := s.Store.AddNotifications(ctx, notes); err != nil {
			return err
		}
	}
	if len(msgs) > 0 {
		if err := s.Store.Enqueue(ctx, msgs); err != nil {
			return err
		}
		s.wake()
	}
	return nil
}

// build makes the notice's inbox entries and outbox messages: one per recipient as their
// preferences allow, and one per bot or webhook channel that subscribes to it.
func (x *notice) build(ctx context.Context, channels []*Channel, mail *Channel) ([]*Notification, []*Message, error) {
	rs, err := x.recipients(ctx)
	if err != nil {
		return nil, nil, err
	}
	var notes []*Notification
	var msgs []*Message
	for _, r := range rs {
		ns, ms, err := x.deliver(ctx, r, mail)
		if err != nil {
			return nil, nil, err
		}
		notes, msgs = append(notes, ns...), append(msgs, ms...)
	}
	for _, c := range channels {
		if !c.Enabled || !c.Kind.IsBot() || !x.subscribed(c) {
			continue
		}
		m, err := x.post(ctx, c)
		if err != nil {
			return nil, nil, err
		}
		msgs = append(msgs, m)
	}
	return notes, msgs, nil
}

// lookups are the people, groups and preferences read for a call of NoticeAll, shared by its
// notices: they run in one transaction, so what was read stays true for all of them.
type lookups struct {
	people map[int64]*Person       // nil value: absent
	groups map[int64]*Group        // nil value: absent
	prefs  map[int64][]*Preference // by person
}

// notice is the work of one notice, with the look-ups it shares with the others of its call.
type notice struct {
	s       *Service
	t       *ticket.Ticket
	n       ticket.Notice
	ev      Event
	actorID int64
	*lookups
	views map[viewKey]*rendered
}

// subscribed reports whether a bot or webhook channel wants this notice: its events (empty: all)
// and its group (0: any; a ticket leaving the group by escalation still counts as the group's).
func (x *notice) subscribed(c *Channel) bool {
	if len(c.Events) > 0 && !slices.Contains(c.Events, x.ev) {
		return false
	}
	return c.GroupID == 0 || c.GroupID == x.t.GroupID || c.GroupID == x.n.Event.FromGroup
}

// person looks a user up once per call; nil when they do not exist.
func (x *notice) person(ctx context.Context, id int64) (*Person, error) {
	if p, ok := x.people[id]; ok {
		return p, nil
	}
	p, err := x.s.People.Person(ctx, id)
	if errs.Is(err, errs.NotFound) {
		p, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	x.people[id] = p
	return p, nil
}

// group looks a support group up once per call; nil when it does not exist.
func (x *notice) group(ctx context.Context, id int64) (*Group, error) {
	if g, ok := x.groups[id]; ok {
		return g, nil
	}
	g, err := x.s.People.GroupOf(ctx, id)
	if errs.Is(err, errs.NotFound) {
		g, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	x.groups[id] = g
	return g, nil
}

// preferences reads a person's stored preferences once per call.
func (x *notice) preferences(ctx context.Context, id int64) ([]*Preference, error) {
	if ps, ok := x.prefs[id]; ok {
		return ps, nil
	}
	ps, err := x.s.Store.Preferences(ctx, id)
	if err != nil {
		return nil, err
	}
	x.prefs[id] = ps
	return ps, nil
}

// wants reports whether a person's stored preferences leave (ev, kind) on.
func wants(prefs []*Preference, ev Event, kind Kind) bool {
	for _, p := range prefs {
		if p.Event == ev && p.Kind == kind {
			return p.Enabled
		}
	}
	return true
}

// newKey returns a message's idempotency key: 128 random bits in hex.
func newKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails
	return hex.EncodeToString(b[:])
}
