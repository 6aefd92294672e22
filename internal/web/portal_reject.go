package web

import (
	"context"
	"net/http"

	"opsdesk/internal/ticket"
)

// portalReject sends the resolution back with the requester's reason.
func (h *Handler) portalReject(w http.ResponseWriter, r *http.Request) error {
	return h.portalAct(w, r, "reject", "web.flash.ticket_rejected", func(ctx context.Context, t *ticket.Ticket) error {
		_, err := h.d.Tickets.Reject(ctx, t.ID, formVersion(r), r.PostFormValue("reason"))
		return err
	})
}
