package web

import (
	"context"
	"net/http"

	"opsdesk/internal/ticket"
)

// portalRate answers the satisfaction survey (满意度调查) of a resolved or closed ticket, once.
func (h *Handler) portalRate(w http.ResponseWriter, r *http.Request) error {
	return h.portalAct(w, r, "rate", "web.flash.ticket_rated", func(ctx context.Context, t *ticket.Ticket) error {
		fe := fieldErrors{}
		score := fe.int(r, "score")
		if err := fe.err(); err != nil {
			return err
		}
		return h.d.Tickets.Rate(ctx, t.ID, score, r.PostFormValue("comment"))
	})
}
