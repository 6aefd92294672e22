package ticket

import (
	"context"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// Escalate hands a ticket to a group of a higher support line (L1 → L2 → L3) with a reason. Going
// up more than one line at once is an emergency skip (越级): allowed only when skip is set, and
// recorded as a flagged event that reports list afterwards.
func (s *Service) Escalate(ctx context.Context, id int64, version int, groupID, assigneeID int64, reason string, skip bool) (*Ticket, error) {
	return s.change(ctx, id, version, "ticket.escalate", CanWork, func(ctx context.Context, t *Ticket) error {
		r, err := reasonText("reason", reason)
		if err != nil {
			return err
		}
		if !t.Status.IsOpen() {
			return errs.E(errs.Invalid, "err.ticket.transition", errs.Field("status", "err.ticket.transition"))
		}
		g, err := s.Directory.Group(ctx, groupID)
		if err != nil {
			return errs.E(errs.Invalid, "err.group.unknown", errs.Field("group_id", "err.group.unknown"))
		}
		from := max(t.Tier, 1)
		switch {
		case g.Tier <= from:
			return errs.E(errs.Invalid, "err.ticket.escalate_tier", errs.Field("group_id", "err.ticket.escalate_tier"))
		case g.Tier > from+1 && !skip:
			return errs.E(errs.Invalid, "err.ticket.escalate_skip", errs.Field("group_id", "err.ticket.escalate_skip"))
		}
		ev := Event{Kind: EvEscalated, FromGroup: t.GroupID, FromUser: t.AssigneeID, FromStatus: t.Status, Reason: r}
		if g.Tier > from+1 {
			ev.Kind, ev.Flagged, t.SkipFlag = EvSkipped, true, true
		}
		if err := s.placeIn(ctx, t, groupID, assigneeID, true); err != nil {
			return err
		}
		if err := Move(t, Assigned); err != nil {
			return err
		}
		ev.ToGroup, ev.ToUser, ev.ToStatus = t.GroupID, t.AssigneeID, t.Status
		return s.event(ctx, t, ev)
	})
}

// ReportUp hands a ticket up the manager chain (逐级上报): to the manager of its current group, who
// joins as a watcher and is named in the history. The work stays where it is.
func (s *Service) ReportUp(ctx context.Context, id int64, reason string) (*Ticket, error) {
	return s.change(ctx, id, 0, "ticket.report_up", CanWork, func(ctx context.Context, t *Ticket) error {
		r, err := reasonText("reason", reason)
		if err != nil {
			return err
		}
		if t.GroupID == 0 {
			return errs.E(errs.Invalid, "err.ticket.no_manager")
		}
		g, err := s.Directory.Group(ctx, t.GroupID)
		if err != nil {
			return err
		}
		if g.ManagerID == 0 {
			return errs.E(errs.Invalid, "err.ticket.no_manager")
		}
		if err := s.Store.SetWatcher(ctx, t.ID, g.ManagerID, true); err != nil {
			return err
		}
		return s.event(ctx, t, Event{Kind: EvReportedUp, FromGroup: t.GroupID, ToUser: g.ManagerID, Reason: r})
	})
}

// canUrge: the requester, a manager, or the first-contact owner chasing the engineer.
func canUrge(a *actor.Actor, t *Ticket) bool {
	return a.UserID == t.RequesterID || a.UserID == t.OwnerID || a.Can(PermManage)
}

// Urge (催办) chases an open ticket: counted, kept in the history for the assignee and the owner.
func (s *Service) Urge(ctx context.Context, id int64, note string) (*Ticket, error) {
	return s.change(ctx, id, 0, "ticket.urge", canUrge, func(ctx context.Context, t *Ticket) error {
		if !t.Status.IsOpen() {
			return errs.E(errs.Invalid, "err.ticket.transition", errs.Field("status", "err.ticket.transition"))
		}
		var f errs.Fields
		f.Text("note", note, 0, 2000)
		if err := f.Err(); err != nil {
			return err
		}
		t.UrgeCount++
		return s.event(ctx, t, Event{Kind: EvUrged, ToUser: t.AssigneeID, ToGroup: t.GroupID, Reason: note})
	})
}
