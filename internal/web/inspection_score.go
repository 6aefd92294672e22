package web

import (
	"net/http"
	"net/url"
	"strconv"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// inspectionPage scores one sampled ticket against the checklist (质检评分), with the ticket's
// resolution and history beside it so that the supervisor judges what was recorded.
type inspectionPage struct {
	basePage
	In        *ticket.Inspection
	T         *ticket.Ticket
	Events    []*ticket.Event
	Survey    *ticket.Survey
	Checklist []*ticket.ChecklistItem
	N         *ticket.Names
	Points    []int
	Failed    bool
	V         url.Values
}

// Person is a user's display name.
func (p *inspectionPage) Person(id int64) string {
	if p.N == nil {
		return ""
	}
	return p.N.User(id)
}

// Mark is the points an item has: what was typed when the form failed, else the stored score.
func (p *inspectionPage) Mark(id int64) string {
	if p.Failed {
		return p.V.Get("item_" + strconv.FormatInt(id, 10))
	}
	if p.In != nil {
		for _, it := range p.In.Items {
			if it.ItemID == id {
				return strconv.Itoa(it.Points)
			}
		}
	}
	return ""
}

// ItemErr is the message key of an item's problem.
func (p *inspectionPage) ItemErr(id int64) string { return p.Errors["item_"+strconv.FormatInt(id, 10)] }

// Comment is the comment typed or stored.
func (p *inspectionPage) Comment() string {
	if p.Failed {
		return p.V.Get("comment")
	}
	if p.In != nil {
		return p.In.Comment
	}
	return ""
}

// Score formats a score with one decimal.
func (p *inspectionPage) Score(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// inspectionShow renders the score form of an inspection.
func (h *Handler) inspectionShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := h.inspectionPage(r, id)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "inspection/score", p)
	return nil
}

func (h *Handler) inspectionPage(r *http.Request, id int64) (*inspectionPage, error) {
	ctx := r.Context()
	in, err := h.d.Tickets.Inspection(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &inspectionPage{basePage: h.base(r, "web.inspection.score_title"), In: in, Points: []int{0, 1, 2, 3, 4, 5}, V: url.Values{}}
	if p.T, err = h.d.Tickets.Get(ctx, in.TicketID); err != nil {
		return nil, err
	}
	if p.Events, err = h.d.Tickets.Events(ctx, in.TicketID); err != nil {
		return nil, err
	}
	if p.Checklist, err = h.d.Tickets.Checklist(ctx); err != nil {
		return nil, err
	}
	if sv, err := h.d.Tickets.TicketSurvey(ctx, in.TicketID); err == nil {
		p.Survey = sv
	} else if errs.KindOf(err) != errs.NotFound {
		return nil, err
	}
	users := []int64{in.EngineerID, in.InspectorID}
	for _, e := range p.Events {
		users = append(users, e.ActorID)
	}
	if p.N, err = h.d.Tickets.Names(ctx, []*ticket.Ticket{p.T}, users, nil); err != nil {
		return nil, err
	}
	return p, nil
}

// inspectionScore saves the marks of an inspection.
func (h *Handler) inspectionScore(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	version := fe.int(r, "version")
	marks := map[int64]int{}
	for name := range r.PostForm {
		if len(name) > 5 && name[:5] == "item_" {
			item, err := strconv.ParseInt(name[5:], 10, 64)
			if err != nil {
				continue
			}
			if r.PostFormValue(name) == "" {
				continue // not marked: the service names it
			}
			marks[item] = fe.int(r, name)
		}
	}
	err = fe.err()
	if err == nil {
		_, err = h.d.Tickets.Score(r.Context(), id, version, marks, r.PostFormValue("comment"))
	}
	if ok, status, msg, fields := formError(err); ok {
		p, perr := h.inspectionPage(r, id)
		if perr != nil {
			return perr
		}
		p.Failed, p.V = true, r.PostForm
		if errs.KindOf(err) == errs.Conflict {
			msg = "web.ticket.stale"
		}
		p.fail(msg, fields)
		h.render(w, r, status, "inspection/score", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.inspection_scored")
	http.Redirect(w, r, "/inspections?state=scored", http.StatusSeeOther)
	return nil
}
