package web

import (
	"net/http"
	"strings"

	"opsdesk/internal/ticket"
)

// intakeCreate opens the ticket of a phone call and shows it; bad input brings the form back with
// the problems next to the fields.
func (h *Handler) intakeCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	f := intakeForm{RequesterID: fe.id(r, "requester_id"), ContactName: strings.TrimSpace(r.PostFormValue("contact_name")), ContactPhone: strings.TrimSpace(r.PostFormValue("contact_phone")),
		ContactEmail: strings.TrimSpace(r.PostFormValue("contact_email")),
		ContactDept:  strings.TrimSpace(r.PostFormValue("contact_dept")), Type: ticket.Type(r.PostFormValue("type")),
		CategoryID: fe.id(r, "category_id"), Urgency: ticket.Level(fe.int(r, "urgency")), Impact: ticket.Level(fe.int(r, "impact")),
		Subject: r.PostFormValue("subject"), Description: r.PostFormValue("description"), Location: r.PostFormValue("location"),
		AffectedSystem: r.PostFormValue("affected_system"), Target: r.PostFormValue("target")}
	n := ticket.NewTicket{Type: f.Type, Channel: ticket.Phone, Subject: f.Subject, Description: f.Description, CategoryID: f.CategoryID,
		Urgency: f.Urgency, Impact: f.Impact, RequesterID: f.RequesterID, Location: f.Location, AffectedSystem: f.AffectedSystem}
	if f.RequesterID == 0 {
		n.ContactName, n.ContactPhone, n.ContactEmail, n.ContactDept = f.ContactName, f.ContactPhone, f.ContactEmail, f.ContactDept
		if f.ContactName == "" {
			fe["contact_name"] = "web.intake.caller_required"
		}
	}
	if f.Target != "" {
		g, u, ok := parseTarget(f.Target)
		if !ok {
			fe["target"] = "err.invalid"
		}
		n.GroupID, n.AssigneeID = g, u
	}
	if strings.TrimSpace(f.Subject) == "" {
		fe["subject"] = "err.required" // shown together with the caller problem, before the service is asked
	}
	var t *ticket.Ticket
	err := fe.err()
	if err == nil {
		t, err = h.d.Tickets.Create(r.Context(), n)
	}
	if err != nil {
		ok, status, msg, fields := formError(err)
		if !ok {
			return err
		}
		p, perr := h.newIntakePage(r, f)
		if perr != nil {
			return perr
		}
		p.fail(msg, fields)
		h.render(w, r, status, "intake/new", p)
		return nil
	}
	h.setFlash(w, "web.flash.ticket.created")
	h.redirect(w, r, ticketURL(t.ID, ""))
	return nil
}
