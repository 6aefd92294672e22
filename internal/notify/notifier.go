package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"

	"opsdesk/internal/actor"
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
// channels read once, the groups, people and preferences of all of them read in a query or two
// each, and the inbox entries and the outbox messages written in one statement each — for the SLA
// engine's tick, whose firings tell the same managers and engineers of many tickets.
func (s *Service) NoticeAll(ctx context.Context, ns []ticket.TicketNotice) error {
	lk := newLookups()
	var xs []*notice
	for _, tn := range ns {
		t, n := tn.Ticket, tn.Notice
		ev, ok := eventOf[n.Event.Kind]
		// A ticket dispatched as it is opened has one "assigned" notice with its "created" one; the
		// created notice already told the people holding it (the new ticket's version is still 1).
		if !ok || n.Event.Kind == ticket.EvAssigned && t.Version == 1 {
			continue
		}
		x := &notice{s: s, t: t, n: n, ev: ev, actorID: n.Event.ActorID, lookups: lk, views: map[viewKey]*rendered{}}
		if x.actorID == 0 {
			if a := actor.FromContext(ctx); a != nil {
				x.actorID = a.UserID
			}
		}
		xs = append(xs, x)
	}
	if len(xs) == 0 {
		return nil
	}
	channels, err := s.Store.Channels(ctx)
	if err != nil {
		return err
	}
	var mail *Channel
	if i := slices.IndexFunc(channels, func(c *Channel) bool { return c.Enabled && c.Kind == Email }); i >= 0 {
		mail = channels[i]
	}
	// Who is told depends on the tickets' groups; what they are told on the people named.
	var ids []int64
	for _, x := range xs {
		ids = append(ids, x.t.GroupID)
	}
	if err := lk.loadGroups(ctx, s.People, ids); err != nil {
		return err
	}
	rss := make([][]recipient, len(xs))
	ids = ids[:0]
	for i, x := range xs {
		if rss[i], err = x.recipients(ctx); err != nil {
			return fmt.Errorf("ticket %d: %w", x.t.ID, err)
		}
		for _, r := range rss[i] {
			ids = append(ids, r.userID)
		}
		ids = append(ids, x.t.AssigneeID)
		if c := x.n.Comment; c != nil {
			ids = append(ids, c.AuthorID)
		}
	}
	if err := lk.loadPeople(ctx, s.People, s.Store, ids); err != nil {
		return err
	}
	var notes []*Notification
	var msgs []*Message
	for i, x := range xs {
		nb, mb, err := x.build(ctx, rss[i], channels, mail)
		if err != nil {
			return fmt.Errorf("ticket %d: %w", x.t.ID, err)
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

// build makes the notice's inbox entries and outbox messages: one per recipient rs as their
// preferences allow, and one per bot or webhook channel that subscribes to it.
func (x *notice) build(ctx context.Context, rs []recipient, channels []*Channel, mail *Channel) ([]*Notification, []*Message, error) {
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
