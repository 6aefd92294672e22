package web

import (
	"net/http"

	"opsdesk/internal/iam"
	"opsdesk/internal/ticket"
)

// rulesPage lists the dispatch rules (派单规则) in the order they are tried: the first match picks
// the support group of a new ticket.
type rulesPage struct {
	basePage
	Rules      []*ticket.Rule
	Categories map[int64]string
	Groups     map[int64]string
}

// ChannelKey is the message key of a channel.
func (p *rulesPage) ChannelKey(c ticket.Channel) string { return channelKey(c) }

func channelKey(c ticket.Channel) string {
	if c == "" {
		return "web.tadmin.any"
	}
	return "web.tadmin.channel." + string(c)
}

func groupNames(groups []*iam.Group) map[int64]string {
	out := map[int64]string{}
	for _, g := range groups {
		out[g.ID] = g.Name
	}
	return out
}

// ruleList renders the rules.
func (h *Handler) ruleList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	rules, err := h.d.Tickets.DispatchRules(ctx)
	if err != nil {
		return err
	}
	cats, err := h.d.Tickets.Categories(ctx)
	if err != nil {
		return err
	}
	groups, err := h.d.IAM.Groups(ctx)
	if err != nil {
		return err
	}
	p := &rulesPage{basePage: h.base(r, "web.tadmin.rules"), Rules: rules, Groups: groupNames(groups)}
	p.Categories = categoryNames(cats, p.Lang)
	h.render(w, r, http.StatusOK, "ticketadmin/rules", p)
	return nil
}
