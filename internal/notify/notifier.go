package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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
	ev, ok := eventOf[n.Event.Kind]
	// A ticket dispatched as it is opened has one "assigned" notice with its "created" one; the
	// created notice already told the people holding it (the new ticket's version is still 1).
	if !ok || n.Event.Kind == ticket.EvAssigned && t.Version == 1 {
		return nil
	}
	x := &notice{s: s, t: t, n: n, ev: ev, actorID: n.Event.ActorID,
		people: map[int64]*Person{}, groups: map[int64]*Group{}, views: map[viewKey]*rendered{}}
	if x.actorID == 0 {
		if a := actor.FromContext(ctx); a != nil {
			x.actorID = a.UserID
		}
	}
	rs, err := x.recipients(ctx)
	if err != nil {
		return err
	}
	channels, err := s.Store.Channels(ctx)
	if err != nil {
		return err
	}
	var mail *Channel
	if i := slices.IndexFunc(channels, func(c *Channel) bool { return c.Enabled && c.Kind == Email }); i >= 0 {
		mail = channels[i]
	}
	var notes []*Notification
	var msgs []*Message
	for _, r := range rs {
		ns, ms, err := x.deliver(ctx, r, mail)
		if err != nil {
			return err
		}
		notes, msgs = append(notes, ns...), append(msgs, ms...)
	}
	for _, c := range channels {
		if !c.Enabled || !c.Kind.IsBot() || !x.subscribed(c) {
			continue
		}
		m, err := x.post(ctx, c)
		if err != nil {
			return err
		}
		msgs = append(msgs, m)
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

// notice is the work of one Notice call, with the look-ups its recipients share.
type notice struct {
	s       *Service
	t       *ticket.Ticket
	n       ticket.Notice
	ev      Event
	actorID int64
	people  map[int64]*Person // nil value: absent
	groups  map[int64]*Group  // nil value: absent
	views   map[viewKey]*rendered
}

// subscribed reports whether a bot or webhook channel wants this notice: its events (empty: all)
// and its group (0: any; a ticket leaving the group by escalation still counts as the group's).
func (x *notice) subscribed(c *Channel) bool {
	if len(c.Events) > 0 && !slices.Contains(c.Events, x.ev) {
		return false
	}
	return c.GroupID == 0 || c.GroupID == x.t.GroupID || c.GroupID == x.n.Event.FromGroup
}

// person looks a user up once per notice; nil when they do not exist.
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

// group looks a support group up once per notice; nil when it does not exist.
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
