package web

import (
	"net/http"
	"strings"

	"opsdesk/internal/actor"
	"opsdesk/internal/ticket"
)

// portalListPage is the requester's own tickets (我的工单) with a search box.
type portalListPage struct {
	basePage
	Tickets []portalTicket
	Q       string
	State   string // "", "open" or "done"
}

// portalList renders the signed-in user's own tickets, most recently updated first.
func (h *Handler) portalList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := &portalListPage{basePage: h.base(r, "web.portal.title"), Q: strings.TrimSpace(r.URL.Query().Get("q")),
		State: r.URL.Query().Get("state")}
	f := ticket.Filter{Query: p.Q, Sort: ticket.ByUpdated, Limit: 100}
	switch p.State {
	case "open":
		f.Statuses = []ticket.Status{ticket.New, ticket.Assigned, ticket.InProgress, ticket.Pending, ticket.Resolved}
	case "done":
		f.Statuses = []ticket.Status{ticket.Closed, ticket.Cancelled}
	default:
		p.State = ""
	}
	// Staff who also submit requests see only their own here; List narrows requesters by itself.
	f.RequesterID = actor.FromContext(ctx).UserID
	list, err := h.d.Tickets.List(ctx, f)
	if err != nil {
		return err
	}
	cats, err := h.d.Tickets.Categories(ctx)
	if err != nil {
		return err
	}
	names := categoryNames(cats, p.Lang)
	for _, t := range list {
		if t.RequesterID == f.RequesterID {
			p.Tickets = append(p.Tickets, portalTicket{Ticket: t, CategoryName: names[t.CategoryID]})
		}
	}
	h.render(w, r, http.StatusOK, "portal/list", p)
	return nil
}
