package sla

import (
	"context"
	"slices"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// Action is what the engine does to a ticket when one of its clocks crosses a threshold (预警 or
// 超时), besides writing the history entry that says so.
type Action struct {
	// Notify tells the assignee, the first-contact owner and the group's manager (package notify
	// decides who exactly, by their preferences); off, the history entry is written silently.
	Notify bool
	// ReassignGroupID, when not 0, moves the ticket to that group; ReassignUserID, when not 0, to
	// that member of it, otherwise the group's least-loaded member takes it.
	ReassignGroupID int64
	ReassignUserID  int64
	// RaiseTier escalates the ticket to the next support line: the group of tier+1 closest to the
	// ticket's group in the organisation (see ticket.Service.SLAFired).
	RaiseTier bool
	// ReportUp hands the ticket up the manager chain (逐级上报): the group's manager joins as a
	// watcher; a later firing on the same ticket goes one manager further up.
	ReportUp bool
}

// Actions are a policy's actions at warning and at breach.
type Actions struct {
	Warning Action
	Breach  Action
}

// DefaultActions notify at both thresholds and do nothing else: what a policy without configured
// actions does.
func DefaultActions() Actions {
	return Actions{Warning: Action{Notify: true}, Breach: Action{Notify: true}}
}

// At returns the action of a firing.
func (a Actions) At(f Firing) Action {
	if f == FireBreach {
		return a.Breach
	}
	return a.Warning
}

// changesTicket reports whether the action moves the ticket or its people (reassign, raise the
// tier, report up), rather than only telling them: such a firing is a full ticket change.
func (a Action) changesTicket() bool { return a.ReassignGroupID != 0 || a.RaiseTier || a.ReportUp }

// ToTicket is the action as the ticket service performs it.
func (a Action) ToTicket() ticket.SLAAction {
	return ticket.SLAAction{Notify: a.Notify, ReassignGroupID: a.ReassignGroupID, ReassignUserID: a.ReassignUserID,
		RaiseTier: a.RaiseTier, ReportUp: a.ReportUp}
}

// validate checks the shape of one action: an engineer only within a group, no negative ids, and
// not both a reassignment and a tier raise (which of the two groups would win is not obvious).
func (a Action) validate(f *errs.Fields, prefix string) {
	if a.ReassignGroupID < 0 {
		f.Add(prefix+".reassign_group_id", "err.out_of_range")
	}
	if a.ReassignUserID < 0 {
		f.Add(prefix+".reassign_user_id", "err.out_of_range")
	}
	if a.ReassignUserID > 0 && a.ReassignGroupID == 0 {
		f.Add(prefix+".reassign_user_id", "err.sla.action_user_without_group")
	}
	if a.ReassignGroupID > 0 && a.RaiseTier {
		f.Add(prefix+".raise_tier", "err.sla.action_reassign_and_raise")
	}
}

// Groups looks up support groups for the actions of a policy; store.Directory implements it.
type Groups interface {
	Group(ctx context.Context, id int64) (*ticket.Group, error) // errs.NotFound when absent
}

// checkGroups checks that the groups and engineers the actions name exist and belong together, in
// the caller's transaction.
func (s *Service) checkGroups(ctx context.Context, as Actions) error {
	var f errs.Fields
	for _, x := range []struct {
		prefix string
		a      Action
	}{{"actions.warning", as.Warning}, {"actions.breach", as.Breach}} {
		if x.a.ReassignGroupID == 0 {
			continue
		}
		var g *ticket.Group
		err := errs.E(errs.NotFound, "err.not_found")
		if s.Groups != nil {
			g, err = s.Groups.Group(ctx, x.a.ReassignGroupID)
		}
		switch {
		case errs.Is(err, errs.NotFound):
			f.Add(x.prefix+".reassign_group_id", "err.group.unknown")
		case err != nil:
			return err
		case x.a.ReassignUserID != 0 && !slices.Contains(g.Members, x.a.ReassignUserID):
			f.Add(x.prefix+".reassign_user_id", "err.ticket.not_member")
		}
	}
	return f.Err()
}
