package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/api/apigen"
	"opsdesk/internal/sla"
	"opsdesk/internal/ticket"
)

// langOf is the language of the request, for labels such as category names.
func langOf(ctx context.Context) string {
	if a := actor.FromContext(ctx); a != nil {
		return a.Lang
	}
	return ""
}

// toTicket maps a ticket with the names a client shows beside the ids.
func toTicket(t *ticket.Ticket, n *ticket.Names, lang string) apigen.Ticket {
	watchers := make([]int64, len(t.Watchers))
	copy(watchers, t.Watchers)
	return apigen.Ticket{
		Id: t.ID, Number: t.Number, Type: apigen.TicketType(t.Type), Status: apigen.TicketStatus(t.Status),
		PendingReason: apigen.PendingState(t.Pending), Channel: apigen.Channel(t.Channel), Subject: t.Subject,
		Description: t.Description, CategoryId: t.CategoryID, CategoryName: n.Category(t.CategoryID, lang),
		Urgency: int(t.Urgency), Impact: int(t.Impact), Priority: int(t.Priority),
		RequesterId: t.RequesterID, RequesterName: n.User(t.RequesterID),
		ContactName: t.ContactName, ContactPhone: t.ContactPhone, ContactEmail: t.ContactEmail, ContactDept: t.ContactDept,
		OwnerId: t.OwnerID, OwnerName: n.User(t.OwnerID), GroupId: t.GroupID, GroupName: n.Group(t.GroupID),
		AssigneeId: t.AssigneeID, AssigneeName: n.User(t.AssigneeID), Location: t.Location,
		AffectedSystem: t.AffectedSystem, Confidential: t.Confidential, Tier: t.Tier, UrgeCount: t.UrgeCount,
		ReopenCount: t.ReopenCount, SkipFlag: t.SkipFlag, Cause: t.Cause, Solution: t.Solution,
		Workaround: t.Workaround, CancelReason: t.CancelReason, MinutesSpent: t.MinutesSpent,
		ServiceMode: apigen.ServiceMode(t.ServiceMode), WatcherIds: watchers,
		CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC(), ResolvedAt: timeOrNil(t.ResolvedAt),
		ClosedAt: timeOrNil(t.ClosedAt), Version: t.Version, SlaDue: timeOrNil(t.SLADue),
		SlaState: apigen.TicketSlaState(t.SLAState),
	}
}

// toSLA maps a ticket's SLA view; without internal, only the due time and state (requesters see
// no clocks).
func toSLA(v *sla.View, internal bool) *apigen.TicketSLA {
	if v == nil {
		return nil
	}
	out := &apigen.TicketSLA{DueAt: timeOrNil(v.DueAt), State: apigen.TicketSLAState(v.State), Clocks: []apigen.SLAClock{}}
	if !internal {
		return out
	}
	for _, c := range v.Clocks {
		out.Clocks = append(out.Clocks, apigen.SLAClock{Metric: apigen.SLAClockMetric(c.Metric), DueAt: c.DueAt.UTC(),
			WarnAt: c.WarnAt.UTC(), State: apigen.SLAClockState(c.State), Paused: c.Paused, StoppedAt: timeOrNil(c.StoppedAt),
			TargetMinutes: int(c.Target / time.Minute), ElapsedMinutes: int(c.Elapsed / time.Minute)})
	}
	return out
}

// ticketOut maps one ticket after a change, looking up its names.
func (s *server) ticketOut(ctx context.Context, t *ticket.Ticket) (apigen.Ticket, error) {
	n, err := s.d.Tickets.Names(ctx, []*ticket.Ticket{t}, nil, nil)
	if err != nil {
		return apigen.Ticket{}, err
	}
	return toTicket(t, n, langOf(ctx)), nil
}

// changed is the answer to every call that changes a ticket: the ticket, with its version as ETag.
func (s *server) changed(ctx context.Context, t *ticket.Ticket, err error) (apigen.TicketChangedJSONResponse, error) {
	if err != nil {
		return apigen.TicketChangedJSONResponse{}, err
	}
	out, err := s.ticketOut(ctx, t)
	return apigen.TicketChangedJSONResponse{Body: out, Headers: apigen.TicketChangedResponseHeaders{ETag: etag(t.Version)}}, err
}

// ticketFilter maps the query parameters that list and export share. Statuses come repeated or
// comma-separated; each must be known.
func ticketFilter(q *string, status *[]string, prio *int, typ *apigen.TicketType, group, assignee, category *int64,
	after, before *time.Time, sort *string) (ticket.Filter, error) {
	f := ticket.Filter{Query: or(q, ""), Priority: ticket.Priority(or(prio, 0)), GroupID: or(group, 0),
		AssigneeID: or(assignee, 0), CategoryID: or(category, 0), CreatedAfter: or(after, time.Time{}),
		CreatedBefore: or(before, time.Time{}), Sort: ticket.Sort(or(sort, string(ticket.ByPriority)))}
	if sort == nil && strings.TrimSpace(f.Query) != "" {
		f.Sort = ticket.ByNewest // a search lists the newest matches first unless asked otherwise
	}
	if typ != nil {
		f.Type = ticket.Type(*typ)
	}
	if status != nil {
		for _, v := range *status {
			for _, st := range strings.Split(v, ",") {
				st := ticket.Status(strings.TrimSpace(st))
				if st == "" || slices.Contains(f.Statuses, st) {
					continue
				}
				if !slices.Contains(ticket.Statuses, st) {
					return f, badRequest("err.invalid", "status", "api.error.enum", nil)
				}
				f.Statuses = append(f.Statuses, st)
			}
		}
	}
	return f, nil
}

// breaching reads sla=breaching and its look-ahead ("4h", "90m"; at most 30 days).
func breaching(mode *apigen.ListTicketsParamsSla, within *string) (time.Duration, error) {
	if mode == nil {
		return 0, nil
	}
	d := ticket.DefaultBreaching
	if within != nil && strings.TrimSpace(*within) != "" {
		var err error
		if d, err = sla.ParseTarget(*within); err != nil || d <= 0 || d > 720*time.Hour {
			return 0, badRequest("err.invalid", "breaching_within", "api.error.format", err)
		}
	}
	return d, nil
}

// cursor is the opaque position of the last ticket of a page, tied to its sort order.
type cursor struct {
	Sort     ticket.Sort `json:"s"`
	Priority int         `json:"p"`
	Created  int64       `json:"c"` // Unix nanoseconds
	Updated  int64       `json:"u"`
	SLADue   int64       `json:"d,omitempty"` // Unix nanoseconds; 0 when the ticket has no SLA due time
	ID       int64       `json:"i"`
}

func encodeCursor(sort ticket.Sort, t *ticket.Ticket) string {
	c := t.Cursor()
	var due int64
	if !c.SLADue.IsZero() {
		due = c.SLADue.UnixNano()
	}
	b, _ := json.Marshal(cursor{Sort: sort, Priority: int(c.Priority), Created: c.CreatedAt.UnixNano(),
		Updated: c.UpdatedAt.UnixNano(), SLADue: due, ID: c.ID})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, sort ticket.Sort) (*ticket.Cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Sort != sort || c.ID <= 0 {
		return nil, badRequest("err.invalid", "cursor", "api.error.format", err)
	}
	out := &ticket.Cursor{Priority: ticket.Priority(c.Priority), CreatedAt: time.Unix(0, c.Created).UTC(),
		UpdatedAt: time.Unix(0, c.Updated).UTC(), ID: c.ID}
	if c.SLADue != 0 {
		out.SLADue = time.Unix(0, c.SLADue).UTC()
	}
	return out, nil
}

// ListTickets returns one keyset page of the tickets the caller sees.
func (s *server) ListTickets(ctx context.Context, req apigen.ListTicketsRequestObject) (apigen.ListTicketsResponseObject, error) {
	p := req.Params
	f, err := ticketFilter(p.Q, p.Status, p.Priority, p.Type, p.Group, p.Assignee, p.Category, p.CreatedAfter,
		p.CreatedBefore, (*string)(p.Sort))
	if err != nil {
		return nil, err
	}
	f.OwnerID = or(p.Owner, 0) // 首问责任人
	if f.Breaching, err = breaching(p.Sla, p.BreachingWithin); err != nil {
		return nil, err
	}
	if p.Cursor != nil {
		if f.After, err = decodeCursor(*p.Cursor, f.Sort); err != nil {
			return nil, err
		}
	}
	f.Limit = or(p.Limit, 50)
	list, err := s.d.Tickets.List(ctx, f)
	if err != nil {
		return nil, err
	}
	n, err := s.d.Tickets.Names(ctx, list, nil, nil)
	if err != nil {
		return nil, err
	}
	out := apigen.ListTickets200JSONResponse{Items: make([]apigen.Ticket, len(list))}
	lang := langOf(ctx)
	for i, t := range list {
		out.Items[i] = toTicket(t, n, lang)
	}
	if len(list) > 0 && len(list) == f.Limit {
		c := encodeCursor(f.Sort, list[len(list)-1])
		out.NextCursor = &c
	}
	return out, nil
}

// CreateTicket opens a ticket; the channel is "api" unless the caller names another.
func (s *server) CreateTicket(ctx context.Context, req apigen.CreateTicketRequestObject) (apigen.CreateTicketResponseObject, error) {
	b := req.Body
	t, err := s.d.Tickets.Create(ctx, ticket.NewTicket{
		Type: ticket.Type(b.Type), Channel: ticket.Channel(or((*string)(b.Channel), string(ticket.API))),
		Subject: b.Subject, Description: or(b.Description, ""), CategoryID: or(b.CategoryId, 0),
		Urgency: ticket.Level(or(b.Urgency, int(ticket.Low))), Impact: ticket.Level(or(b.Impact, int(ticket.Low))),
		RequesterID: or(b.RequesterId, 0), ContactName: or(b.ContactName, ""), ContactPhone: or(b.ContactPhone, ""),
		ContactEmail: or(b.ContactEmail, ""), ContactDept: or(b.ContactDept, ""), Location: or(b.Location, ""), AffectedSystem: or(b.AffectedSystem, ""),
		Confidential: or(b.Confidential, false), GroupID: or(b.GroupId, 0), AssigneeID: or(b.AssigneeId, 0),
	})
	if err != nil {
		return nil, err
	}
	out, err := s.ticketOut(ctx, t)
	if err != nil {
		return nil, err
	}
	loc := BasePath + "/tickets/" + strconv.FormatInt(t.ID, 10)
	return apigen.CreateTicket201JSONResponse{Body: out,
		Headers: apigen.CreateTicket201ResponseHeaders{Location: &loc, ETag: etag(t.Version)}}, nil
}

// GetTicket returns a ticket with the comments the caller may read (never internal notes for a
// requester), its history and its watchers.
func (s *server) GetTicket(ctx context.Context, req apigen.GetTicketRequestObject) (apigen.GetTicketResponseObject, error) {
	d, err := s.d.Tickets.Detail(ctx, req.Id, ticket.DetailOf{})
	if err != nil {
		return nil, err
	}
	t, comments, events := d.Ticket, d.Comments, d.Events
	var users, groups []int64
	for _, c := range comments {
		users = append(users, c.AuthorID)
	}
	for _, e := range events {
		users = append(users, e.ActorID, e.FromUser, e.ToUser)
		groups = append(groups, e.FromGroup, e.ToGroup)
	}
	n, err := s.d.Tickets.Names(ctx, []*ticket.Ticket{t}, users, groups)
	if err != nil {
		return nil, err
	}
	var out apigen.TicketDetail
	// TicketDetail is Ticket plus the lists (allOf in the document); copy the shared fields through JSON.
	b, err := json.Marshal(toTicket(t, n, langOf(ctx)))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	out.Comments = make([]apigen.Comment, len(comments))
	for i, c := range comments {
		out.Comments[i] = apigen.Comment{Id: c.ID, AuthorId: c.AuthorID, AuthorName: n.User(c.AuthorID), Body: c.Body,
			Internal: c.Internal, Minutes: c.Minutes, CreatedAt: c.CreatedAt.UTC()}
	}
	out.Events = toEvents(events, n)
	if s.d.Clocks != nil {
		v, err := s.d.Clocks.View(ctx, t)
		if err != nil {
			return nil, err
		}
		out.Sla = toSLA(v, d.Internal)
	}
	out.Watchers = make([]apigen.PersonRef, len(t.Watchers))
	for i, w := range t.Watchers {
		out.Watchers[i] = apigen.PersonRef{Id: w, Name: n.User(w)}
	}
	return apigen.GetTicket200JSONResponse{Body: out, Headers: apigen.GetTicket200ResponseHeaders{ETag: etag(t.Version)}}, nil
}

func toEvents(events []*ticket.Event, n *ticket.Names) []apigen.TicketEvent {
	out := make([]apigen.TicketEvent, len(events))
	for i, e := range events {
		out[i] = apigen.TicketEvent{Id: e.ID, Kind: apigen.TicketEventKind(e.Kind), ActorId: e.ActorID,
			ActorName: n.User(e.ActorID), FromGroupId: e.FromGroup, FromGroupName: n.Group(e.FromGroup),
			ToGroupId: e.ToGroup, ToGroupName: n.Group(e.ToGroup), FromUserId: e.FromUser, FromUserName: n.User(e.FromUser),
			ToUserId: e.ToUser, ToUserName: n.User(e.ToUser), FromStatus: string(e.FromStatus), ToStatus: string(e.ToStatus),
			Reason: e.Reason, Flagged: e.Flagged, At: e.At.UTC()}
	}
	return out
}

// ListTicketEvents returns a ticket's history.
func (s *server) ListTicketEvents(ctx context.Context, req apigen.ListTicketEventsRequestObject) (apigen.ListTicketEventsResponseObject, error) {
	events, err := s.d.Tickets.Events(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	var users, groups []int64
	for _, e := range events {
		users = append(users, e.ActorID, e.FromUser, e.ToUser)
		groups = append(groups, e.FromGroup, e.ToGroup)
	}
	n, err := s.d.Tickets.Names(ctx, nil, users, groups)
	if err != nil {
		return nil, err
	}
	return apigen.ListTicketEvents200JSONResponse{Items: toEvents(events, n)}, nil
}

// UpdateTicket edits a ticket's fields at the version the editor saw (If-Match or version; 428 without).
func (s *server) UpdateTicket(ctx context.Context, req apigen.UpdateTicketRequestObject) (apigen.UpdateTicketResponseObject, error) {
	b := req.Body
	version, err := versionOf(req.Params.IfMatch, b.Version)
	if err != nil {
		return nil, err
	}
	p := ticket.Patch{Subject: b.Subject, Description: b.Description, CategoryID: b.CategoryId, Location: b.Location,
		AffectedSystem: b.AffectedSystem, Confidential: b.Confidential, Workaround: b.Workaround}
	if b.Urgency != nil {
		l := ticket.Level(*b.Urgency)
		p.Urgency = &l
	}
	if b.Impact != nil {
		l := ticket.Level(*b.Impact)
		p.Impact = &l
	}
	if b.ServiceMode != nil {
		m := ticket.ServiceMode(*b.ServiceMode)
		p.ServiceMode = &m
	}
	t, err := s.d.Tickets.Update(ctx, req.Id, version, p)
	if err != nil {
		return nil, err
	}
	out, err := s.ticketOut(ctx, t)
	if err != nil {
		return nil, err
	}
	return apigen.UpdateTicket200JSONResponse{Body: out, Headers: apigen.UpdateTicket200ResponseHeaders{ETag: etag(t.Version)}}, nil
}
