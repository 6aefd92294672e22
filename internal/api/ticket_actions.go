package api

import (
	"context"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/ticket"
)

// ticketVersion is the version a state change is based on, from If-Match or the body's version
// (428 without either). Every call that moves a ticket through its lifecycle needs one, so that
// nobody resolves or reassigns a ticket that changed since they looked; 0 would skip the check in
// the service and is refused.
func ticketVersion(ifMatch *string, body *int) (int, error) {
	v, err := versionOf(ifMatch, body)
	if err == nil && v == 0 {
		return 0, badRequest("err.invalid", "version", "err.out_of_range", nil)
	}
	return v, err
}

// versionIn returns a pointer to the version field of an optional body.
func versionIn(b *apigen.TicketVersion) *int {
	if b == nil {
		return nil
	}
	return b.Version
}

// CommentTicket adds a reply or an internal note.
func (s *server) CommentTicket(ctx context.Context, req apigen.CommentTicketRequestObject) (apigen.CommentTicketResponseObject, error) {
	b := req.Body
	c, err := s.d.Tickets.Comment(ctx, req.Id, b.Body, or(b.Internal, false), or(b.Minutes, 0))
	if err != nil {
		return nil, err
	}
	n, err := s.d.Tickets.Names(ctx, nil, []int64{c.AuthorID}, nil)
	if err != nil {
		return nil, err
	}
	return apigen.CommentTicket201JSONResponse{Id: c.ID, AuthorId: c.AuthorID, AuthorName: n.User(c.AuthorID), Body: c.Body,
		Internal: c.Internal, Minutes: c.Minutes, CreatedAt: c.CreatedAt.UTC()}, nil
}

// AssignTicket dispatches a ticket.
func (s *server) AssignTicket(ctx context.Context, req apigen.AssignTicketRequestObject) (apigen.AssignTicketResponseObject, error) {
	b := req.Body
	v, err := ticketVersion(req.Params.IfMatch, b.Version)
	if err != nil {
		return nil, err
	}
	t, err := s.d.Tickets.Assign(ctx, req.Id, v, or(b.GroupId, 0), or(b.AssigneeId, 0), or(b.Reason, ""))
	out, err := s.changed(ctx, t, err)
	return apigen.AssignTicket200JSONResponse{TicketChangedJSONResponse: out}, err
}

// TakeTicket takes a ticket for the caller.
func (s *server) TakeTicket(ctx context.Context, req apigen.TakeTicketRequestObject) (apigen.TakeTicketResponseObject, error) {
	v, err := ticketVersion(req.Params.IfMatch, versionIn(req.Body))
	if err != nil {
		return nil, err
	}
	t, err := s.d.Tickets.Take(ctx, req.Id, v)
	out, err := s.changed(ctx, t, err)
	return apigen.TakeTicket200JSONResponse{TicketChangedJSONResponse: out}, err
}

// StartTicket marks a ticket in progress.
func (s *server) StartTicket(ctx context.Context, req apigen.StartTicketRequestObject) (apigen.StartTicketResponseObject, error) {
	v, err := ticketVersion(req.Params.IfMatch, versionIn(req.Body))
	if err != nil {
		return nil, err
	}
	t, err := s.d.Tickets.Start(ctx, req.Id, v)
	out, err := s.changed(ctx, t, err)
	return apigen.StartTicket200JSONResponse{TicketChangedJSONResponse: out}, err
}

// PendTicket puts a ticket on hold.
func (s *server) PendTicket(ctx context.Context, req apigen.PendTicketRequestObject) (apigen.PendTicketResponseObject, error) {
	b := req.Body
	v, err := ticketVersion(req.Params.IfMatch, b.Version)
	if err != nil {
		return nil, err
	}
	t, err := s.d.Tickets.Wait(ctx, req.Id, v, ticket.PendingReason(b.Reason), or(b.Note, ""))
	out, err := s.changed(ctx, t, err)
	return apigen.PendTicket200JSONResponse{TicketChangedJSONResponse: out}, err
}

// EscalateTicket hands a ticket to a higher support line.
func (s *server) EscalateTicket(ctx context.Context, req apigen.EscalateTicketRequestObject) (apigen.EscalateTicketResponseObject, error) {
	b := req.Body
	v, err := ticketVersion(req.Params.IfMatch, b.Version)
	if err != nil {
		return nil, err
	}
	t, err := s.d.Tickets.Escalate(ctx, req.Id, v, b.GroupId, or(b.AssigneeId, 0), b.Reason, or(b.Skip, false))
	out, err := s.changed(ctx, t, err)
	return apigen.EscalateTicket200JSONResponse{TicketChangedJSONResponse: out}, err
}

// ReportTicket reports a ticket up to its group's manager.
func (s *server) ReportTicket(ctx context.Context, req apigen.ReportTicketRequestObject) (apigen.ReportTicketResponseObject, error) {
	t, err := s.d.Tickets.ReportUp(ctx, req.Id, req.Body.Reason)
	out, err := s.changed(ctx, t, err)
	return apigen.ReportTicket200JSONResponse{TicketChangedJSONResponse: out}, err
}

// UrgeTicket chases an open ticket.
func (s *server) UrgeTicket(ctx context.Context, req apigen.UrgeTicketRequestObject) (apigen.UrgeTicketResponseObject, error) {
	note := ""
	if req.Body != nil {
		note = or(req.Body.Note, "")
	}
	t, err := s.d.Tickets.Urge(ctx, req.Id, note)
	out, err := s.changed(ctx, t, err)
	return apigen.UrgeTicket200JSONResponse{TicketChangedJSONResponse: out}, err
}

// ResolveTicket records the resolution.
func (s *server) ResolveTicket(ctx context.Context, req apigen.ResolveTicketRequestObject) (apigen.ResolveTicketResponseObject, error) {
	b := req.Body
	v, err := ticketVersion(req.Params.IfMatch, b.Version)
	if err != nil {
		return nil, err
	}
	t, err := s.d.Tickets.Resolve(ctx, req.Id, v, ticket.Resolution{Solution: b.Solution, Cause: or(b.Cause, ""),
		Workaround: or(b.Workaround, "")})
	out, err := s.changed(ctx, t, err)
	return apigen.ResolveTicket200JSONResponse{TicketChangedJSONResponse: out}, err
}

// ConfirmTicket closes a resolved ticket on the requester's word.
func (s *server) ConfirmTicket(ctx context.Context, req apigen.ConfirmTicketRequestObject) (apigen.ConfirmTicketResponseObject, error) {
	v, err := ticketVersion(req.Params.IfMatch, versionIn(req.Body))
	if err != nil {
		return nil, err
	}
	t, err := s.d.Tickets.Confirm(ctx, req.Id, v)
	out, err := s.changed(ctx, t, err)
	return apigen.ConfirmTicket200JSONResponse{TicketChangedJSONResponse: out}, err
}

// RejectTicket sends a resolved ticket back to work.
func (s *server) RejectTicket(ctx context.Context, req apigen.RejectTicketRequestObject) (apigen.RejectTicketResponseObject, error) {
	v, err := ticketVersion(req.Params.IfMatch, req.Body.Version)
	if err != nil {
		return nil, err
	}
	t, err := s.d.Tickets.Reject(ctx, req.Id, v, req.Body.Reason)
	out, err := s.changed(ctx, t, err)
	return apigen.RejectTicket200JSONResponse{TicketChangedJSONResponse: out}, err
}

// ReopenTicket brings a closed ticket back to work.
func (s *server) ReopenTicket(ctx context.Context, req apigen.ReopenTicketRequestObject) (apigen.ReopenTicketResponseObject, error) {
	v, err := ticketVersion(req.Params.IfMatch, req.Body.Version)
	if err != nil {
		return nil, err
	}
	t, err := s.d.Tickets.Reopen(ctx, req.Id, v, req.Body.Reason)
	out, err := s.changed(ctx, t, err)
	return apigen.ReopenTicket200JSONResponse{TicketChangedJSONResponse: out}, err
}

// CancelTicket withdraws an open ticket.
func (s *server) CancelTicket(ctx context.Context, req apigen.CancelTicketRequestObject) (apigen.CancelTicketResponseObject, error) {
	v, err := ticketVersion(req.Params.IfMatch, req.Body.Version)
	if err != nil {
		return nil, err
	}
	t, err := s.d.Tickets.Cancel(ctx, req.Id, v, req.Body.Reason)
	out, err := s.changed(ctx, t, err)
	return apigen.CancelTicket200JSONResponse{TicketChangedJSONResponse: out}, err
}

// WatchTicket adds or removes a watcher.
func (s *server) WatchTicket(ctx context.Context, req apigen.WatchTicketRequestObject) (apigen.WatchTicketResponseObject, error) {
	t, err := s.d.Tickets.Watch(ctx, req.Id, req.Body.UserId, or(req.Body.On, true))
	out, err := s.changed(ctx, t, err)
	return apigen.WatchTicket200JSONResponse{TicketChangedJSONResponse: out}, err
}

// RateTicket answers the survey of the caller's own ticket.
func (s *server) RateTicket(ctx context.Context, req apigen.RateTicketRequestObject) (apigen.RateTicketResponseObject, error) {
	if err := s.d.Tickets.Rate(ctx, req.Id, req.Body.Score, or(req.Body.Comment, "")); err != nil {
		return nil, err
	}
	return apigen.RateTicket204Response{}, nil
}

// CreateSurveyLink makes a fresh one-time survey link.
func (s *server) CreateSurveyLink(ctx context.Context, req apigen.CreateSurveyLinkRequestObject) (apigen.CreateSurveyLinkResponseObject, error) {
	token, err := s.d.Tickets.SurveyLink(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return apigen.CreateSurveyLink200JSONResponse{Token: token, Path: BasePath + "/surveys/" + token}, nil
}

// AnswerSurvey answers a survey through its one-time link, without login.
func (s *server) AnswerSurvey(ctx context.Context, req apigen.AnswerSurveyRequestObject) (apigen.AnswerSurveyResponseObject, error) {
	if err := s.d.Tickets.RateByToken(ctx, req.Token, req.Body.Score, or(req.Body.Comment, "")); err != nil {
		return nil, err
	}
	return apigen.AnswerSurvey204Response{}, nil
}
