package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// portalTicket is a ticket as the requester portal (自助服务门户) shows it: labels as message keys,
// the category as a name in the page language. It carries no internal fields.
type portalTicket struct {
	*ticket.Ticket
	CategoryName string
}

// StatusKey is the message key of the ticket's status.
func (p portalTicket) StatusKey() string { return "web.portal.status." + string(p.Status) }

// StatusClass picks the badge colour of the status.
func (p portalTicket) StatusClass() string {
	switch p.Status {
	case ticket.New, ticket.Assigned:
		return "badge-info"
	case ticket.InProgress:
		return "badge-warn"
	case ticket.Resolved:
		return "badge-ok"
	case ticket.Pending:
		return "badge-pending"
	}
	return "badge-off"
}

// TypeKey is the message key of the ticket's type.
func (p portalTicket) TypeKey() string { return "web.portal.type." + string(p.Type) }

// UrgencyKey and ImpactKey name the levels in plain words (很急 / 本部门 …).
func (p portalTicket) UrgencyKey() string { return levelKey("urgency", p.Urgency) }

// ImpactKey names the impact in plain words.
func (p portalTicket) ImpactKey() string { return levelKey("impact", p.Impact) }

func levelKey(kind string, l ticket.Level) string {
	if l < ticket.High || l > ticket.Low {
		return "web.portal.level_unknown"
	}
	return "web.portal." + kind + "_" + strconv.Itoa(int(l))
}

// levels lists the three levels, highest first, for the urgency and impact choices.
var levels = []ticket.Level{ticket.High, ticket.Medium, ticket.Low}

// categoryOption is one choice of the category select: top-level categories are option groups.
type categoryOption struct {
	ID       int64
	Name     string
	Children []categoryOption
}

// categoryOptions turns the category tree into select groups in the page language, active
// categories only.
func categoryOptions(cats []*ticket.Category, lang string) []categoryOption {
	var out []categoryOption
	idx := map[int64]int{}
	for _, c := range cats {
		if !c.Active || c.ParentID != 0 {
			continue
		}
		idx[c.ID] = len(out)
		out = append(out, categoryOption{ID: c.ID, Name: c.Label(lang)})
	}
	for _, c := range cats {
		if i, ok := idx[c.ParentID]; ok && c.Active && c.ParentID != 0 {
			out[i].Children = append(out[i].Children, categoryOption{ID: c.ID, Name: c.Label(lang)})
		}
	}
	return out
}

// categoryNames maps category ids to "网络 › 无线网络" in the page language.
func categoryNames(cats []*ticket.Category, lang string) map[int64]string {
	byID := map[int64]*ticket.Category{}
	for _, c := range cats {
		byID[c.ID] = c
	}
	out := map[int64]string{}
	for _, c := range cats {
		name := c.Label(lang)
		if p := byID[c.ParentID]; p != nil {
			name = p.Label(lang) + " › " + name
		}
		out[c.ID] = name
	}
	return out
}

// myTicket loads a ticket of the signed-in requester. Anyone else's ticket does not exist here,
// even for staff who may see it in their queues: the portal is one's own requests.
func (h *Handler) myTicket(ctx context.Context, id int64) (*ticket.Ticket, error) {
	t, err := h.d.Tickets.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if a := actor.FromContext(ctx); a == nil || t.RequesterID != a.UserID {
		return nil, errs.E(errs.NotFound, "err.not_found")
	}
	return t, nil
}

// portalURL is the portal page of a ticket.
func portalURL(id int64) string { return "/my/tickets/" + strconv.FormatInt(id, 10) }

// trimForm returns a trimmed form value.
func trimForm(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
