package web

import (
	"context"
	"net/http"

	"opsdesk/internal/ticket"
)

// portalReopen brings a closed ticket back to work within the allowed days, with a reason.
func (h *Handler) portalReopen(w http.ResponseWriter, r *http.Request) error {
	return h.portalAct(w, r, "reopen", "web.flash.ticket_reopened", func(ctx context.Context, t *ticket.Ticket) error {
		_, err := h.d.Tickets.Reopen(ctx, t.ID, formVersion(r), r.PostFormValue("reason"))
		return err
	})
}
