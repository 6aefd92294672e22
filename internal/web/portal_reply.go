package web

import (
	"context"
	"net/http"

	"opsdesk/internal/ticket"
)

// portalReply adds the requester's public reply to the conversation.
func (h *Handler) portalReply(w http.ResponseWriter, r *http.Request) error {
	return h.portalAct(w, r, "reply", "web.flash.ticket_replied", func(ctx context.Context, t *ticket.Ticket) error {
		_, err := h.d.Tickets.Comment(ctx, t.ID, r.PostFormValue("body"), false, 0)
		return err
	})
}
