package ticket

import "context"

// Notices tells people what happened to a ticket; package notify implements it, and a nil Notices
// sends nothing. It is called inside the transaction of the change, after the ticket is saved, so a
// notice is queued exactly when the change commits and never for one that rolled back.
type Notices interface {
	Notice(ctx context.Context, t *Ticket, n Notice) error
}

// NoticesBatch is a Notices that can also tell of several tickets' changes at once, sharing its
// look-ups (channels, people, their preferences) among them and writing them together; package
// notify implements it. The SLA engine's batch of firings uses it when the Notices has it.
type NoticesBatch interface {
	NoticeAll(ctx context.Context, ns []TicketNotice) error
}

// TicketNotice is a notice with the ticket it is about.
type TicketNotice struct {
	Ticket *Ticket
	Notice Notice
}

// Notice is one thing people may be told of.
type Notice struct {
	// Event is what happened; its Kind is a history kind, or EvCommented / EvSurveyRequested, which
	// are not kept in the history.
	Event Event
	// Comment is the public reply of an EvCommented notice.
	Comment *Comment
	// SurveyToken is the one-time survey link's secret of an EvSurveyRequested notice: shown only here.
	SurveyToken string
}

// Kinds of notices that are not history entries.
const (
	EvCommented       EventKind = "commented"        // a public reply
	EvSurveyRequested EventKind = "survey_requested" // the satisfaction survey awaits the requester
)

type noticesKey struct{}

// collecting gives ctx a list that s.event and s.notice fill during a change; flush sends them once
// the ticket is saved, with its final state.
func collecting(ctx context.Context) (context.Context, *[]Notice) {
	var ns []Notice
	return context.WithValue(ctx, noticesKey{}, &ns), &ns
}

// notice queues n for the change in ctx, or sends it at once outside one.
func (s *Service) notice(ctx context.Context, t *Ticket, n Notice) error {
	if s.Notices == nil {
		return nil
	}
	if ns, ok := ctx.Value(noticesKey{}).(*[]Notice); ok {
		*ns = append(*ns, n)
		return nil
	}
	return s.Notices.Notice(ctx, t, n)
}

// flush sends the notices a change collected, after the ticket was saved.
func (s *Service) flush(ctx context.Context, t *Ticket, ns []Notice) error {
	for _, n := range ns {
		if err := s.Notices.Notice(ctx, t, n); err != nil {
			return err
		}
	}
	return nil
}

// noticeAll sends notices of several tickets in a batch when s.Notices can, else one by one.
func (s *Service) noticeAll(ctx context.Context, ns []TicketNotice) error {
	if s.Notices == nil || len(ns) == 0 {
		return nil
	}
	if b, ok := s.Notices.(NoticesBatch); ok {
		return b.NoticeAll(ctx, ns)
	}
	for _, n := range ns {
		if err := s.Notices.Notice(ctx, n.Ticket, n.Notice); err != nil {
			return err
		}
	}
	return nil
}

// notifiable are the history kinds people are told of.
var notifiable = map[EventKind]bool{EvCreated: true, EvAssigned: true, EvEscalated: true, EvSkipped: true,
	EvReportedUp: true, EvUrged: true, EvResolved: true, EvReopened: true, EvRejected: true,
	EvSLAWarning: true, EvSLABreach: true}
