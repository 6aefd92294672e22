package web

import (
	"net/http"
	"strings"

	"opsdesk/internal/actor"
	"opsdesk/internal/iam"
	"opsdesk/internal/ticket"
)

// intakePage is the phone intake form (电话登记): the agent finds the caller or types an external
// contact, classifies the request and submits; the ticket opens with channel phone and the agent as
// first-contact owner (首问责任人).
type intakePage struct {
	basePage
	*ticketLookup
	Form      intakeForm
	Callers   []*iam.User
	Q         string
	CanAssign bool
	Types     []ticket.Type
	Levels    []ticket.Level
}

// intakeForm is what the agent typed.
type intakeForm struct {
	RequesterID    int64
	RequesterName  string
	ContactName    string
	ContactPhone   string
	ContactEmail   string // notices to an external caller go there
	ContactDept    string
	Type           ticket.Type
	CategoryID     int64
	Urgency        ticket.Level
	Impact         ticket.Level
	Subject        string
	Description    string
	Location       string
	AffectedSystem string
	Target         string
}

func (h *Handler) newIntakePage(r *http.Request, f intakeForm) (*intakePage, error) {
	l, err := h.lookup(r.Context(), langOf(r))
	if err != nil {
		return nil, err
	}
	a := actor.FromContext(r.Context())
	if f.RequesterID != 0 {
		f.RequesterName = l.Person(f.RequesterID)
	}
	return &intakePage{basePage: h.base(r, "web.intake.title"), ticketLookup: l, Form: f,
		CanAssign: a.Can(ticket.PermAssign) || a.Can(ticket.PermManage), Types: ticket.Types,
		Levels: []ticket.Level{ticket.High, ticket.Medium, ticket.Low}}, nil
}

// intakeNew shows an empty intake form with the usual defaults: an incident of medium urgency that
// affects one person.
func (h *Handler) intakeNew(w http.ResponseWriter, r *http.Request) error {
	p, err := h.newIntakePage(r, intakeForm{Type: ticket.Incident, Urgency: ticket.Medium, Impact: ticket.Low})
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "intake/new", p)
	return nil
}

// intakeCallers is the caller search of the intake form: users whose name, username or phone
// contains q, as radio buttons that htmx puts into the form.
func (h *Handler) intakeCallers(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p, err := h.newIntakePage(r, intakeForm{})
	if err != nil {
		return err
	}
	p.Q = q
	if len([]rune(q)) >= 1 && len(q) <= 64 {
		active := false
		users, _, err := h.d.IAM.Users(r.Context(), iam.UserFilter{Query: q, Disabled: &active, Limit: 8})
		if err != nil {
			return err
		}
		p.Callers = users
	}
	h.fragment(w, r, http.StatusOK, "intake/new", "intake_callers", p)
	return nil
}
