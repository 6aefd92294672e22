package ticket

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

func isRequester(a *actor.Actor, t *Ticket) bool { return a.UserID != 0 && a.UserID == t.RequesterID }

// Confirm closes a resolved ticket; only its requester confirms (or the auto-confirm job).
func (s *Service) Confirm(ctx context.Context, id int64, version int) (*Ticket, error) {
	return s.change(ctx, id, version, "ticket.confirm", isRequester, func(ctx context.Context, t *Ticket) error {
		return s.close(ctx, t, "")
	})
}

func (s *Service) close(ctx context.Context, t *Ticket, reason string) error {
	if t.Status != Resolved {
		return errs.E(errs.Invalid, "err.ticket.transition", errs.Field("status", "err.ticket.transition"))
	}
	t.ClosedAt = s.Now()
	if err := Move(t, Closed); err != nil {
		return err
	}
	return s.event(ctx, t, Event{Kind: EvConfirmed, FromStatus: Resolved, ToStatus: Closed, Reason: reason})
}

// Reject sends a resolved ticket back to work with the requester's reason.
func (s *Service) Reject(ctx context.Context, id int64, version int, reason string) (*Ticket, error) {
	return s.change(ctx, id, version, "ticket.reject", isRequester, func(ctx context.Context, t *Ticket) error {
		r, err := reasonText("reason", reason)
		if err != nil {
			return err
		}
		if t.Status != Resolved {
			return errs.E(errs.Invalid, "err.ticket.transition", errs.Field("status", "err.ticket.transition"))
		}
		t.ResolvedAt = time.Time{}
		if err := Move(t, InProgress); err != nil {
			return err
		}
		if err := s.Store.AddComment(ctx, &Comment{TicketID: t.ID, AuthorID: actor.FromContext(ctx).UserID, Body: r, CreatedAt: s.Now()}); err != nil {
			return err
		}
		return s.event(ctx, t, Event{Kind: EvRejected, FromStatus: Resolved, ToStatus: InProgress, Reason: r})
	})
}

// Reopen brings a closed ticket back to work within the configured days after closing.
func (s *Service) Reopen(ctx context.Context, id int64, version int, reason string) (*Ticket, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	can := func(a *actor.Actor, t *Ticket) bool { return isRequester(a, t) || CanWork(a, t) }
	return s.change(ctx, id, version, "ticket.reopen", can, func(ctx context.Context, t *Ticket) error {
		r, err := reasonText("reason", reason)
		if err != nil {
			return err
		}
		if t.Status != Closed {
			return errs.E(errs.Invalid, "err.ticket.transition", errs.Field("status", "err.ticket.transition"))
		}
		if s.Now().Sub(t.ClosedAt) > time.Duration(set.ReopenDays)*24*time.Hour {
			return errs.E(errs.Invalid, "err.ticket.reopen_late")
		}
		t.ClosedAt, t.ResolvedAt = time.Time{}, time.Time{}
		t.ReopenCount++
		if err := Move(t, InProgress); err != nil {
			return err
		}
		return s.event(ctx, t, Event{Kind: EvReopened, FromStatus: Closed, ToStatus: InProgress, Reason: r})
	})
}

// Cancel withdraws an open ticket with a reason: the requester while nobody works on it yet, or
// staff who work it.
func (s *Service) Cancel(ctx context.Context, id int64, version int, reason string) (*Ticket, error) {
	can := func(a *actor.Actor, t *Ticket) bool {
		return CanWork(a, t) || isRequester(a, t) && (t.Status == New || t.Status == Assigned)
	}
	return s.change(ctx, id, version, "ticket.cancel", can, func(ctx context.Context, t *Ticket) error {
		r, err := reasonText("reason", reason)
		if err != nil {
			return err
		}
		from := t.Status
		if err := Move(t, Cancelled); err != nil {
			return err
		}
		t.CancelReason, t.ClosedAt = r, s.Now()
		return s.event(ctx, t, Event{Kind: EvCancelled, FromStatus: from, ToStatus: Cancelled, Reason: r})
	})
}

// AutoConfirm closes tickets resolved more than the configured days ago whose requester neither
// confirmed nor rejected; a background job calls it with a system actor. It returns how many closed.
func (s *Service) AutoConfirm(ctx context.Context) (int, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return 0, err
	}
	ids, err := s.Store.ResolvedBefore(ctx, s.Now().Add(-time.Duration(set.AutoConfirmDays)*24*time.Hour), 500)
	if err != nil {
		return 0, err
	}
	job := func(*actor.Actor, *Ticket) bool { return true }
	ctx = trusted(ctx)
	n := 0
	for _, id := range ids {
		_, err := s.change(ctx, id, 0, "ticket.auto_confirm", job, func(ctx context.Context, t *Ticket) error {
			return s.close(ctx, t, "auto-confirmed")
		})
		if errs.KindOf(err) == errs.Invalid || errs.KindOf(err) == errs.Conflict {
			continue // someone acted on it meanwhile
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Survey is the satisfaction survey (满意度调查) of one ticket.
type Survey struct {
	TicketID    int64
	TokenHash   string
	Token       string // the one-time link's secret, only right after it was made
	Score       int    // 1–5, 0 while unanswered
	Comment     string
	RequestedAt time.Time
	AnsweredAt  time.Time
}

// requestSurvey opens the ticket's survey when it is first resolved. The token is shown once, in
// the notification to the requester (see package notify); only its hash is kept.
func (s *Service) requestSurvey(ctx context.Context, t *Ticket) error {
	if _, err := s.Store.Survey(ctx, t.ID); err == nil {
		return nil
	} else if errs.KindOf(err) != errs.NotFound {
		return err
	}
	token := newToken()
	if err := s.Store.CreateSurvey(ctx, &Survey{TicketID: t.ID, TokenHash: hashToken(token), Token: token, RequestedAt: s.Now()}); err != nil {
		return err
	}
	return s.notice(ctx, t, Notice{Event: Event{TicketID: t.ID, Kind: EvSurveyRequested, At: s.Now()}, SurveyToken: token})
}

func newToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

func checkAnswer(score int, comment string) error {
	var f errs.Fields
	if score < 1 || score > 5 {
		f.Add("score", "err.ticket.score")
	}
	f.Text("comment", comment, 0, 2000)
	return f.Err()
}

// Rate answers the survey of the actor's own ticket, once.
func (s *Service) Rate(ctx context.Context, id int64, score int, comment string) error {
	if err := checkAnswer(score, comment); err != nil {
		return err
	}
	_, err := s.change(ctx, id, 0, "ticket.survey", isRequester, func(ctx context.Context, t *Ticket) error {
		return s.answer(ctx, t, score, comment)
	})
	return err
}

func (s *Service) answer(ctx context.Context, t *Ticket, score int, comment string) error {
	if t.Status != Resolved && t.Status != Closed {
		return errs.E(errs.Invalid, "err.ticket.survey_early")
	}
	if err := s.requestSurvey(ctx, t); err != nil { // tickets resolved before surveys existed
		return err
	}
	sv, err := s.Store.Survey(ctx, t.ID)
	if err != nil {
		return err
	}
	if !sv.AnsweredAt.IsZero() {
		return errs.E(errs.Conflict, "err.ticket.survey_done")
	}
	sv.Score, sv.Comment, sv.AnsweredAt = score, comment, s.Now()
	if err := s.Store.AnswerSurvey(ctx, sv); err != nil {
		return err
	}
	return s.event(ctx, t, Event{Kind: EvSurveyed, Reason: comment})
}

// SurveyLink makes a fresh one-time survey link token for a resolved or closed ticket whose survey is
// unanswered, for staff to send the requester by whatever channel reaches them (SMS, IM, e-mail).
// Only the newest link works.
func (s *Service) SurveyLink(ctx context.Context, id int64) (string, error) {
	var token string
	_, err := s.change(ctx, id, 0, "ticket.survey_link", CanWork, func(ctx context.Context, t *Ticket) error {
		if t.Status != Resolved && t.Status != Closed {
			return errs.E(errs.Invalid, "err.ticket.survey_early")
		}
		if err := s.requestSurvey(ctx, t); err != nil {
			return err
		}
		sv, err := s.Store.Survey(ctx, t.ID)
		if err != nil {
			return err
		}
		if !sv.AnsweredAt.IsZero() {
			return errs.E(errs.Conflict, "err.ticket.survey_done")
		}
		token = newToken()
		return s.Store.SetSurveyToken(ctx, t.ID, hashToken(token))
	})
	return token, err
}

// SurveyTicket returns the ticket of a one-time survey link, for the page that shows it. The link
// stands in for a login, so it reveals only the number and subject.
func (s *Service) SurveyTicket(ctx context.Context, token string) (*Ticket, *Survey, error) {
	sv, err := s.Store.SurveyByToken(ctx, hashToken(token))
	if err != nil {
		return nil, nil, errs.E(errs.NotFound, "err.ticket.survey_link")
	}
	t, err := s.Store.Get(ctx, sv.TicketID)
	if err != nil {
		return nil, nil, err
	}
	return &Ticket{ID: t.ID, Number: t.Number, Subject: t.Subject, Status: t.Status}, sv, nil
}

// RateByToken answers a survey through its one-time link (no login), once.
func (s *Service) RateByToken(ctx context.Context, token string, score int, comment string) error {
	if err := checkAnswer(score, comment); err != nil {
		return err
	}
	sv, err := s.Store.SurveyByToken(ctx, hashToken(token))
	if err != nil {
		return errs.E(errs.NotFound, "err.ticket.survey_link")
	}
	link := func(*actor.Actor, *Ticket) bool { return true }
	// The audit entry names the link, with the caller's address, as the one who answered.
	who := &actor.Actor{Username: "survey-link", Name: "survey-link", Source: actor.SourceWeb}
	if a := actor.FromContext(ctx); a != nil {
		who.IP, who.UserAgent = a.IP, a.UserAgent
	}
	ctx = trusted(actor.NewContext(ctx, who))
	_, err = s.change(ctx, sv.TicketID, 0, "ticket.survey", link, func(ctx context.Context, t *Ticket) error {
		return s.answer(ctx, t, score, comment)
	})
	return err
}
