package web

import (
	"net/http"

	"opsdesk/internal/actor"
	"opsdesk/internal/ticket"
)

// reportPage is the printable service report (维修服务报告) of an on-site job: the ticket, the
// visits with their times and work log, the resolution and the requester's confirmation. Staff read
// it at /tickets/{id}/report, the requester at /my/tickets/{id}/report with the confirm button.
type reportPage struct {
	basePage
	T          *ticket.Ticket
	Visits     []*ticket.Visit
	State      ticket.ReportState
	N          *ticket.Names
	Portal     bool // the requester's view
	CanConfirm bool
	Back       string
	Note       string // what was typed into the confirmation remark when it failed
}

// Person is the name of a user of the report.
func (p *reportPage) Person(id int64) string {
	if p.N == nil || id == 0 {
		return ""
	}
	return p.N.User(id)
}

// Group is the name of the ticket's support group.
func (p *reportPage) Group(id int64) string {
	if p.N == nil {
		return ""
	}
	return p.N.Group(id)
}

// Category is the ticket's category label in the page language.
func (p *reportPage) Category(id int64) string {
	if p.N == nil {
		return ""
	}
	return p.N.Category(id, p.Lang)
}

// ticketServiceReport renders the service report for staff.
func (h *Handler) ticketServiceReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := h.d.Tickets.Get(r.Context(), id)
	if err != nil {
		return err
	}
	p, err := h.reportPage(r, t)
	if err != nil {
		return err
	}
	p.Back = ticketURL(id, "visits")
	h.render(w, r, http.StatusOK, "ticket/service_report", p)
	return nil
}

func (h *Handler) reportPage(r *http.Request, t *ticket.Ticket) (*reportPage, error) {
	ctx := r.Context()
	vs, err := h.d.Tickets.Visits(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	users := []int64{}
	for _, v := range vs {
		users = append(users, v.EngineerID, v.ConfirmedBy)
	}
	n, err := h.d.Tickets.Names(ctx, []*ticket.Ticket{t}, users, nil)
	if err != nil {
		return nil, err
	}
	p := &reportPage{basePage: h.base(r, "web.report.title"), T: t, Visits: vs, State: ticket.Report(vs), N: n}
	p.CanConfirm = p.State.CanConfirm() && actor.FromContext(ctx).UserID == t.RequesterID && t.Status != ticket.Cancelled
	return p, nil
}
