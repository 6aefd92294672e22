package web

import (
	"context"
	"net/http"

	"opsdesk/internal/ticket"
)

// portalConfirm accepts the resolution: the ticket closes.
func (h *Handler) portalConfirm(w http.ResponseWriter, r *http.Request) error {
	return h.portalAct(w, r, "confirm", "web.flash.ticket_confirmed", func(ctx context.Context, t *ticket.Ticket) error {
		_, err := h.d.Tickets.Confirm(ctx, t.ID, formVersion(r))
		return err
	})
}
