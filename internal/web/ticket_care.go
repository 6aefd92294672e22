package web

import (
	"net/http"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/iam"
	"opsdesk/internal/ticket"
)

// ticketCare is what the staff ticket page offers besides the work forms: naming colleagues as
// watchers, reopening a closed ticket within the configured days, and a fresh one-time survey link
// for a resolved or closed one.
type ticketCare struct {
	CanNameWatchers bool // add and remove colleagues as watchers
	WatchersLocked  bool // a confidential ticket: only supervisors name who may see it
	CanSearchUsers  bool // the colleague search needs user.read
	CanReopen       bool
	ReopenLate      bool // closed longer ago than the reopen window
	ReopenUntil     time.Time
	CanSurveyLink   bool
	SurveyURL       string // a link just made, shown this once
}

// care works out the page's watcher, reopen and survey-link state for the actor. The service checks
// the same rules again when a form is sent (ticket.Service.Watch, Reopen, SurveyLink).
func (h *Handler) care(r *http.Request, t *ticket.Ticket) (ticketCare, error) {
	a := actor.FromContext(r.Context())
	work := ticket.CanWork(a, t)
	c := ticketCare{CanSearchUsers: a.Can(iam.PermUserRead)}
	c.WatchersLocked = work && t.Confidential && !a.Can(ticket.PermManage)
	c.CanNameWatchers = work && !c.WatchersLocked
	c.CanSurveyLink = work && (t.Status == ticket.Resolved || t.Status == ticket.Closed)
	if work && t.Status == ticket.Closed {
		set, err := h.d.Tickets.Settings(r.Context())
		if err != nil {
			return c, err
		}
		c.ReopenUntil = t.ClosedAt.Add(time.Duration(set.ReopenDays) * 24 * time.Hour)
		c.ReopenLate = h.d.Tickets.Now().After(c.ReopenUntil) // the service's clock, which Reopen checks
		c.CanReopen = !c.ReopenLate
	}
	return c, nil
}
