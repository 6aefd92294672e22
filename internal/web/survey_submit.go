package web

import (
	"net/http"

	"opsdesk/internal/errs"
)

// surveySubmit stores the answer of a survey link, once. A used link shows the "already rated"
// page (409), an invalid one the "invalid link" page (404); input problems come back on the form.
func (h *Handler) surveySubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p := h.surveyPage(r)
	p.Score, p.Comment = r.PostFormValue("score"), r.PostFormValue("comment")
	fe := fieldErrors{}
	score := fe.int(r, "score")
	err := fe.err()
	if err == nil {
		err = h.d.Tickets.RateByToken(r.Context(), p.Token, score, p.Comment)
	}
	if err == nil {
		http.Redirect(w, r, "/survey/"+p.Token, http.StatusSeeOther)
		return nil
	}
	t, sv, lerr := h.d.Tickets.SurveyTicket(r.Context(), p.Token)
	switch {
	case errs.KindOf(lerr) == errs.NotFound:
		h.render(w, r, http.StatusNotFound, "survey/survey", p)
		return nil
	case lerr != nil:
		return lerr
	}
	p.Ticket, p.Done = t, !sv.AnsweredAt.IsZero()
	if errs.KindOf(err) == errs.Conflict || p.Done {
		p.Done = true
		h.render(w, r, http.StatusConflict, "survey/survey", p)
		return nil
	}
	if ok, status, msg, fields := formError(err); ok {
		p.fail(msg, fields)
		h.render(w, r, status, "survey/survey", p)
		return nil
	}
	return err
}
