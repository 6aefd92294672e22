package ticket

import (
	"context"
	"time"
)

// Comment is a public reply or an internal note.
type Comment struct {
	ID        int64
	TicketID  int64
	AuthorID  int64
	Body      string
	Internal  bool // requesters never see internal notes
	Minutes   int  // time spent that the author recorded with it
	CreatedAt time.Time
}

// Sort orders a ticket list.
type Sort string

const (
	ByPriority Sort = "priority" // priority, then oldest first: the agent's queue
	ByNewest   Sort = "newest"
	ByUpdated  Sort = "updated"
	BySLA      Sort = "sla" // soonest SLA due time first, tickets without one last
)

// Filter selects tickets. Zero values do not filter.
type Filter struct {
	Scope      string // organisation path prefix of the requester (统一领导、分级管理)
	Statuses   []Status
	Priority   Priority
	Type       Type
	GroupID    int64
	GroupIDs   []int64 // any of these groups (an engineer's groups); empty does not filter
	AssigneeID int64
	Unassigned bool // only tickets nobody holds yet
	// ConfidentialFor, when set, hides confidential tickets except those where this user is the
	// requester, owner, assignee or a named viewer (watcher).
	ConfidentialFor int64
	RequesterID     int64
	OwnerID         int64
	CategoryID      int64
	CreatedAfter    time.Time
	CreatedBefore   time.Time
	Query           string // full text over subject, description and replies
	// Breaching, when set, keeps the open tickets whose SLA due time is at most this far ahead or
	// already past ("即将超时"); the service turns it into SLADueBefore with its clock.
	Breaching    time.Duration
	SLADueBefore time.Time // open tickets with an SLA due time at or before this instant
	Sort         Sort
	Limit        int
	After        *Cursor // keyset pagination: rows after this one in Sort order
}

// Cursor is the position of the last row of a page.
type Cursor struct {
	Priority  Priority
	CreatedAt time.Time
	UpdatedAt time.Time
	SLADue    time.Time // zero for a ticket without an SLA due time (they come last)
	ID        int64
}

// Store persists tickets.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	// NextNumber reserves the next sequence number of a type in a year.
	NextNumber(ctx context.Context, t Type, year int) (int64, error)
	Create(ctx context.Context, t *Ticket) error
	Get(ctx context.Context, id int64) (*Ticket, error) // errs.NotFound when absent
	// GetMany loads several tickets, in the order of ids; errs.NotFound when one is absent.
	GetMany(ctx context.Context, ids []int64) ([]*Ticket, error)
	// Update saves t when t.Version is current and bumps it; errs.Conflict otherwise.
	Update(ctx context.Context, t *Ticket) error
	AddComment(ctx context.Context, c *Comment) error
	Comments(ctx context.Context, ticketID int64, withInternal bool) ([]*Comment, error)
	List(ctx context.Context, f Filter) ([]*Ticket, error)
	// Count counts the tickets matching f (Sort, Limit and After aside), with List's conditions.
	Count(ctx context.Context, f Filter) (int, error)

	// Views lists the views a user owns or that are shared with one of their groups, oldest first.
	Views(ctx context.Context, userID int64) ([]*View, error)
	SaveView(ctx context.Context, v *View) error // insert when ID is 0, else update; errs.Conflict for a taken name
	DeleteView(ctx context.Context, id int64) error

	AddEvent(ctx context.Context, e *Event) error
	AddEvents(ctx context.Context, es []*Event) error // several, in order, in one statement
	Events(ctx context.Context, ticketID int64) ([]*Event, error)
	// SetWatcher adds (on) or removes a watcher; Get fills Ticket.Watchers.
	SetWatcher(ctx context.Context, ticketID, userID int64, on bool) error
	// OpenLoad counts the open tickets of each member of a group that are assigned to them.
	OpenLoad(ctx context.Context, userIDs []int64) (map[int64]int, error)
	// ResolvedBefore lists up to limit tickets resolved before t and not yet closed.
	ResolvedBefore(ctx context.Context, t time.Time, limit int) ([]int64, error)

	CreateSurvey(ctx context.Context, sv *Survey) error
	Survey(ctx context.Context, ticketID int64) (*Survey, error)          // errs.NotFound when none
	SurveyByToken(ctx context.Context, tokenHash string) (*Survey, error) // errs.NotFound when none
	// AnswerSurvey stores the answer once; errs.Conflict when it was already answered.
	AnswerSurvey(ctx context.Context, sv *Survey) error
	SetSurveyToken(ctx context.Context, ticketID int64, tokenHash string) error

	Categories(ctx context.Context) ([]*Category, error)
	Category(ctx context.Context, id int64) (*Category, error)
	SaveCategory(ctx context.Context, c *Category) error // insert when ID is 0, else update by version
	DispatchRules(ctx context.Context) ([]*Rule, error)
	SaveRule(ctx context.Context, r *Rule) error // insert when ID is 0, else update by version
	DeleteRule(ctx context.Context, id int64) error

	// Settings loads the service-desk settings into s (left as is when never saved).
	Settings(ctx context.Context, s *Settings) error
	SaveSettings(ctx context.Context, s *Settings) error

	VisitStore      // on-site visits and the service report (visit.go)
	InspectionStore // quality inspection (inspection.go)
}
