package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/search"
	"opsdesk/internal/ticket"
)

// Tickets implements ticket.Store.
type Tickets struct{ *DB }

var _ ticket.Store = Tickets{}

type ticketRow struct {
	bun.BaseModel  `bun:"table:tickets,alias:t"`
	ID             int64 `bun:",pk,autoincrement"`
	Number         string
	Type           string
	Status         string
	PendingReason  string
	Channel        string
	Subject        string
	Description    string
	CategoryID     *int64
	Urgency        int
	Impact         int
	Priority       int
	RequesterID    *int64
	ContactName    string
	ContactPhone   string
	ContactEmail   string
	ContactDept    string
	OwnerID        *int64
	GroupID        *int64
	AssigneeID     *int64
	Location       string
	AffectedSystem string
	Confidential   bool
	OrgPath        string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ResolvedAt     *time.Time
	ClosedAt       *time.Time
	Version        int
	Tier           int
	UrgeCount      int
	ReopenCount    int
	SkipFlag       bool
	Cause          string
	Solution       string
	Workaround     string
	CancelReason   string
	MinutesSpent   int
	ServiceMode    string
	SLADue         *time.Time `bun:"sla_due"`
	SLAState       string     `bun:"sla_state"`
}

type ticketCommentRow struct {
	bun.BaseModel `bun:"table:ticket_comments"`
	ID            int64 `bun:",pk,autoincrement"`
	TicketID      int64
	AuthorID      *int64
	Body          string
	Internal      bool
	Minutes       int
	CreatedAt     time.Time
}

func fromTicket(t *ticket.Ticket) *ticketRow {
	return &ticketRow{ID: t.ID, Number: t.Number, Type: string(t.Type), Status: string(t.Status),
		PendingReason: string(t.Pending), Channel: string(t.Channel), Subject: t.Subject, Description: t.Description,
		CategoryID: ptrID(t.CategoryID), Urgency: int(t.Urgency), Impact: int(t.Impact), Priority: int(t.Priority),
		RequesterID: ptrID(t.RequesterID), ContactName: t.ContactName, ContactPhone: t.ContactPhone, ContactEmail: t.ContactEmail,
		ContactDept: t.ContactDept, OwnerID: ptrID(t.OwnerID), GroupID: ptrID(t.GroupID), AssigneeID: ptrID(t.AssigneeID),
		Location: t.Location, AffectedSystem: t.AffectedSystem, Confidential: t.Confidential, OrgPath: t.OrgPath,
		CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC(), ResolvedAt: ptrTime(t.ResolvedAt), ClosedAt: ptrTime(t.ClosedAt),
		Version: t.Version, Tier: t.Tier, UrgeCount: t.UrgeCount, ReopenCount: t.ReopenCount, SkipFlag: t.SkipFlag,
		Cause: t.Cause, Solution: t.Solution, Workaround: t.Workaround, CancelReason: t.CancelReason,
		MinutesSpent: t.MinutesSpent, ServiceMode: string(t.ServiceMode)}
}

func toTicket(r *ticketRow) *ticket.Ticket {
	return &ticket.Ticket{ID: r.ID, Number: r.Number, Type: ticket.Type(r.Type), Status: ticket.Status(r.Status),
		Pending: ticket.PendingReason(r.PendingReason), Channel: ticket.Channel(r.Channel), Subject: r.Subject,
		Description: r.Description, CategoryID: valID(r.CategoryID), Urgency: ticket.Level(r.Urgency),
		Impact: ticket.Level(r.Impact), Priority: ticket.Priority(r.Priority), RequesterID: valID(r.RequesterID),
		ContactName: r.ContactName, ContactPhone: r.ContactPhone, ContactEmail: r.ContactEmail, ContactDept: r.ContactDept,
		OwnerID: valID(r.OwnerID), GroupID: valID(r.GroupID), AssigneeID: valID(r.AssigneeID), Location: r.Location, AffectedSystem: r.AffectedSystem,
		Confidential: r.Confidential, OrgPath: r.OrgPath, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		ResolvedAt: valTime(r.ResolvedAt), ClosedAt: valTime(r.ClosedAt), Version: r.Version, Tier: r.Tier,
		UrgeCount: r.UrgeCount, ReopenCount: r.ReopenCount, SkipFlag: r.SkipFlag, Cause: r.Cause, Solution: r.Solution,
		Workaround: r.Workaround, CancelReason: r.CancelReason, MinutesSpent: r.MinutesSpent,
		ServiceMode: ticket.ServiceMode(r.ServiceMode), SLADue: valTime(r.SLADue), SLAState: r.SLAState}
}

// NextNumber reserves the next number of a type in a year. The UPSERT … RETURNING holds the row lock
// until the transaction ends, so concurrent creators (even on several replicas) never share a number.
func (s Tickets) NextNumber(ctx context.Context, t ticket.Type, year int) (int64, error) {
	var last int64
	err := s.w(ctx).NewRaw(`INSERT INTO ticket_seq (type, year, last) VALUES (?, ?, 1)
		ON CONFLICT (type, year) DO UPDATE SET last = ticket_seq.last + 1 RETURNING last`, string(t), year).Scan(ctx, &last)
	return last, err
}

// Create inserts t with its search terms and sets its ID and Version.
func (s Tickets) Create(ctx context.Context, t *ticket.Ticket) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		row := fromTicket(t)
		row.ID, row.Version = 0, 1
		if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return classify(err, "ticket")
		}
		t.ID, t.Version = row.ID, 1
		return s.index(ctx, t.ID, search.Document(t.Subject, t.Description))
	})
}

// Get loads one ticket.
func (s Tickets) Get(ctx context.Context, id int64) (*ticket.Ticket, error) {
	var row ticketRow
	if err := s.r(ctx).NewSelect().Model(&row).Where("t.id = ?", id).Scan(ctx); err != nil {
		return nil, classify(err, "ticket")
	}
	t := toTicket(&row)
	err := s.r(ctx).NewSelect().Table("ticket_watchers").Column("user_id").Where("ticket_id = ?", id).
		OrderExpr("user_id").Scan(ctx, &t.Watchers)
	return t, err
}

// Update saves t when its version is current, bumps the version and refreshes the search terms.
func (s Tickets) Update(ctx context.Context, t *ticket.Ticket) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		row := fromTicket(t)
		row.Version = t.Version + 1
		// sla_due and sla_state belong to the SLA tracker, which writes them in the same transaction.
		res, err := s.w(ctx).NewUpdate().Model(row).ExcludeColumn("id", "number", "created_at", "sla_due", "sla_state").
			Where("id = ? AND version = ?", t.ID, t.Version).Exec(ctx)
		if err != nil {
			return classify(err, "ticket")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.Conflict, "err.stale")
		}
		t.Version++
		return s.reindex(ctx, t)
	})
}

// AddComment stores a reply or note; a public reply's words join the ticket's search terms.
func (s Tickets) AddComment(ctx context.Context, c *ticket.Comment) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		row := &ticketCommentRow{TicketID: c.TicketID, AuthorID: ptrID(c.AuthorID), Body: c.Body, Internal: c.Internal,
			Minutes: c.Minutes, CreatedAt: c.CreatedAt.UTC()}
		if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return classify(err, "comment")
		}
		c.ID = row.ID
		t, err := s.Get(ctx, c.TicketID)
		if err != nil {
			return err
		}
		return s.reindex(ctx, t)
	})
}

// Comments lists a ticket's comments in order; internal notes only when asked for.
func (s Tickets) Comments(ctx context.Context, ticketID int64, withInternal bool) ([]*ticket.Comment, error) {
	var rows []ticketCommentRow
	q := s.r(ctx).NewSelect().Model(&rows).Where("ticket_id = ?", ticketID)
	if !withInternal {
		q.Where("internal = ?", false)
	}
	if err := q.OrderExpr("id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*ticket.Comment, len(rows))
	for i, r := range rows {
		out[i] = &ticket.Comment{ID: r.ID, TicketID: r.TicketID, AuthorID: valID(r.AuthorID), Body: r.Body, Internal: r.Internal,
			Minutes: r.Minutes, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// reindex recomputes a ticket's search terms from its subject, description and public replies.
// Internal notes stay out: a requester searching their own tickets must not learn what they say.
func (s Tickets) reindex(ctx context.Context, t *ticket.Ticket) error {
	var bodies []string
	err := s.w(ctx).NewSelect().Model((*ticketCommentRow)(nil)).Column("body").
		Where("ticket_id = ? AND NOT internal", t.ID).Scan(ctx, &bodies)
	if err != nil {
		return err
	}
	return s.index(ctx, t.ID, search.Document(append([]string{t.Subject, t.Description}, bodies...)...))
}
