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
	CreatedAt time.Time
}

// Sort orders a ticket list.
type Sort string

const (
	ByPriority Sort = "priority" // priority, then oldest first: the agent's queue
	ByNewest   Sort = "newest"
	ByUpdated  Sort = "updated"
)

// Filter selects tickets. Zero values do not filter.
type Filter struct {
	Scope         string // organisation path prefix of the requester (统一领导、分级管理)
	Statuses      []Status
	Priority      Priority
	Type          Type
	GroupID       int64
	AssigneeID    int64
	RequesterID   int64
	OwnerID       int64
	CategoryID    int64
	CreatedAfter  time.Time
	CreatedBefore time.Time
	Query         string // full text over subject, description and replies
	Sort          Sort
	Limit         int
	After         *Cursor // keyset pagination: rows after this one in Sort order
}

// Cursor is the position of the last row of a page.
type Cursor struct {
	Priority  Priority
	CreatedAt time.Time
	UpdatedAt time.Time
	ID        int64
}

// Store persists tickets.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	// NextNumber reserves the next sequence number of a type in a year.
	NextNumber(ctx context.Context, t Type, year int) (int64, error)
	Create(ctx context.Context, t *Ticket) error
	Get(ctx context.Context, id int64) (*Ticket, error) // errs.NotFound when absent
	// Update saves t when t.Version is current and bumps it; errs.Conflict otherwise.
	Update(ctx context.Context, t *Ticket) error
	AddComment(ctx context.Context, c *Comment) error
	Comments(ctx context.Context, ticketID int64, withInternal bool) ([]*Comment, error)
	List(ctx context.Context, f Filter) ([]*Ticket, error)
}
