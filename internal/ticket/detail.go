package ticket

import (
	"context"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// Detail is everything a ticket page shows of one ticket, for one actor: the ticket with its
// watchers, the comments they may read, the history, and the attachments and on-site visits when
// asked for.
type Detail struct {
	Ticket      *Ticket
	Comments    []*Comment // no internal notes unless Internal
	Events      []*Event   // oldest first
	Attachments []*Attachment
	Visits      []*Visit
	Internal    bool // the actor sees internal notes and their files (CanSeeInternal)
}

// DetailOf selects the optional parts of a Detail.
type DetailOf struct {
	Attachments bool
	Visits      bool
}

// Detail loads a ticket once, checks once that the actor may see it, and loads what its page shows.
// It replaces Get, Comments, Events, Attachments and Visits in a row, each of which loads and checks
// the ticket again.
func (s *Service) Detail(ctx context.Context, id int64, of DetailOf) (*Detail, error) {
	t, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	a := actor.FromContext(ctx)
	d := &Detail{Ticket: t, Internal: CanSeeInternal(a, t)}
	if d.Comments, err = s.Store.Comments(ctx, id, d.Internal); err != nil {
		return nil, err
	}
	if d.Events, err = s.Store.Events(ctx, id); err != nil {
		return nil, err
	}
	if of.Attachments && s.Files != nil {
		if d.Attachments, err = s.Files.Attachments(ctx, id, d.Internal); err != nil {
			return nil, err
		}
	}
	if of.Visits {
		if d.Visits, err = s.Store.Visits(ctx, id); err != nil && errs.KindOf(err) != errs.NotFound {
			return nil, err
		}
	}
	return d, nil
}
