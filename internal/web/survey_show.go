package web

import (
	"net/http"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// surveyPage is the one-time satisfaction survey link (满意度调查) sent to a requester: no login,
// only the ticket's number and subject, a score and a comment.
type surveyPage struct {
	basePage
	Token   string
	Ticket  *ticket.Ticket // nil when the link is invalid
	Done    bool           // answered already (by this link or in the portal)
	Scores  []int
	Score   string // what was chosen when the form came back
	Comment string
}

// surveyShow renders the survey of a link: the form, a "thank you / already rated" page, or a clear
// "invalid link" page with 404.
func (h *Handler) surveyShow(w http.ResponseWriter, r *http.Request) error {
	p := h.surveyPage(r)
	t, sv, err := h.d.Tickets.SurveyTicket(r.Context(), p.Token)
	if errs.KindOf(err) == errs.NotFound {
		h.render(w, r, http.StatusNotFound, "survey/survey", p)
		return nil
	}
	if err != nil {
		return err
	}
	p.Ticket, p.Done = t, !sv.AnsweredAt.IsZero()
	h.render(w, r, http.StatusOK, "survey/survey", p)
	return nil
}

func (h *Handler) surveyPage(r *http.Request) *surveyPage {
	return &surveyPage{basePage: h.base(r, "web.survey.title"), Token: r.PathValue("token"), Scores: []int{5, 4, 3, 2, 1}}
}
