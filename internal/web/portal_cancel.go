package web

import (
	"context"
	"net/http"

	"opsdesk/internal/ticket"
)

// portalCancel withdraws a request that nobody works on yet, with a reason.
func (h *Handler) portalCancel(w http.ResponseWriter, r *http.Request) error {
	return h.portalAct(w, r, "cancel", "web.flash.ticket_cancelled", func(ctx context.Context, t *ticket.Ticket) error {
		_, err := h.d.Tickets.Cancel(ctx, t.ID, formVersion(r), r.PostFormValue("reason"))
		return err
	})
}
