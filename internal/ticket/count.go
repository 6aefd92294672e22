package ticket

import (
	"context"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// Count returns how many tickets match f among those the actor may see: the length List would
// reach by paging to the end, read with one COUNT (the workspace's tab counts). Sort, Limit and
// After do not matter.
func (s *Service) Count(ctx context.Context, f Filter) (int, error) {
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 {
		return 0, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	f.Sort, f.Limit, f.After = "", 0, nil
	return s.Store.Count(ctx, visibleTo(a, s.breaching(f)))
}

// visibleTo narrows f to what a may see, as List does: the same visibility as CanView, in SQL.
// Supervisors see their service area, confidential tickets included; staff who work tickets the
// same area without others' confidential tickets; vendor engineers what was given to them;
// requesters their own.
func visibleTo(a *actor.Actor, f Filter) Filter {
	switch {
	case a.Can(PermManage):
		f.Scope = a.ServiceScope()
	case a.Can(PermWork):
		f.Scope, f.ConfidentialFor = a.ServiceScope(), a.UserID
	case a.Can(PermWorkAssigned):
		f.AssigneeID = a.UserID
	default:
		f.RequesterID = a.UserID
	}
	return f
}
