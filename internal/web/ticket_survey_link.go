package web

import (
	"net/http"
	"strings"
)

// ticketSurveyLink makes a fresh one-time survey link for a resolved or closed ticket and shows it
// on the ticket page this once, for the agent to send the requester by SMS, IM or e-mail. Only the
// hash is kept and the newest link replaces earlier ones, so the answer is a page, not a redirect:
// the link never travels in a URL or a cookie.
func (h *Handler) ticketSurveyLink(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	token, err := h.d.Tickets.SurveyLink(r.Context(), id)
	if err != nil {
		if ok, status, _, _ := formError(err); ok {
			return h.renderTicket(w, r, id, status, "survey", err)
		}
		return err
	}
	link := strings.TrimRight(h.d.Cfg.PublicURL(), "/") + "/survey/" + token
	w.Header().Set("Cache-Control", "no-store")
	return h.renderTicket(w, r, id, http.StatusOK, "", nil, func(p *ticketPage) { p.SurveyURL = link })
}
