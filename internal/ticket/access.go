package ticket

import (
	"slices"

	"opsdesk/internal/actor"
)

// Permissions of the service desk.
const (
	PermSubmit = "ticket.submit" // open one's own tickets in the portal
	PermIntake = "ticket.intake" // log tickets on behalf of callers (phone intake), 首问
	PermWork   = "ticket.work"   // see the queues of one's organisation and work tickets
	PermAssign = "ticket.assign" // dispatch and reassign
	PermManage = "ticket.manage" // supervise: every ticket in scope, confidential ones included
	// PermWorkAssigned is the third line's (vendor engineers'): work only the tickets assigned to
	// them, see nothing else.
	PermWorkAssigned = "ticket.work_assigned"
)

// Permissions lists the service desk's permissions for the role editor.
var Permissions = []string{PermSubmit, PermIntake, PermWork, PermWorkAssigned, PermAssign, PermManage, PermConfigure}

// CanView reports whether a sees t. Requesters see their own tickets; staff who work tickets see
// those in their organisation subtree; confidential tickets (保密) only their requester, first-contact
// owner, assignee and supervisors.
func CanView(a *actor.Actor, t *Ticket) bool {
	if a == nil || a.UserID == 0 {
		return false
	}
	if involved(a, t) {
		return true
	}
	if t.Confidential {
		return a.Can(PermManage) && a.InServiceScope(t.OrgPath)
	}
	return (a.Can(PermWork) || a.Can(PermManage)) && a.InServiceScope(t.OrgPath)
}

// involved: the requester, the owner, the assignee and the watchers (on a confidential ticket, the
// named people) always see the ticket.
func involved(a *actor.Actor, t *Ticket) bool {
	return a.UserID == t.RequesterID || a.UserID == t.OwnerID || a.UserID == t.AssigneeID || slices.Contains(t.Watchers, a.UserID)
}

// CanSeeInternal reports whether a sees internal notes: staff, never the requester as such.
func CanSeeInternal(a *actor.Actor, t *Ticket) bool {
	if a == nil {
		return false
	}
	if a.UserID == t.RequesterID && !a.Can(PermWork) {
		return false
	}
	return a.Can(PermWork) || a.Can(PermManage) || a.Can(PermWorkAssigned) && a.UserID == t.AssigneeID
}

// CanWork reports whether a may change the work state of t (assign to self, pending, resolve, notes).
func CanWork(a *actor.Actor, t *Ticket) bool {
	if a.Can(PermWorkAssigned) && a.UserID == t.AssigneeID {
		return true
	}
	return CanView(a, t) && (a.Can(PermWork) || a.Can(PermManage))
}
