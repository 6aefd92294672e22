package notify

import (
	"context"
	"strconv"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
)

// Channels lists the configured channels, secrets masked.
func (s *Service) Channels(ctx context.Context) ([]*Channel, error) {
	if err := admin(ctx); err != nil {
		return nil, err
	}
	cs, err := s.Store.Channels(ctx)
	if err != nil {
		return nil, err
	}
	for i, c := range cs {
		cs[i] = masked(c)
	}
	return cs, nil
}

// Channel returns one channel, secrets masked.
func (s *Service) Channel(ctx context.Context, id int64) (*Channel, error) {
	if err := admin(ctx); err != nil {
		return nil, err
	}
	c, err := s.Store.Channel(ctx, id)
	if err != nil {
		return nil, err
	}
	return masked(c), nil
}

// SaveChannel creates a channel (ID 0) or updates one at its version. Every setting is checked and
// nothing is saved when one is wrong; an empty or Masked secret keeps the stored one. On return c
// carries its ID and version, with secrets masked again.
func (s *Service) SaveChannel(ctx context.Context, c *Channel) error {
	if err := admin(ctx); err != nil {
		return err
	}
	var stored *Channel
	if c.ID != 0 {
		var err error
		if stored, err = s.Store.Channel(ctx, c.ID); err != nil {
			return err
		}
	}
	in := *c
	normalize(&in)
	keepSecrets(&in, stored)
	f := check(&in)
	if in.GroupID > 0 {
		if _, err := s.People.GroupOf(ctx, in.GroupID); errs.Is(err, errs.NotFound) {
			f.Add("group_id", "err.group.unknown")
		} else if err != nil {
			return err
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	action := "notify.channel.create"
	var before any
	if stored != nil {
		action, before = "notify.channel.update", masked(stored)
	}
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.SaveChannel(ctx, &in); err != nil {
			return err
		}
		return s.record(ctx, action, "notify_channel", in.ID, before, masked(&in))
	})
	if err != nil {
		return err
	}
	*c = *masked(&in)
	return nil
}

// DeleteChannel removes a channel. Messages already queued for it are parked dead by the sender.
func (s *Service) DeleteChannel(ctx context.Context, id int64) error {
	if err := admin(ctx); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		c, err := s.Store.Channel(ctx, id)
		if err != nil {
			return err
		}
		if err := s.Store.DeleteChannel(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, "notify.channel.delete", "notify_channel", id, masked(c), nil)
	})
}

// TestChannel queues a test message over a channel: an e-mail to the actor's own address, or a post
// to the bot or webhook. It goes through the outbox like any message, so the outbox page shows
// whether it went out.
func (s *Service) TestChannel(ctx context.Context, id int64) error {
	if err := admin(ctx); err != nil {
		return err
	}
	c, err := s.Store.Channel(ctx, id)
	if err != nil {
		return err
	}
	a := actor.FromContext(ctx)
	lang := langOf("", c)
	m := &Message{ChannelID: c.ID, Kind: c.Kind, Event: ChannelTest, Link: s.BaseURL + "/", Key: newKey(), Status: Pending,
		NextAt: s.Now(), CreatedAt: s.Now()}
	if c.Kind == Email {
		p, err := s.People.Person(ctx, a.UserID)
		if err != nil {
			return err
		}
		if p.Email == "" {
			return errs.E(errs.Invalid, "err.notify.no_address")
		}
		lang = langOf(p.Locale, c)
		m.UserID, m.To = p.ID, p.Email
	}
	if err := renderTest(m, lang, c.Name); err != nil {
		return err
	}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.Enqueue(ctx, []*Message{m}); err != nil {
			return err
		}
		return s.record(ctx, "notify.channel.test", "notify_channel", c.ID, nil, map[string]any{"message_id": m.ID})
	})
	if err != nil {
		return err
	}
	s.wake()
	return nil
}

// record writes an audit entry in the caller's transaction.
func (s *Service) record(ctx context.Context, action, targetType string, id int64, before, after any) error {
	return s.Audit.Record(ctx, audit.Entry{Action: action, TargetType: targetType, TargetID: strconv.FormatInt(id, 10),
		Before: audit.Snapshot(before), After: audit.Snapshot(after)})
}

func (s *Service) wake() {
	if s.Wake != nil {
		s.Wake()
	}
}
