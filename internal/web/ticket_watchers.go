package web

import (
	"net/http"
	"strings"

	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
)

// watcherCandidates is the colleague search of the watcher form: active users whose name, username
// or phone contains Q, as radio buttons that htmx puts into the form.
type watcherCandidates struct {
	Lang  string
	Q     string
	Users []*iam.User
}

// ticketWatcherCandidates searches colleagues to add as watchers of a ticket the actor sees.
func (h *Handler) ticketWatcherCandidates(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := h.d.Tickets.Get(r.Context(), id); err != nil {
		return err
	}
	p := &watcherCandidates{Lang: langOf(r), Q: strings.TrimSpace(r.URL.Query().Get("q"))}
	if p.Q != "" && len(p.Q) <= 64 {
		active := false
		users, _, err := h.d.IAM.Users(r.Context(), iam.UserFilter{Query: p.Q, Disabled: &active, Limit: 8})
		if err != nil {
			return err
		}
		p.Users = users
	}
	h.fragment(w, r, http.StatusOK, "ticket/show", "watcher_candidates", p)
	return nil
}

// ticketWatcherAdd names a colleague as a watcher; ticketWatcherRemove takes one off.
func (h *Handler) ticketWatcherAdd(w http.ResponseWriter, r *http.Request) error {
	return h.ticketWatcherSet(w, r, true)
}

func (h *Handler) ticketWatcherRemove(w http.ResponseWriter, r *http.Request) error {
	return h.ticketWatcherSet(w, r, false)
}

// ticketWatcherSet adds or removes the watcher user_id. A refusal (on a confidential ticket only
// supervisors name who may see it) comes back on the ticket page with that explanation rather than
// as a bare error page.
func (h *Handler) ticketWatcherSet(w http.ResponseWriter, r *http.Request, on bool) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	user := fe.id(r, "user_id")
	if user == 0 && len(fe) == 0 {
		fe["user_id"] = "web.ticket.watcher_pick"
	}
	if err := fe.err(); err != nil {
		return h.renderTicket(w, r, id, http.StatusUnprocessableEntity, "watchers", err)
	}
	if _, err := h.d.Tickets.Watch(r.Context(), id, user, on); err != nil {
		if errs.KindOf(err) == errs.Forbidden {
			return h.renderTicket(w, r, id, http.StatusForbidden, "watchers", errs.E(errs.Forbidden, "web.ticket.watchers_refused", err))
		}
		if ok, status, _, _ := formError(err); ok {
			return h.renderTicket(w, r, id, status, "watchers", err)
		}
		return err
	}
	if on {
		h.setFlash(w, "web.flash.ticket.watcher_added")
	} else {
		h.setFlash(w, "web.flash.ticket.watcher_removed")
	}
	h.redirect(w, r, ticketURL(id, ""))
	return nil
}
