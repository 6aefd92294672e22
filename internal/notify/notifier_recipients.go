package notify

import (
	"context"
	"slices"

	"opsdesk/internal/ticket"
)

// recipient is one person a notice goes to, or the address of an external requester.
type recipient struct {
	userID   int64
	email    string // an external requester's address (RequesterID 0): e-mail only, no inbox
	audience audience
	// redacted: the person may not see the confidential ticket (a member of its group that nobody
	// holds yet), so they get only its number and a neutral title.
	redacted bool
}

// recipients decides who is told of the notice: never the person who acted, never twice.
func (x *notice) recipients(ctx context.Context) ([]recipient, error) {
	t, e := x.t, x.n.Event
	var rs []recipient
	seen := map[int64]bool{}
	add := func(id int64, aud audience, redacted bool) {
		if id == 0 || id == x.actorID || seen[id] {
			return
		}
		seen[id] = true
		rs = append(rs, recipient{userID: id, audience: aud, redacted: redacted})
	}
	requester := func() {
		switch {
		case t.RequesterID != 0:
			add(t.RequesterID, toRequester, false)
		case t.ContactEmail != "":
			rs = append(rs, recipient{email: t.ContactEmail, audience: toRequester})
		}
	}
	// holders: the assignee, or the group's members while nobody holds the ticket.
	holders := func() error {
		if t.AssigneeID != 0 || t.GroupID == 0 {
			add(t.AssigneeID, toStaff, false)
			return nil
		}
		g, err := x.group(ctx, t.GroupID)
		if err != nil || g == nil {
			return err
		}
		for _, m := range g.Members {
			add(m, toStaff, t.Confidential && !involved(t, m))
		}
		return nil
	}
	var err error
	switch e.Kind {
	case ticket.EvCreated:
		requester()
		err = holders()
	case ticket.EvAssigned, ticket.EvEscalated, ticket.EvSkipped, ticket.EvUrged, ticket.EvReopened, ticket.EvRejected:
		err = holders()
		add(t.OwnerID, toStaff, false)
	case ticket.EvReportedUp:
		err = holders()
		add(t.OwnerID, toStaff, false)
		add(e.ToUser, toStaff, false)
	case ticket.EvCommented:
		author := e.ActorID
		if x.n.Comment != nil {
			author = x.n.Comment.AuthorID
		}
		// An external requester's reply by e-mail has no author either: it is the requester's.
		if author == t.RequesterID {
			err = holders()
			add(t.OwnerID, toStaff, false)
		} else {
			requester()
		}
		for _, w := range t.Watchers {
			add(w, toStaff, false)
		}
	case ticket.EvResolved, ticket.EvSurveyRequested:
		requester()
	case ticket.EvSLAWarning, ticket.EvSLABreach:
		err = holders()
		add(t.OwnerID, toStaff, false)
		if err == nil && t.GroupID != 0 {
			var g *Group
			if g, err = x.group(ctx, t.GroupID); g != nil {
				add(g.ManagerID, toStaff, false)
			}
		}
	}
	return rs, err
}

// involved reports whether a user is named on the ticket, and so may see it even when confidential.
func involved(t *ticket.Ticket, id int64) bool {
	return id == t.RequesterID || id == t.OwnerID || id == t.AssigneeID || slices.Contains(t.Watchers, id)
}
