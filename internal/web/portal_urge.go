package web

import (
	"context"
	"net/http"

	"opsdesk/internal/ticket"
)

// portalUrge chases an open ticket (催办); the desk sees the count and the note.
func (h *Handler) portalUrge(w http.ResponseWriter, r *http.Request) error {
	return h.portalAct(w, r, "urge", "web.flash.ticket_urged", func(ctx context.Context, t *ticket.Ticket) error {
		_, err := h.d.Tickets.Urge(ctx, t.ID, trimForm(r, "note"))
		return err
	})
}
