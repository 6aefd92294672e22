package web

import (
	"net/http"
)

// ticketReopen brings a closed ticket back to work with a reason, within the configured days after
// closing (ticket.Service.Reopen).
func (h *Handler) ticketReopen(r *http.Request, id int64, version int) error {
	_, err := h.d.Tickets.Reopen(r.Context(), id, version, r.PostFormValue("reason"))
	return err
}
