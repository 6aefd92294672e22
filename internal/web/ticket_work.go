package web

import (
	"net/http"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// The work actions of the ticket page, each one service call (see ticket.Service).

// ticketComment posts a public reply or an internal note with the minutes spent.
func (h *Handler) ticketComment(r *http.Request, id int64, _ int) error {
	fe := fieldErrors{}
	minutes := fe.int(r, "minutes")
	if err := fe.err(); err != nil {
		return err
	}
	_, err := h.d.Tickets.Comment(r.Context(), id, r.PostFormValue("body"), r.PostFormValue("internal") == "1", minutes)
	return err
}

func (h *Handler) ticketTake(r *http.Request, id int64, version int) error {
	_, err := h.d.Tickets.Take(r.Context(), id, version)
	return err
}

func (h *Handler) ticketStart(r *http.Request, id int64, version int) error {
	_, err := h.d.Tickets.Start(r.Context(), id, version)
	return err
}

func (h *Handler) ticketWait(r *http.Request, id int64, version int) error {
	_, err := h.d.Tickets.Wait(r.Context(), id, version, ticket.PendingReason(r.PostFormValue("reason")), r.PostFormValue("note"))
	return err
}

func (h *Handler) ticketResolve(r *http.Request, id int64, version int) error {
	_, err := h.d.Tickets.Resolve(r.Context(), id, version, ticket.Resolution{Cause: r.PostFormValue("cause"),
		Solution: r.PostFormValue("solution"), Workaround: r.PostFormValue("workaround")})
	return err
}

func (h *Handler) ticketCancel(r *http.Request, id int64, version int) error {
	_, err := h.d.Tickets.Cancel(r.Context(), id, version, r.PostFormValue("reason"))
	return err
}

func (h *Handler) ticketAssign(r *http.Request, id int64, version int) error {
	g, u, ok := parseTarget(r.PostFormValue("target"))
	if !ok {
		return errs.E(errs.Invalid, "err.ticket.assign_target", errs.Field("target", "err.required"))
	}
	_, err := h.d.Tickets.Assign(r.Context(), id, version, g, u, r.PostFormValue("reason"))
	return err
}

func (h *Handler) ticketEscalate(r *http.Request, id int64, version int) error {
	g, u, ok := parseTarget(r.PostFormValue("target"))
	if !ok {
		return errs.E(errs.Invalid, "err.ticket.assign_target", errs.Field("target", "err.required"))
	}
	_, err := h.d.Tickets.Escalate(r.Context(), id, version, g, u, r.PostFormValue("reason"), r.PostFormValue("skip") == "1")
	return err
}

func (h *Handler) ticketReport(r *http.Request, id int64, _ int) error {
	_, err := h.d.Tickets.ReportUp(r.Context(), id, r.PostFormValue("reason"))
	return err
}

func (h *Handler) ticketUrge(r *http.Request, id int64, _ int) error {
	_, err := h.d.Tickets.Urge(r.Context(), id, r.PostFormValue("note"))
	return err
}

func (h *Handler) ticketWatch(r *http.Request, id int64, _ int) error {
	_, err := h.d.Tickets.Watch(r.Context(), id, actor.FromContext(r.Context()).UserID, r.PostFormValue("on") == "1")
	return err
}

// ticketUpdate edits the fields at the version the editor saw; urgency × impact recompute the priority.
func (h *Handler) ticketUpdate(r *http.Request, id int64, version int) error {
	fe := fieldErrors{}
	cat := fe.id(r, "category_id")
	u, i := ticket.Level(fe.int(r, "urgency")), ticket.Level(fe.int(r, "impact"))
	if err := fe.err(); err != nil {
		return err
	}
	str := func(name string) *string { v := r.PostFormValue(name); return &v }
	p := ticket.Patch{Subject: str("subject"), Description: str("description"), Location: str("location"),
		AffectedSystem: str("affected_system"), CategoryID: &cat, Urgency: &u, Impact: &i}
	_, err := h.d.Tickets.Update(r.Context(), id, version, p)
	return err
}
