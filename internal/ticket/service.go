package ticket

import (
	"context"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
)

// Person is what the service desk needs to know of a user.
type Person struct {
	ID       int64
	OrgPath  string
	Disabled bool
}

// Directory looks up people and groups; an adapter over iam implements it.
type Directory interface {
	Person(ctx context.Context, id int64) (*Person, error)
	Group(ctx context.Context, id int64) (*Group, error) // errs.NotFound when absent
}

// Auditor records audit entries in the caller's transaction.
type Auditor interface {
	Record(ctx context.Context, e audit.Entry) error
	RecordAll(ctx context.Context, es []audit.Entry) error // several, in order (the SLA engine's batch)
}

// Service runs the service desk's work: every change is checked by the rules, saved with its
// version, and audited in the same transaction.
type Service struct {
	Store     Store
	Directory Directory
	Audit     Auditor
	Zone      *time.Location // numbering year and dates are in this zone (Asia/Shanghai)
	Now       func() time.Time
	// Files holds attachments, MaxAttachment bounds them in bytes (DefaultMaxAttachment when 0), and
	// Sniff is http.DetectContentType, given so that the domain does not import net/http.
	// Clocks keeps the SLA clocks (package sla); nil leaves SLA off.
	Clocks Clocks
	// Notices queues notifications (package notify); nil sends none.
	Notices       Notices
	Files         FileStore
	MaxAttachment int64
	Sniff         func(data []byte) string
}

// NewTicket is what a requester or an agent gives to open a ticket.
type NewTicket struct {
	Type           Type
	Channel        Channel
	Subject        string
	Description    string
	CategoryID     int64
	Urgency        Level
	Impact         Level
	RequesterID    int64 // agents logging a call: the caller; 0 with a contact for an external caller
	ContactName    string
	ContactPhone   string
	ContactEmail   string // an external caller's address (mail intake, intake_mail.go)
	ContactDept    string
	Location       string
	AffectedSystem string
	Confidential   bool
	GroupID        int64 // an agent may dispatch at once; otherwise the dispatch rules decide
	AssigneeID     int64
}

func (n *NewTicket) check() error {
	n.Subject, n.Description = strings.TrimSpace(n.Subject), strings.TrimSpace(n.Description)
	var f errs.Fields
	f.Text("subject", n.Subject, 1, 200)
	f.Text("description", n.Description, 0, 20000)
	f.Text("contact_name", n.ContactName, 0, 64)
	f.Text("contact_phone", n.ContactPhone, 0, 32)
	f.Line("contact_email", n.ContactEmail, 0, 254)
	if n.ContactEmail != "" {
		if a, err := mail.ParseAddress(n.ContactEmail); err != nil || a.Address != n.ContactEmail {
			f.Add("contact_email", "err.email")
		}
	}
	f.Text("contact_dept", n.ContactDept, 0, 64)
	f.Text("location", n.Location, 0, 128)
	f.Text("affected_system", n.AffectedSystem, 0, 128)
	if n.Type.Prefix() == "" {
		f.Add("type", "err.ticket.type")
	}
	known := false
	for _, c := range Channels {
		known = known || c == n.Channel
	}
	if !known {
		f.Add("channel", "err.ticket.channel")
	}
	if n.Urgency < High || n.Urgency > Low {
		f.Add("urgency", "err.ticket.level")
	}
	if n.Impact < High || n.Impact > Low {
		f.Add("impact", "err.ticket.level")
	}
	return f.Err()
}

// Create opens a ticket. A requester opens their own; an agent with ticket.intake opens one for a
// caller and becomes its first-contact owner (首问责任人).
func (s *Service) Create(ctx context.Context, n NewTicket) (*Ticket, error) {
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 && !isTrusted(ctx) {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	onBehalf := n.RequesterID != 0 && n.RequesterID != a.UserID || n.RequesterID == 0 && n.ContactName != ""
	switch {
	case isTrusted(ctx): // opsdesk itself logs it for a caller (the mail intake, intake_mail.go)
	case onBehalf && !a.Can(PermIntake):
		return nil, errs.E(errs.Forbidden, "err.forbidden")
	case !onBehalf && !a.Can(PermSubmit) && !a.Can(PermIntake):
		return nil, errs.E(errs.Forbidden, "err.forbidden")
	}
	if !onBehalf {
		n.RequesterID = a.UserID
	}
	if err := n.check(); err != nil {
		return nil, err
	}
	set, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	prio, err := PriorityFor(n.Urgency, n.Impact, set.Matrix)
	if err != nil {
		return nil, err
	}
	if (n.GroupID != 0 || n.AssigneeID != 0) && !a.Can(PermAssign) {
		return nil, errs.E(errs.Forbidden, "err.forbidden")
	}
	now := s.Now()
	t := &Ticket{Type: n.Type, Status: New, Channel: n.Channel, Subject: n.Subject, Description: n.Description,
		CategoryID: n.CategoryID, Urgency: n.Urgency, Impact: n.Impact, Priority: prio, RequesterID: n.RequesterID,
		ContactName: n.ContactName, ContactPhone: n.ContactPhone, ContactEmail: n.ContactEmail, ContactDept: n.ContactDept, Location: n.Location,
		AffectedSystem: n.AffectedSystem, Confidential: n.Confidential, CreatedAt: now, UpdatedAt: now,
		Tier: 1, ServiceMode: Remote,
		OrgPath: a.ServiceScope()} // an external caller belongs to the area of the desk that took the call
	if a.Can(PermIntake) {
		t.OwnerID = a.UserID // 首问负责制: whoever takes the call owns it to the end
	}
	// The checks and the dispatch only read, so they run before the write transaction: on SQLite its
	// single writer then holds the lock only for the writes (numbering, insert, history, audit).
	if t.RequesterID != 0 {
		p, err := s.Directory.Person(ctx, t.RequesterID)
		if err != nil || p.Disabled {
			return nil, errs.E(errs.Invalid, "err.user.unknown", errs.Field("requester_id", "err.user.unknown"))
		}
		t.OrgPath = p.OrgPath
	}
	if err := s.checkCategory(ctx, t.CategoryID); err != nil {
		return nil, err
	}
	if err := s.dispatchNew(ctx, t, n.GroupID, n.AssigneeID); err != nil {
		return nil, err
	}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		ctx, notices := collecting(ctx)
		year := now.In(s.Zone).Year()
		seq, err := s.Store.NextNumber(ctx, t.Type, year)
		if err != nil {
			return err
		}
		t.Number = FormatNumber(t.Type, year, seq)
		if err := s.Store.Create(ctx, t); err != nil {
			return err
		}
		if s.Clocks != nil {
			if err := s.Clocks.Changed(ctx, nil, t); err != nil {
				return err
			}
		}
		if err := s.event(ctx, t, Event{Kind: EvCreated, ToStatus: New}); err != nil {
			return err
		}
		if t.GroupID != 0 || t.AssigneeID != 0 {
			if err := s.event(ctx, t, Event{Kind: EvAssigned, ToGroup: t.GroupID, ToUser: t.AssigneeID, FromStatus: New, ToStatus: t.Status}); err != nil {
				return err
			}
		}
		if err := s.record(ctx, "ticket.create", t, nil, view(t)); err != nil {
			return err
		}
		return s.flush(ctx, t, *notices)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// dispatchNew places a new ticket: in the group and with the engineer the agent chose, or else in
// the group of the first matching dispatch rule with its least-loaded member.
func (s *Service) dispatchNew(ctx context.Context, t *Ticket, groupID, assigneeID int64) error {
	var err error
	if groupID == 0 && assigneeID == 0 {
		if groupID, err = s.route(ctx, t); err != nil || groupID == 0 {
			return err
		}
	}
	if err := s.placeIn(ctx, t, groupID, assigneeID, true); err != nil {
		return err
	}
	t.Status = Assigned
	return nil
}

// placeIn sets a ticket's group, tier and assignee after checking them; with pick and no assignee
// the group's least-loaded member takes it.
func (s *Service) placeIn(ctx context.Context, t *Ticket, groupID, assigneeID int64, pick bool) error {
	if groupID == 0 {
		p, err := s.Directory.Person(ctx, assigneeID)
		if err != nil || p.Disabled {
			return errs.E(errs.Invalid, "err.user.unknown", errs.Field("assignee_id", "err.user.unknown"))
		}
		t.GroupID, t.AssigneeID = 0, assigneeID
		return nil
	}
	g, err := s.Directory.Group(ctx, groupID)
	if err != nil {
		return errs.E(errs.Invalid, "err.group.unknown", errs.Field("group_id", "err.group.unknown"))
	}
	if assigneeID != 0 && !slices.Contains(g.Members, assigneeID) {
		return errs.E(errs.Invalid, "err.ticket.assign_target", errs.Field("assignee_id", "err.ticket.not_member"))
	}
	if assigneeID == 0 && pick {
		if assigneeID, err = s.leastLoaded(ctx, g); err != nil {
			return err
		}
	}
	t.GroupID, t.AssigneeID, t.Tier = g.ID, assigneeID, g.Tier
	return nil
}

// Get returns a ticket the actor may see; others do not exist for the actor.
func (s *Service) Get(ctx context.Context, id int64) (*Ticket, error) {
	t, err := s.Store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanView(actor.FromContext(ctx), t) {
		return nil, errs.E(errs.NotFound, "err.not_found")
	}
	return t, nil
}

// List returns tickets the actor may see: staff see their organisation subtree, requesters their own.
func (s *Service) List(ctx context.Context, f Filter) ([]*Ticket, error) {
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	// The same visibility as CanView, in SQL, so that every page is full and a cursor never skips.
	return s.Store.List(ctx, visibleTo(a, s.breaching(f)))
}

// Cursor is the position of t in a list, to continue after it.
func (t *Ticket) Cursor() *Cursor {
	return &Cursor{Priority: t.Priority, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, SLADue: t.SLADue, ID: t.ID}
}

// DefaultBreaching is how far ahead "breaching soon" (即将超时) looks unless asked otherwise.
const DefaultBreaching = 4 * time.Hour

// breaching turns f.Breaching into the due-time bound of the store at the service's now.
func (s *Service) breaching(f Filter) Filter {
	if f.Breaching > 0 {
		f.SLADueBefore = s.Now().Add(f.Breaching)
	}
	return f
}

// view is the audit snapshot of a ticket.
func view(t *Ticket) map[string]any {
	return map[string]any{"number": t.Number, "status": t.Status, "pending": t.Pending, "priority": t.Priority,
		"group_id": t.GroupID, "assignee_id": t.AssigneeID, "owner_id": t.OwnerID, "subject": t.Subject,
		"category_id": t.CategoryID, "confidential": t.Confidential, "tier": t.Tier, "urgency": t.Urgency, "impact": t.Impact}
}

func (s *Service) record(ctx context.Context, action string, t *Ticket, before, after any) error {
	return s.recordTarget(ctx, action, "ticket", strconv.FormatInt(t.ID, 10), before, after)
}

func (s *Service) recordTarget(ctx context.Context, action, targetType, targetID string, before, after any) error {
	return s.Audit.Record(ctx, audit.Entry{Action: action, TargetType: targetType, TargetID: targetID,
		Before: audit.Snapshot(before), After: audit.Snapshot(after)})
}

// event appends a step to the ticket's history, by the acting user, in the caller's transaction.
func (s *Service) event(ctx context.Context, t *Ticket, e Event) error {
	e.TicketID, e.At = t.ID, s.Now()
	if a := actor.FromContext(ctx); a != nil {
		e.ActorID = a.UserID
	}
	if err := s.Store.AddEvent(ctx, &e); err != nil {
		return err
	}
	if notifiable[e.Kind] {
		return s.notice(ctx, t, Notice{Event: e})
	}
	return nil
}

// Events lists a ticket's history for someone who may see the ticket.
func (s *Service) Events(ctx context.Context, id int64) ([]*Event, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	return s.Store.Events(ctx, id)
}
