package ticket

import (
	"context"
	"slices"
	"strings"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// Patch holds the fields an edit changes; nil leaves a field as it is.
type Patch struct {
	Subject        *string
	Description    *string
	CategoryID     *int64
	Urgency        *Level
	Impact         *Level
	Location       *string
	AffectedSystem *string
	Confidential   *bool
	ServiceMode    *ServiceMode
	Workaround     *string
}

// Update edits a ticket's fields at the version the editor saw (If-Match): an edit based on an old
// version is refused with a conflict, never applied over someone else's change. A new urgency or
// impact recomputes the priority through the matrix.
func (s *Service) Update(ctx context.Context, id int64, version int, p Patch) (*Ticket, error) {
	if version == 0 {
		return nil, errs.E(errs.Invalid, "err.ticket.version", errs.Field("version", "err.required"))
	}
	set, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	can := func(a *actor.Actor, t *Ticket) bool {
		// Only supervisors may mark a ticket confidential or lift the mark.
		return CanWork(a, t) && (p.Confidential == nil || *p.Confidential == t.Confidential || a.Can(PermManage))
	}
	return s.change(ctx, id, version, "ticket.update", can, func(ctx context.Context, t *Ticket) error {
		if !t.Status.IsOpen() && t.Status != Resolved {
			return errs.E(errs.Invalid, "err.ticket.closed")
		}
		var f errs.Fields
		str := func(dst *string, src *string, name string, min, max int) {
			if src != nil {
				v := strings.TrimSpace(*src)
				f.Text(name, v, min, max)
				*dst = v
			}
		}
		str(&t.Subject, p.Subject, "subject", 1, 200)
		str(&t.Description, p.Description, "description", 0, 20000)
		str(&t.Location, p.Location, "location", 0, 128)
		str(&t.AffectedSystem, p.AffectedSystem, "affected_system", 0, 128)
		str(&t.Workaround, p.Workaround, "workaround", 0, 20000)
		if p.Urgency != nil {
			t.Urgency = *p.Urgency
		}
		if p.Impact != nil {
			t.Impact = *p.Impact
		}
		if p.ServiceMode != nil {
			if *p.ServiceMode != Remote && *p.ServiceMode != OnSite {
				f.Add("service_mode", "err.ticket.service_mode")
			}
			t.ServiceMode = *p.ServiceMode
		}
		if p.Confidential != nil {
			t.Confidential = *p.Confidential
		}
		if err := f.Err(); err != nil {
			return err
		}
		if p.CategoryID != nil {
			if err := s.checkCategory(ctx, *p.CategoryID); err != nil {
				return err
			}
			t.CategoryID = *p.CategoryID
		}
		prio, err := PriorityFor(t.Urgency, t.Impact, set.Matrix)
		if err != nil {
			return err
		}
		reason := ""
		if prio != t.Priority {
			reason = "priority " + t.Priority.String() + " → " + prio.String()
		}
		t.Priority = prio
		return s.event(ctx, t, Event{Kind: EvUpdated, Reason: reason})
	})
}

// Watch adds or removes a watcher. People follow tickets they may see themselves; staff who work a
// ticket add colleagues. On a confidential ticket only supervisors name who may see it.
func (s *Service) Watch(ctx context.Context, id, userID int64, on bool) (*Ticket, error) {
	can := func(a *actor.Actor, t *Ticket) bool {
		if t.Confidential && userID != a.UserID {
			return a.Can(PermManage)
		}
		return userID == a.UserID || CanWork(a, t)
	}
	return s.change(ctx, id, 0, "ticket.watch", can, func(ctx context.Context, t *Ticket) error {
		if on {
			if p, err := s.Directory.Person(ctx, userID); err != nil || p.Disabled {
				return errs.E(errs.Invalid, "err.user.unknown", errs.Field("user_id", "err.user.unknown"))
			}
		}
		if on == slices.Contains(t.Watchers, userID) {
			return nil
		}
		if err := s.Store.SetWatcher(ctx, t.ID, userID, on); err != nil {
			return err
		}
		if on {
			t.Watchers = append(t.Watchers, userID)
		} else {
			t.Watchers = slices.DeleteFunc(t.Watchers, func(w int64) bool { return w == userID })
		}
		reason := "-"
		if on {
			reason = "+"
		}
		return s.event(ctx, t, Event{Kind: EvWatcher, ToUser: userID, Reason: reason})
	})
}
