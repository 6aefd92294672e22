package ticket

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
)

// SLAAction is what the SLA engine does to a ticket when a clock crosses a threshold; package sla
// maps a policy's action to it.
type SLAAction struct {
	Notify          bool  // tell the people concerned (the notice of the history entry); off: silent
	ReassignGroupID int64 // move to this group (0: no reassignment)
	ReassignUserID  int64 // … and this member of it (0: the group's least-loaded member)
	RaiseTier       bool  // escalate to the next support line
	ReportUp        bool  // 逐级上报: hand up the manager chain, one level per firing
}

// Escalation finds the targets of SLA actions that a policy cannot name once for all tickets;
// store.Directory implements it next to Directory. Without it, raising the tier and going further
// up the manager chain are recorded as not possible.
type Escalation interface {
	// NextTierGroup returns the group of the tier closest in the organisation to the group
	// fromGroupID (the one whose unit shares the longest path with it; ties to the lowest id), or
	// errs.NotFound when no group has that tier.
	NextTierGroup(ctx context.Context, fromGroupID int64, tier int) (int64, error)
	// ManagerAbove returns the manager one level up from a manager: the manager of the support group
	// they are a member of (not one they manage themselves; the highest line, then the lowest id,
	// when several), 0 when none.
	ManagerAbove(ctx context.Context, managerID int64) (int64, error)
}

// slaJob lets the SLA engine act on any ticket: it is opsdesk's own rule, not a person's request.
func slaJob(*actor.Actor, *Ticket) bool { return true }

// SLAFired records that a clock of the ticket crossed a threshold (kind EvSLAWarning or EvSLABreach)
// and performs the policy's action on it, as one system change in the caller's transaction (a
// firing that only notifies leaves the ticket's row and version as they are, see slaNoted): the
// engine calls it in the transaction that marks the threshold fired, so that the history entry, the
// notices and the actions happen exactly once. The order is: reassign, raise the tier, report up;
// then the SLA entry, then an entry per action done. An action that cannot be done — the group was
// deleted, the engineer left it, there is no line above or no manager — is skipped and named in the
// SLA entry's reason; the firing stands and is not retried. Only a database failure returns an error.
func (s *Service) SLAFired(ctx context.Context, ticketID int64, kind EventKind, reason string, act SLAAction) error {
	if kind != EvSLAWarning && kind != EvSLABreach {
		return errs.E(errs.Invalid, "err.invalid")
	}
	if actor.FromContext(ctx) == nil {
		ctx = actor.NewContext(ctx, actor.System(actor.SourceJob))
	}
	if act.ReassignGroupID == 0 && !act.RaiseTier && !act.ReportUp {
		return s.slaNoted(ctx, ticketID, kind, reason, act.Notify)
	}
	_, err := s.change(trusted(ctx), ticketID, 0, "ticket."+string(kind), slaJob, func(ctx context.Context, t *Ticket) error {
		why := "SLA " + strings.TrimPrefix(string(kind), "sla_") // the reason of the action entries
		var done []Event
		var failed []string
		step := func(want bool, fn func(ctx context.Context, t *Ticket, why string) (*Event, string, error)) error {
			if !want {
				return nil
			}
			c := *t // the action works on a copy, so that a refused one leaves the ticket as it was
			ev, fail, err := fn(ctx, &c, why)
			switch {
			case err != nil:
				return err
			case fail != "":
				failed = append(failed, fail)
			default:
				*t = c
				if ev != nil {
					done = append(done, *ev)
				}
			}
			return nil
		}
		if err := step(act.ReassignGroupID != 0, func(ctx context.Context, t *Ticket, why string) (*Event, string, error) {
			return s.slaReassign(ctx, t, act.ReassignGroupID, act.ReassignUserID, why)
		}); err != nil {
			return err
		}
		if err := step(act.RaiseTier, s.slaRaiseTier); err != nil {
			return err
		}
		if err := step(act.ReportUp, s.slaReportUp); err != nil {
			return err
		}
		if len(failed) > 0 {
			reason = strings.TrimSpace(reason + "; " + strings.Join(failed, "; "))
		}
		ev := Event{Kind: kind, Reason: reason}
		var err error
		if act.Notify {
			err = s.event(ctx, t, ev)
		} else {
			err = s.quietEvent(ctx, t, ev)
		}
		if err != nil {
			return err
		}
		for _, e := range done {
			if err := s.event(ctx, t, e); err != nil {
				return err
			}
		}
		return nil
	})
	return err
}

// slaNoted records a firing that changes nothing on the ticket — the history entry, its notices and
// an audit entry — without saving the ticket: its version stays, so that an agent editing it at that
// moment is not told someone else changed it, and its clocks are not touched.
func (s *Service) slaNoted(ctx context.Context, ticketID int64, kind EventKind, reason string, notify bool) error {
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		ctx, notices := collecting(ctx)
		t, err := s.Store.Get(ctx, ticketID)
		if err != nil {
			return err
		}
		ev := Event{Kind: kind, Reason: reason}
		if notify {
			err = s.event(ctx, t, ev)
		} else {
			err = s.quietEvent(ctx, t, ev)
		}
		if err != nil {
			return err
		}
		if err := s.Audit.Record(ctx, audit.Entry{Action: "ticket." + string(kind), TargetType: "ticket",
			TargetID: strconv.FormatInt(t.ID, 10), Detail: reason}); err != nil {
			return err
		}
		return s.flush(ctx, t, *notices)
	})
}

// quietEvent appends a history step without telling anyone (an SLA policy with notices off).
func (s *Service) quietEvent(ctx context.Context, t *Ticket, e Event) error {
	e.TicketID, e.At = t.ID, s.Now()
	if a := actor.FromContext(ctx); a != nil {
		e.ActorID = a.UserID
	}
	return s.Store.AddEvent(ctx, &e)
}

// slaReassign moves the ticket to a group (and engineer); a ticket already there stays untouched.
func (s *Service) slaReassign(ctx context.Context, t *Ticket, groupID, userID int64, why string) (*Event, string, error) {
	if t.GroupID == groupID && (userID == 0 || t.AssigneeID == userID) {
		return nil, "", nil
	}
	ev := Event{Kind: EvAssigned, FromGroup: t.GroupID, FromUser: t.AssigneeID, FromStatus: t.Status, Reason: why}
	if fail, err := s.slaPlace(ctx, t, groupID, userID, "reassign"); fail != "" || err != nil {
		return nil, fail, err
	}
	ev.ToGroup, ev.ToUser, ev.ToStatus = t.GroupID, t.AssigneeID, t.Status
	return &ev, "", nil
}

// slaRaiseTier escalates the ticket to the group of the next support line (L1 → L2 → L3).
func (s *Service) slaRaiseTier(ctx context.Context, t *Ticket, why string) (*Event, string, error) {
	esc, ok := s.Directory.(Escalation)
	if !ok {
		return nil, "raise tier: not supported by the directory", nil
	}
	tier := max(t.Tier, 1) + 1
	groupID, err := esc.NextTierGroup(ctx, t.GroupID, tier)
	if errs.Is(err, errs.NotFound) {
		return nil, fmt.Sprintf("raise tier: no support group of line %d", tier), nil
	}
	if err != nil {
		return nil, "", err
	}
	ev := Event{Kind: EvEscalated, FromGroup: t.GroupID, FromUser: t.AssigneeID, FromStatus: t.Status, Reason: why}
	if fail, err := s.slaPlace(ctx, t, groupID, 0, "raise tier"); fail != "" || err != nil {
		return nil, fail, err
	}
	ev.ToGroup, ev.ToUser, ev.ToStatus = t.GroupID, t.AssigneeID, t.Status
	return &ev, "", nil
}

// slaPlace puts the ticket in a group (and with an engineer) as dispatch does, and assigned; a
// group or engineer that is no longer valid is a failure to record, not an error.
func (s *Service) slaPlace(ctx context.Context, t *Ticket, groupID, userID int64, what string) (string, error) {
	if !t.Status.IsOpen() {
		return what + ": the ticket is no longer open", nil
	}
	err := s.placeIn(ctx, t, groupID, userID, true)
	if err == nil {
		err = Move(t, Assigned)
	}
	switch {
	case err == nil:
		return "", nil
	case errs.KindOf(err) == errs.Invalid:
		return what + ": " + refusal(err, groupID, userID), nil
	default:
		return "", err
	}
}

// refusal says in the history why a placement was refused.
func refusal(err error, groupID, userID int64) string {
	_, fields := errs.Info(err)
	switch {
	case fields["group_id"] == "err.group.unknown":
		return fmt.Sprintf("support group #%d no longer exists", groupID)
	case fields["assignee_id"] == "err.ticket.not_member":
		return fmt.Sprintf("engineer #%d is no longer an active member of group #%d", userID, groupID)
	case fields["status"] == "err.ticket.transition":
		return "the ticket cannot be assigned in its status"
	}
	var out []string
	for k, v := range fields {
		out = append(out, k+" "+v)
	}
	slices.Sort(out)
	return fmt.Sprintf("group #%d, engineer #%d: %s", groupID, userID, strings.Join(out, ", "))
}

// slaReportUp hands the ticket to the next manager up (逐级上报): the first time to its group's
// manager, then — at a later firing, or after someone reported it up by hand — to the manager above
// the last one reported to, while there is one; at the top it stays with the last.
func (s *Service) slaReportUp(ctx context.Context, t *Ticket, why string) (*Event, string, error) {
	if t.GroupID == 0 {
		return nil, "report up: the ticket has no support group", nil
	}
	g, err := s.Directory.Group(ctx, t.GroupID)
	if errs.Is(err, errs.NotFound) {
		return nil, fmt.Sprintf("report up: support group #%d no longer exists", t.GroupID), nil
	}
	if err != nil {
		return nil, "", err
	}
	evs, err := s.Store.Events(ctx, t.ID)
	if err != nil {
		return nil, "", err
	}
	var reported []int64 // managers of this group's chain already reported to, in order
	for _, e := range evs {
		if e.Kind == EvReportedUp && e.FromGroup == t.GroupID && e.ToUser != 0 {
			reported = append(reported, e.ToUser)
		}
	}
	to := g.ManagerID
	if len(reported) > 0 {
		last := reported[len(reported)-1]
		esc, ok := s.Directory.(Escalation)
		if !ok {
			return nil, "report up: not supported by the directory", nil
		}
		if to, err = esc.ManagerAbove(ctx, last); err != nil {
			return nil, "", err
		}
		if to == 0 || slices.Contains(reported, to) { // the top of the chain (or a loop in it)
			return nil, fmt.Sprintf("report up: no manager above user #%d, stays with them", last), nil
		}
	}
	if to == 0 {
		return nil, fmt.Sprintf("report up: support group #%d has no manager", t.GroupID), nil
	}
	if err := s.Store.SetWatcher(ctx, t.ID, to, true); err != nil {
		return nil, "", err
	}
	return &Event{Kind: EvReportedUp, FromGroup: t.GroupID, ToUser: to, Reason: why}, "", nil
}
