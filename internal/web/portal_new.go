package web

import (
	"net/http"

	"opsdesk/internal/ticket"
)

// portalNewPage is the request form of the portal (提交请求): urgency and impact are asked in plain
// words, the priority follows from the administrator's matrix.
type portalNewPage struct {
	basePage
	Form       portalForm
	Types      []ticket.Type
	Categories []categoryOption
	Levels     []ticket.Level
}

// portalForm is what the request form submits.
type portalForm struct {
	Type        ticket.Type
	CategoryID  int64
	Subject     string
	Description string
	Urgency     ticket.Level
	Impact      ticket.Level
	Location    string
}

// TypeKey is the message key of a ticket type, for the type choice.
func (p *portalNewPage) TypeKey(t ticket.Type) string { return "web.portal.type." + string(t) }

// UrgencyKey is the plain-words label of an urgency level.
func (p *portalNewPage) UrgencyKey(l ticket.Level) string { return levelKey("urgency", l) }

// ImpactKey is the plain-words label of an impact level.
func (p *portalNewPage) ImpactKey(l ticket.Level) string { return levelKey("impact", l) }

// portalNew renders the empty request form: an incident of normal urgency affecting only oneself.
func (h *Handler) portalNew(w http.ResponseWriter, r *http.Request) error {
	p, err := h.portalNewPage(r)
	if err != nil {
		return err
	}
	p.Form = portalForm{Type: ticket.Incident, Urgency: ticket.Medium, Impact: ticket.Low}
	h.render(w, r, http.StatusOK, "portal/new", p)
	return nil
}

func (h *Handler) portalNewPage(r *http.Request) (*portalNewPage, error) {
	cats, err := h.d.Tickets.Categories(r.Context())
	if err != nil {
		return nil, err
	}
	p := &portalNewPage{basePage: h.base(r, "web.portal.new_title"), Types: ticket.Types, Levels: levels}
	p.Categories = categoryOptions(cats, p.Lang)
	return p, nil
}
