package mailin

import (
	"context"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/notify/email"
	"opsdesk/internal/ticket"
)

// senderActor is who a mail is from: a user's actor, or the desk's with UserID 0 for a stranger.
type senderActor struct {
	*actor.Actor
	name string // the display name the mail gave
}

// sender finds the user a mail is from by its address; a stranger acts as the desk, named by
// their address in the audit log.
func (s *Service) sender(ctx context.Context, p *parsed) (*senderActor, error) {
	a, err := s.People.ByEmail(ctx, p.from)
	if err == nil {
		return &senderActor{Actor: a, name: p.fromName}, nil
	}
	if !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	desk, err := s.People.Desk(ctx)
	if err != nil {
		return nil, err
	}
	stranger := *desk
	stranger.UserID, stranger.Username, stranger.Name = 0, clip(p.from, 64), clip(oneLine(p.fromName), 64)
	return &senderActor{Actor: &stranger, name: p.fromName}, nil
}

// maxRefs bounds the message ids of a reply that are looked up.
const maxRefs = 20

// findTicket finds the ticket a mail answers: by the notification it replies to (In-Reply-To,
// References), else by the ticket number in the subject, else by the plus tag of the address it
// was sent to. It returns nil when the mail answers none, and how the ticket was found.
func (s *Service) findTicket(ctx context.Context, p *parsed) (*ticket.Ticket, string, error) {
	if s.Outbox != nil {
		for i, id := range p.refs {
			key := email.KeyFromMessageID(id) // the driver wrote the outbox key as the Message-ID
			if key == "" || i >= maxRefs {
				continue
			}
			msg, err := s.Outbox.ByKey(ctx, key)
			if errs.Is(err, errs.NotFound) || err == nil && msg.TicketID == 0 {
				continue
			}
			if err != nil {
				return nil, "", err
			}
			if t, err := s.ticket(ctx, msg.TicketID); t != nil || err != nil {
				return t, "In-Reply-To", err
			}
		}
	}
	for _, by := range []struct{ how, number string }{
		{"subject", numberInSubject(p.subject)}, {"address tag", numberInTag(p.rcpts)},
	} {
		if by.number == "" {
			continue
		}
		id, err := s.Store.TicketByNumber(ctx, by.number)
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		if t, err := s.ticket(ctx, id); t != nil || err != nil {
			return t, by.how, err
		}
	}
	return nil, "", nil
}

// ticket loads a ticket, nil when it is gone.
func (s *Service) ticket(ctx context.Context, id int64) (*ticket.Ticket, error) {
	t, err := s.Tickets.Store.Get(ctx, id)
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	return t, err
}
