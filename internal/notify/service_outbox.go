package notify

import (
	"context"
	"regexp"

	"opsdesk/internal/errs"
)

// ChannelTest is the event of a test message an administrator asked for; no one subscribes to it.
const ChannelTest Event = "channel.test"

// Statuses lists the outbox statuses in the order the outbox page shows them.
var Statuses = []Status{Pending, Dead, Sent}

// Outbox lists outbox messages of a status (every status when empty), newest first.
func (s *Service) Outbox(ctx context.Context, status Status, limit int) ([]*Message, error) {
	if err := admin(ctx); err != nil {
		return nil, err
	}
	if status != "" && status != Pending && status != Sent && status != Dead {
		return nil, errs.E(errs.Invalid, "err.notify.status", errs.Field("status", "err.notify.status"))
	}
	ms, err := s.Store.Outbox(ctx, status, limitOf(limit))
	for _, m := range ms {
		m.Text, m.HTML, m.Payload = hideSurveyLinks(m.Text), hideSurveyLinks(m.HTML), hideSurveyLinks(m.Payload)
	}
	return ms, err
}

// surveyLink matches the secret of a one-time survey link.
var surveyLink = regexp.MustCompile(`/survey/[A-Za-z0-9_-]+`)

// hideSurveyLinks blanks survey secrets: an administrator reading the outbox must not be able to
// answer a requester's survey in their place.
func hideSurveyLinks(s string) string { return surveyLink.ReplaceAllString(s, "/survey/…") }

// OutboxCounts counts the outbox messages of each status; every status is present.
func (s *Service) OutboxCounts(ctx context.Context) (map[Status]int, error) {
	if err := admin(ctx); err != nil {
		return nil, err
	}
	n, err := s.Store.OutboxCounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[Status]int, len(Statuses))
	for _, st := range Statuses {
		out[st] = n[st]
	}
	return out, nil
}

// Retry puts a dead message back in the queue, due now, with its attempts counted afresh.
func (s *Service) Retry(ctx context.Context, id int64) error {
	if err := admin(ctx); err != nil {
		return err
	}
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.Retry(ctx, id, s.Now()); err != nil {
			return err
		}
		return s.record(ctx, "notify.outbox.retry", "notify_message", id, nil, nil)
	})
	if err != nil {
		return err
	}
	s.wake()
	return nil
}
