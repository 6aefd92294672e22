package api

import (
	"context"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/notify"
)

func outboxOut(m *notify.Message) apigen.OutboxMessage {
	out := apigen.OutboxMessage{Id: m.ID, ChannelId: m.ChannelID, Kind: string(m.Kind), Event: string(m.Event),
		TicketId: m.TicketID, Ref: m.Ref, UserId: m.UserID, To: m.To, Subject: m.Subject,
		Status: apigen.OutboxMessageStatus(m.Status), Attempts: m.Attempts, LastError: m.LastError,
		CreatedAt: m.CreatedAt.UTC(), SentAt: timeOrNil(m.SentAt)}
	if m.Status == notify.Pending {
		out.NextAt = timeOrNil(m.NextAt) // a sent or dead message has no next attempt
	}
	return out
}

// ListNotifyOutbox lists the outbox messages of one status (pending by default).
func (s *server) ListNotifyOutbox(ctx context.Context, req apigen.ListNotifyOutboxRequestObject) (apigen.ListNotifyOutboxResponseObject, error) {
	st := notify.Pending
	if req.Params.Status != nil {
		st = notify.Status(*req.Params.Status)
	}
	ms, err := s.d.Notify.Outbox(ctx, st, or(req.Params.Limit, 0))
	if err != nil {
		return nil, err
	}
	out := apigen.ListNotifyOutbox200JSONResponse{Items: make([]apigen.OutboxMessage, len(ms))}
	for i, m := range ms {
		out.Items[i] = outboxOut(m)
	}
	return out, nil
}

// CountNotifyOutbox counts the messages of each status.
func (s *server) CountNotifyOutbox(ctx context.Context, _ apigen.CountNotifyOutboxRequestObject) (apigen.CountNotifyOutboxResponseObject, error) {
	n, err := s.d.Notify.OutboxCounts(ctx)
	if err != nil {
		return nil, err
	}
	return apigen.CountNotifyOutbox200JSONResponse{Pending: n[notify.Pending], Dead: n[notify.Dead], Sent: n[notify.Sent]}, nil
}

// RetryNotifyOutbox puts a dead message back in the queue.
func (s *server) RetryNotifyOutbox(ctx context.Context, req apigen.RetryNotifyOutboxRequestObject) (apigen.RetryNotifyOutboxResponseObject, error) {
	if err := s.d.Notify.Retry(ctx, req.Id); err != nil {
		return nil, err
	}
	return apigen.RetryNotifyOutbox204Response{}, nil
}
