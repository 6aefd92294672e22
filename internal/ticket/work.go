package ticket

import (
	"context"
	"strings"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// change loads a ticket for a change by the actor: visible, current version, allowed by can; then
// runs fn and saves the result with an audit entry, all in one transaction. Version 0 skips the
// version check (the caller acts on whatever is current, e.g. a comment or an urge).
func (s *Service) change(ctx context.Context, id int64, version int, action string,
	can func(*actor.Actor, *Ticket) bool, fn func(ctx context.Context, t *Ticket) error) (*Ticket, error) {
	a := actor.FromContext(ctx)
	trusted := isTrusted(ctx)
	if a == nil || a.UserID == 0 && !trusted {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	var out *Ticket
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		ctx, notices := collecting(ctx)
		t, err := s.Store.Get(ctx, id)
		if err != nil || !trusted && !CanView(a, t) {
			return errs.E(errs.NotFound, "err.not_found")
		}
		if !can(a, t) {
			return errs.E(errs.Forbidden, "err.forbidden")
		}
		if version != 0 && t.Version != version {
			return errs.E(errs.Conflict, "err.stale")
		}
		before, prev := view(t), *t
		if err := fn(ctx, t); err != nil {
			return err
		}
		if s.Clocks != nil {
			if err := s.Clocks.Changed(ctx, &prev, t); err != nil {
				return err
			}
		}
		t.UpdatedAt = s.Now()
		if err := s.Store.Update(ctx, t); err != nil {
			return err
		}
		out = t
		if err := s.record(ctx, action, t, before, view(t)); err != nil {
			return err
		}
		return s.flush(ctx, t, *notices)
	})
	return out, err
}

type trustedKey struct{}

// trusted marks ctx as a change made by opsdesk itself on a ticket it chose (a background job, a
// one-time survey link): visibility rules for a person do not apply, the can function still does.
func trusted(ctx context.Context) context.Context { return context.WithValue(ctx, trustedKey{}, true) }

func isTrusted(ctx context.Context) bool { v, _ := ctx.Value(trustedKey{}).(bool); return v }

func canAssign(a *actor.Actor, _ *Ticket) bool { return a.Can(PermAssign) || a.Can(PermManage) }

// reasonText checks a required reason.
func reasonText(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	var f errs.Fields
	f.Text(field, v, 1, 2000)
	return v, f.Err()
}

// Assign dispatches a ticket (派单) to a group and/or an engineer of that group. Moving a ticket
// that someone already holds is a reassignment and needs a reason, which the history keeps for the
// first-contact owner. With a group and no engineer, the group's least-loaded member takes it.
func (s *Service) Assign(ctx context.Context, id int64, version int, groupID, assigneeID int64, reason string) (*Ticket, error) {
	return s.change(ctx, id, version, "ticket.assign", canAssign, func(ctx context.Context, t *Ticket) error {
		if groupID == 0 && assigneeID == 0 {
			return errs.E(errs.Invalid, "err.ticket.assign_target", errs.Field("group_id", "err.required"))
		}
		if !t.Status.IsOpen() {
			return errs.E(errs.Invalid, "err.ticket.transition", errs.Field("status", "err.ticket.transition"))
		}
		reassign := t.AssigneeID != 0 || t.GroupID != 0
		if reassign {
			r, err := reasonText("reason", reason)
			if err != nil {
				return err
			}
			reason = r
		}
		ev := Event{Kind: EvAssigned, FromGroup: t.GroupID, FromUser: t.AssigneeID, FromStatus: t.Status, Reason: reason}
		if err := s.placeIn(ctx, t, groupID, assigneeID, true); err != nil {
			return err
		}
		if err := Move(t, Assigned); err != nil {
			return err
		}
		if t.OwnerID == 0 {
			t.OwnerID = actor.FromContext(ctx).UserID
		}
		ev.ToGroup, ev.ToUser, ev.ToStatus = t.GroupID, t.AssigneeID, t.Status
		return s.event(ctx, t, ev)
	})
}

// Take lets an engineer pick an unassigned ticket of one of their groups, or one of their group's
// queue, for themselves.
func (s *Service) Take(ctx context.Context, id int64, version int) (*Ticket, error) {
	return s.change(ctx, id, version, "ticket.take", CanWork, func(ctx context.Context, t *Ticket) error {
		me := actor.FromContext(ctx).UserID
		if !t.Status.IsOpen() || t.AssigneeID == me {
			return errs.E(errs.Invalid, "err.ticket.transition", errs.Field("status", "err.ticket.transition"))
		}
		ev := Event{Kind: EvAssigned, FromGroup: t.GroupID, FromUser: t.AssigneeID, FromStatus: t.Status, Reason: "self"}
		if t.GroupID != 0 {
			if err := s.placeIn(ctx, t, t.GroupID, me, false); err != nil {
				return err
			}
		} else {
			t.AssigneeID = me
		}
		if t.Status != InProgress {
			if err := Move(t, InProgress); err != nil {
				return err
			}
		}
		if t.OwnerID == 0 {
			t.OwnerID = me
		}
		ev.ToGroup, ev.ToUser, ev.ToStatus = t.GroupID, t.AssigneeID, t.Status
		return s.event(ctx, t, ev)
	})
}

// Start marks a ticket in progress (the engineer picks it up, or a pending wait is over).
func (s *Service) Start(ctx context.Context, id int64, version int) (*Ticket, error) {
	return s.change(ctx, id, version, "ticket.start", CanWork, func(ctx context.Context, t *Ticket) error {
		from := t.Status
		if err := Move(t, InProgress); err != nil {
			return err
		}
		return s.event(ctx, t, Event{Kind: EvStatus, FromStatus: from, ToStatus: InProgress})
	})
}

// Wait puts a ticket on hold for the requester, a vendor or a change; SLA clocks pause.
func (s *Service) Wait(ctx context.Context, id int64, version int, reason PendingReason, note string) (*Ticket, error) {
	return s.change(ctx, id, version, "ticket.pending", CanWork, func(ctx context.Context, t *Ticket) error {
		if reason != WaitRequester && reason != WaitVendor && reason != WaitChange {
			return errs.E(errs.Invalid, "err.ticket.pending_reason", errs.Field("reason", "err.ticket.pending_reason"))
		}
		from := t.Status
		if err := Move(t, Pending); err != nil {
			return err
		}
		t.Pending = reason
		return s.event(ctx, t, Event{Kind: EvStatus, FromStatus: from, ToStatus: Pending, Reason: string(reason) + trimNote(note)})
	})
}

func trimNote(n string) string {
	if n = strings.TrimSpace(n); n != "" {
		return ": " + n
	}
	return ""
}

// Resolution is what an engineer records when a ticket is fixed.
type Resolution struct {
	Cause      string // 原因
	Solution   string // 解决方法 (required)
	Workaround string // 替代措施, if one was used
}

// Resolve records the resolution; the requester then confirms or rejects it. The solution also goes
// in as a public reply, so that the requester reads it in the conversation and in e-mail.
func (s *Service) Resolve(ctx context.Context, id int64, version int, res Resolution) (*Ticket, error) {
	return s.change(ctx, id, version, "ticket.resolve", CanWork, func(ctx context.Context, t *Ticket) error {
		res.Cause, res.Solution, res.Workaround = strings.TrimSpace(res.Cause), strings.TrimSpace(res.Solution), strings.TrimSpace(res.Workaround)
		var f errs.Fields
		f.Text("solution", res.Solution, 1, 20000)
		f.Text("cause", res.Cause, 0, 20000)
		f.Text("workaround", res.Workaround, 0, 20000)
		if err := f.Err(); err != nil {
			return err
		}
		from := t.Status
		if err := Move(t, Resolved); err != nil {
			return err
		}
		t.ResolvedAt, t.Cause, t.Solution = s.Now(), res.Cause, res.Solution
		if res.Workaround != "" {
			t.Workaround = res.Workaround
		}
		if err := s.Store.AddComment(ctx, &Comment{TicketID: t.ID, AuthorID: actor.FromContext(ctx).UserID, Body: res.Solution, CreatedAt: s.Now()}); err != nil {
			return err
		}
		// The resolution first, then the survey that asks about it: notices go out in this order.
		if err := s.event(ctx, t, Event{Kind: EvResolved, FromStatus: from, ToStatus: Resolved}); err != nil {
			return err
		}
		return s.requestSurvey(ctx, t)
	})
}

// Comment adds a public reply or, for staff, an internal note, with the minutes of work it records.
func (s *Service) Comment(ctx context.Context, id int64, body string, internal bool, minutes int) (*Comment, error) {
	body = strings.TrimSpace(body)
	var f errs.Fields
	f.Text("body", body, 1, 20000)
	if minutes < 0 || minutes > 24*60 {
		f.Add("minutes", "err.out_of_range")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	action := "ticket.reply"
	if internal {
		action = "ticket.note"
	}
	var c *Comment
	can := func(a *actor.Actor, t *Ticket) bool {
		return (!internal || CanSeeInternal(a, t)) && (minutes == 0 || CanWork(a, t))
	}
	_, err := s.change(ctx, id, 0, action, can, func(ctx context.Context, t *Ticket) error {
		if !t.Status.IsOpen() && t.Status != Resolved {
			return errs.E(errs.Invalid, "err.ticket.closed")
		}
		a := actor.FromContext(ctx)
		c = &Comment{TicketID: id, AuthorID: a.UserID, Body: body, Internal: internal, Minutes: minutes, CreatedAt: s.Now()}
		t.MinutesSpent += minutes
		// The requester writing on a ticket that waits for them ends the wait.
		if a.UserID == t.RequesterID && t.Status == Pending && t.Pending == WaitRequester {
			if err := Move(t, InProgress); err != nil {
				return err
			}
			if err := s.event(ctx, t, Event{Kind: EvStatus, FromStatus: Pending, ToStatus: InProgress, Reason: "requester replied"}); err != nil {
				return err
			}
		}
		if s.Clocks != nil && !internal {
			if err := s.Clocks.Replied(ctx, t, a.UserID == t.RequesterID); err != nil {
				return err
			}
		}
		if err := s.Store.AddComment(ctx, c); err != nil {
			return err
		}
		if internal {
			return nil
		}
		return s.notice(ctx, t, Notice{Event: Event{TicketID: t.ID, Kind: EvCommented, ActorID: a.UserID, At: c.CreatedAt}, Comment: c})
	})
	return c, err
}

// Comments lists what the actor may read of a ticket's conversation: requesters never see internal notes.
func (s *Service) Comments(ctx context.Context, id int64) ([]*Comment, error) {
	t, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.Store.Comments(ctx, id, CanSeeInternal(actor.FromContext(ctx), t))
}
