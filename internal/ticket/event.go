package ticket

import "time"

// EventKind names a step of a ticket's history.
type EventKind string

const (
	EvCreated    EventKind = "created"
	EvAssigned   EventKind = "assigned"  // first dispatch or a reassignment (with a reason)
	EvEscalated  EventKind = "escalated" // to a higher support line
	EvSkipped    EventKind = "skipped"   // an emergency skip of a line (越级), flagged for review
	EvReportedUp EventKind = "reported"  // 逐级上报: handed up the manager chain
	EvUrged      EventKind = "urged"     // 催办
	EvStatus     EventKind = "status"    // in progress, pending, resumed
	EvResolved   EventKind = "resolved"  //
	EvConfirmed  EventKind = "confirmed" // the requester accepted (or the auto-confirm job)
	EvRejected   EventKind = "rejected"  // the requester did not accept the resolution
	EvReopened   EventKind = "reopened"  //
	EvCancelled  EventKind = "cancelled" //
	EvUpdated    EventKind = "updated"   // fields edited (priority change, category…)
	EvWatcher    EventKind = "watcher"   // a watcher or named viewer was added or removed
	EvSurveyed   EventKind = "surveyed"  // the satisfaction survey was answered
)

// Event is one step of a ticket's visible history. The first-contact owner sees every hand-over
// here; reports count escalations and skips from it.
type Event struct {
	ID         int64
	TicketID   int64
	Kind       EventKind
	ActorID    int64
	FromGroup  int64
	ToGroup    int64
	FromUser   int64
	ToUser     int64
	FromStatus Status
	ToStatus   Status
	Reason     string
	Flagged    bool
	At         time.Time
}
