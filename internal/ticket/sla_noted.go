package ticket

import (
	"context"
	"strconv"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
)

// SLANote is one threshold firing whose policy action changes nothing on the ticket: a history
// entry (EvSLAWarning or EvSLABreach), told to the people concerned when Notify is set.
type SLANote struct {
	TicketID int64
	Kind     EventKind
	Reason   string
	Notify   bool
}

// SLANoted records firings that change nothing on their tickets — for each what SLAFired does for
// a notify-only action (slaNoted): the history entry, its notices and an audit entry, without
// saving the ticket — for many tickets at once, in the caller's transaction: the tickets read in
// one query, the history entries in one INSERT, the audit entries appended as one batch and the
// notices written together. The SLA engine calls it with the clocks it marks fired, so that a busy
// tick costs a few statements rather than a dozen per firing. It is all or nothing: on an error
// the caller rolls it back (a savepoint) and fires the clocks one by one, so that a ticket that
// cannot be noted does not hold up the others.
func (s *Service) SLANoted(ctx context.Context, notes []SLANote) error {
	if len(notes) == 0 {
		return nil
	}
	for _, n := range notes {
		if n.Kind != EvSLAWarning && n.Kind != EvSLABreach {
			return errs.E(errs.Invalid, "err.invalid")
		}
	}
	if actor.FromContext(ctx) == nil {
		ctx = actor.NewContext(ctx, actor.System(actor.SourceJob))
	}
	var actorID int64
	if a := actor.FromContext(ctx); a != nil {
		actorID = a.UserID
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, n := range notes {
		if !seen[n.TicketID] {
			seen[n.TicketID] = true
			ids = append(ids, n.TicketID)
		}
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		ts, err := s.Store.GetMany(ctx, ids)
		if err != nil {
			return err
		}
		byID := make(map[int64]*Ticket, len(ts))
		for _, t := range ts {
			byID[t.ID] = t
		}
		evs := make([]*Event, len(notes))
		entries := make([]audit.Entry, len(notes))
		for i, n := range notes {
			evs[i] = &Event{TicketID: n.TicketID, Kind: n.Kind, Reason: n.Reason, ActorID: actorID, At: s.Now()}
			entries[i] = audit.Entry{Action: "ticket." + string(n.Kind), TargetType: "ticket",
				TargetID: strconv.FormatInt(n.TicketID, 10), Detail: n.Reason}
		}
		if err := s.Store.AddEvents(ctx, evs); err != nil {
			return err
		}
		if err := s.Audit.RecordAll(ctx, entries); err != nil {
			return err
		}
		var ns []TicketNotice
		for i, n := range notes {
			if n.Notify {
				ns = append(ns, TicketNotice{Ticket: byID[n.TicketID], Notice: Notice{Event: *evs[i]}})
			}
		}
		return s.noticeAll(ctx, ns)
	})
}
