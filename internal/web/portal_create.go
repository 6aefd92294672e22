package web

import (
	"net/http"

	"opsdesk/internal/ticket"
)

// portalCreate opens a ticket for the signed-in user from the portal form.
func (h *Handler) portalCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	f := portalForm{Type: ticket.Type(r.PostFormValue("type")), CategoryID: fe.id(r, "category_id"),
		Subject: r.PostFormValue("subject"), Description: r.PostFormValue("description"),
		Urgency: ticket.Level(fe.int(r, "urgency")), Impact: ticket.Level(fe.int(r, "impact")),
		Location: trimForm(r, "location")}
	err := fe.err()
	var t *ticket.Ticket
	if err == nil {
		t, err = h.d.Tickets.Create(r.Context(), ticket.NewTicket{Type: f.Type, Channel: ticket.Portal,
			Subject: f.Subject, Description: f.Description, CategoryID: f.CategoryID,
			Urgency: f.Urgency, Impact: f.Impact, Location: f.Location})
	}
	if ok, status, msg, fields := formError(err); ok {
		p, perr := h.portalNewPage(r)
		if perr != nil {
			return perr
		}
		p.Form = f
		p.fail(msg, fields)
		h.render(w, r, status, "portal/new", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.ticket_submitted")
	http.Redirect(w, r, portalURL(t.ID), http.StatusSeeOther)
	return nil
}
