package ticket

import (
	"context"
	"strings"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// change loads a ticket for a change by the actor: visible, current version, allowed by can; then
// runs fn and saves the result with an audit entry, all in one transaction.
func (s *Service) change(ctx context.Context, id int64, version int, action string,
	can func(*actor.Actor, *Ticket) bool, fn func(ctx context.Context, t *Ticket) error) (*Ticket, error) {
	a := actor.FromContext(ctx)
	var out *Ticket
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		t, err := s.Store.Get(ctx, id)
		if err != nil || !CanView(a, t) {
			return errs.E(errs.NotFound, "err.not_found")
		}
		if !can(a, t) {
			return errs.E(errs.Forbidden, "err.forbidden")
		}
		if version != 0 && t.Version != version {
			return errs.E(errs.Conflict, "err.stale")
		}
		before := view(t)
		if err := fn(ctx, t); err != nil {
			return err
		}
		t.UpdatedAt = s.Now()
		if err := s.Store.Update(ctx, t); err != nil {
			return err
		}
		out = t
		return s.record(ctx, action, t, before, view(t))
	})
	return out, err
}

// Assign dispatches a ticket (派单) to a group and/or an engineer of that group. The first agent to
// take a portal ticket becomes its first-contact owner.
func (s *Service) Assign(ctx context.Context, id int64, version int, groupID, assigneeID int64) (*Ticket, error) {
	canAssign := func(a *actor.Actor, t *Ticket) bool { return a.Can(PermAssign) || a.Can(PermManage) }
	return s.change(ctx, id, version, "ticket.assign", canAssign, func(ctx context.Context, t *Ticket) error {
		if groupID == 0 && assigneeID == 0 {
			return errs.E(errs.Invalid, "err.ticket.assign_target", errs.Field("group_id", "err.required"))
		}
		if groupID != 0 {
			ok, err := s.Directory.GroupHas(ctx, groupID, assigneeID)
			if err != nil {
				return err
			}
			if !ok {
				return errs.E(errs.Invalid, "err.ticket.assign_target", errs.Field("assignee_id", "err.ticket.not_member"))
			}
		} else if p, err := s.Directory.Person(ctx, assigneeID); err != nil || p.Disabled {
			return errs.E(errs.Invalid, "err.user.unknown", errs.Field("assignee_id", "err.user.unknown"))
		}
		if err := Move(t, Assigned); err != nil {
			return err
		}
		t.GroupID, t.AssigneeID = groupID, assigneeID
		if t.OwnerID == 0 {
			t.OwnerID = actor.FromContext(ctx).UserID
		}
		return nil
	})
}

// Start marks a ticket in progress (the engineer picks it up, or a pending wait is over).
func (s *Service) Start(ctx context.Context, id int64, version int) (*Ticket, error) {
	return s.change(ctx, id, version, "ticket.start", CanWork, func(_ context.Context, t *Ticket) error { return Move(t, InProgress) })
}

// Wait puts a ticket on hold for the requester, a vendor or a change; SLA clocks pause.
func (s *Service) Wait(ctx context.Context, id int64, version int, reason PendingReason) (*Ticket, error) {
	return s.change(ctx, id, version, "ticket.pending", CanWork, func(_ context.Context, t *Ticket) error {
		if reason != WaitRequester && reason != WaitVendor && reason != WaitChange {
			return errs.E(errs.Invalid, "err.ticket.pending_reason", errs.Field("reason", "err.ticket.pending_reason"))
		}
		if err := Move(t, Pending); err != nil {
			return err
		}
		t.Pending = reason
		return nil
	})
}

// Resolve records the resolution (cause and solution go in as a public comment).
func (s *Service) Resolve(ctx context.Context, id int64, version int, solution string) (*Ticket, error) {
	return s.change(ctx, id, version, "ticket.resolve", CanWork, func(ctx context.Context, t *Ticket) error {
		var f fieldErrs
		f.text("solution", strings.TrimSpace(solution), 1, 20000)
		if err := f.err(); err != nil {
			return err
		}
		if err := Move(t, Resolved); err != nil {
			return err
		}
		t.ResolvedAt = s.Now()
		return s.Store.AddComment(ctx, &Comment{TicketID: t.ID, AuthorID: actor.FromContext(ctx).UserID, Body: strings.TrimSpace(solution), CreatedAt: s.Now()})
	})
}

// Confirm closes a resolved ticket; only its requester confirms (or the auto-confirm job).
func (s *Service) Confirm(ctx context.Context, id int64, version int) (*Ticket, error) {
	isRequester := func(a *actor.Actor, t *Ticket) bool { return a.UserID == t.RequesterID }
	return s.change(ctx, id, version, "ticket.confirm", isRequester, func(_ context.Context, t *Ticket) error {
		if t.Status != Resolved {
			return errs.E(errs.Invalid, "err.ticket.transition", errs.Field("status", "err.ticket.transition"))
		}
		t.ClosedAt = s.Now()
		return Move(t, Closed)
	})
}

// Reject sends a resolved ticket back to work with the requester's reason.
func (s *Service) Reject(ctx context.Context, id int64, version int, reason string) (*Ticket, error) {
	isRequester := func(a *actor.Actor, t *Ticket) bool { return a.UserID == t.RequesterID }
	return s.change(ctx, id, version, "ticket.reject", isRequester, func(ctx context.Context, t *Ticket) error {
		var f fieldErrs
		f.text("reason", strings.TrimSpace(reason), 1, 2000)
		if err := f.err(); err != nil {
			return err
		}
		if t.Status != Resolved {
			return errs.E(errs.Invalid, "err.ticket.transition", errs.Field("status", "err.ticket.transition"))
		}
		t.ResolvedAt = time.Time{}
		if err := Move(t, InProgress); err != nil {
			return err
		}
		return s.Store.AddComment(ctx, &Comment{TicketID: t.ID, AuthorID: actor.FromContext(ctx).UserID, Body: strings.TrimSpace(reason), CreatedAt: s.Now()})
	})
}

// Comment adds a public reply or, for staff, an internal note.
func (s *Service) Comment(ctx context.Context, id int64, body string, internal bool) (*Comment, error) {
	a := actor.FromContext(ctx)
	body = strings.TrimSpace(body)
	var f fieldErrs
	f.text("body", body, 1, 20000)
	if err := f.err(); err != nil {
		return nil, err
	}
	var c *Comment
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		t, err := s.Store.Get(ctx, id)
		if err != nil || !CanView(a, t) {
			return errs.E(errs.NotFound, "err.not_found")
		}
		if internal && !CanSeeInternal(a, t) {
			return errs.E(errs.Forbidden, "err.forbidden")
		}
		if !t.Status.IsOpen() && t.Status != Resolved {
			return errs.E(errs.Invalid, "err.ticket.transition")
		}
		c = &Comment{TicketID: id, AuthorID: a.UserID, Body: body, Internal: internal, CreatedAt: s.Now()}
		if err := s.Store.AddComment(ctx, c); err != nil {
			return err
		}
		action := "ticket.reply"
		if internal {
			action = "ticket.note"
		}
		return s.record(ctx, action, t, nil, map[string]any{"comment_id": c.ID, "internal": internal})
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
