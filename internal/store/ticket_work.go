package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

type ticketEventRow struct {
	bun.BaseModel `bun:"table:ticket_events"`
	ID            int64 `bun:",pk,autoincrement"`
	TicketID      int64
	Kind          string
	ActorID       *int64
	FromGroupID   int64
	ToGroupID     int64
	FromUserID    int64
	ToUserID      int64
	FromStatus    string
	ToStatus      string
	Reason        string
	Flagged       bool
	At            time.Time
}

// AddEvent appends a step to a ticket's history.
func (s Tickets) AddEvent(ctx context.Context, e *ticket.Event) error {
	row := &ticketEventRow{TicketID: e.TicketID, Kind: string(e.Kind), ActorID: ptrID(e.ActorID), FromGroupID: e.FromGroup,
		ToGroupID: e.ToGroup, FromUserID: e.FromUser, ToUserID: e.ToUser, FromStatus: string(e.FromStatus),
		ToStatus: string(e.ToStatus), Reason: e.Reason, Flagged: e.Flagged, At: e.At.UTC()}
	if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return classify(err, "event")
	}
	e.ID = row.ID
	return nil
}

// Events lists a ticket's history in order.
func (s Tickets) Events(ctx context.Context, ticketID int64) ([]*ticket.Event, error) {
	var rows []ticketEventRow
	if err := s.r(ctx).NewSelect().Model(&rows).Where("ticket_id = ?", ticketID).OrderExpr("id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*ticket.Event, len(rows))
	for i, r := range rows {
		out[i] = &ticket.Event{ID: r.ID, TicketID: r.TicketID, Kind: ticket.EventKind(r.Kind), ActorID: valID(r.ActorID),
			FromGroup: r.FromGroupID, ToGroup: r.ToGroupID, FromUser: r.FromUserID, ToUser: r.ToUserID,
			FromStatus: ticket.Status(r.FromStatus), ToStatus: ticket.Status(r.ToStatus), Reason: r.Reason,
			Flagged: r.Flagged, At: r.At.UTC()}
	}
	return out, nil
}

// SetWatcher adds or removes a watcher; adding twice is harmless.
func (s Tickets) SetWatcher(ctx context.Context, ticketID, userID int64, on bool) error {
	if !on {
		_, err := s.w(ctx).NewDelete().Table("ticket_watchers").Where("ticket_id = ? AND user_id = ?", ticketID, userID).Exec(ctx)
		return err
	}
	_, err := s.w(ctx).NewRaw(`INSERT INTO ticket_watchers (ticket_id, user_id, added_at) VALUES (?, ?, ?)
		ON CONFLICT (ticket_id, user_id) DO NOTHING`, ticketID, userID, s.Now().UTC()).Exec(ctx)
	return classify(err, "watcher")
}

// openStatuses are the statuses that count as open work.
var openStatuses = []string{string(ticket.New), string(ticket.Assigned), string(ticket.InProgress), string(ticket.Pending)}

// OpenLoad counts open tickets per assignee, through the assignee queue index.
func (s Tickets) OpenLoad(ctx context.Context, userIDs []int64) (map[int64]int, error) {
	var rows []struct {
		AssigneeID int64
		N          int
	}
	err := s.r(ctx).NewSelect().Table("tickets").ColumnExpr("assignee_id, count(*) AS n").
		Where("assignee_id IN (?)", bun.In(userIDs)).Where("status IN (?)", bun.In(openStatuses)).
		Group("assignee_id").Scan(ctx, &rows)
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.AssigneeID] = r.N
	}
	return out, err
}

// ResolvedBefore lists resolved tickets whose resolution is older than t, oldest first.
func (s Tickets) ResolvedBefore(ctx context.Context, t time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := s.r(ctx).NewSelect().Table("tickets").Column("id").Where("status = ?", string(ticket.Resolved)).
		Where("resolved_at < ?", t.UTC()).OrderExpr("resolved_at").Limit(int64(limit)).Scan(ctx, &ids)
	return ids, err
}

type ticketSurveyRow struct {
	bun.BaseModel `bun:"table:ticket_surveys"`
	TicketID      int64 `bun:",pk"`
	TokenHash     string
	Score         int
	Comment       string
	RequestedAt   time.Time
	AnsweredAt    *time.Time
}

func toSurvey(r *ticketSurveyRow) *ticket.Survey {
	return &ticket.Survey{TicketID: r.TicketID, TokenHash: r.TokenHash, Score: r.Score, Comment: r.Comment,
		RequestedAt: r.RequestedAt.UTC(), AnsweredAt: valTime(r.AnsweredAt)}
}

// CreateSurvey opens a ticket's survey.
func (s Tickets) CreateSurvey(ctx context.Context, sv *ticket.Survey) error {
	row := &ticketSurveyRow{TicketID: sv.TicketID, TokenHash: sv.TokenHash, RequestedAt: sv.RequestedAt.UTC()}
	_, err := s.w(ctx).NewInsert().Model(row).Exec(ctx)
	return classify(err, "survey")
}

// Survey returns a ticket's survey.
func (s Tickets) Survey(ctx context.Context, ticketID int64) (*ticket.Survey, error) {
	var row ticketSurveyRow
	if err := s.r(ctx).NewSelect().Model(&row).Where("ticket_id = ?", ticketID).Scan(ctx); err != nil {
		return nil, classify(err, "survey")
	}
	return toSurvey(&row), nil
}

// SurveyByToken finds a survey by the hash of its one-time link.
func (s Tickets) SurveyByToken(ctx context.Context, tokenHash string) (*ticket.Survey, error) {
	var row ticketSurveyRow
	if err := s.r(ctx).NewSelect().Model(&row).Where("token_hash = ?", tokenHash).Scan(ctx); err != nil {
		return nil, classify(err, "survey")
	}
	return toSurvey(&row), nil
}

// AnswerSurvey stores the answer only if none was stored, so two answers racing keep the first.
func (s Tickets) AnswerSurvey(ctx context.Context, sv *ticket.Survey) error {
	res, err := s.w(ctx).NewUpdate().Model((*ticketSurveyRow)(nil)).Set("score = ?", sv.Score).Set("comment = ?", sv.Comment).
		Set("answered_at = ?", sv.AnsweredAt.UTC()).Where("ticket_id = ? AND answered_at IS NULL", sv.TicketID).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.Conflict, "err.ticket.survey_done")
	}
	return nil
}

// SetSurveyToken replaces the hash of a survey's one-time link.
func (s Tickets) SetSurveyToken(ctx context.Context, ticketID int64, tokenHash string) error {
	_, err := s.w(ctx).NewUpdate().Model((*ticketSurveyRow)(nil)).Set("token_hash = ?", tokenHash).Where("ticket_id = ?", ticketID).Exec(ctx)
	return err
}
