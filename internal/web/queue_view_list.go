package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"opsdesk/internal/actor"
	"opsdesk/internal/iam"
	"opsdesk/internal/ticket"
)

// queueViewsPage manages the saved views (保存的视图): one's own can be renamed and deleted, those
// a colleague shared with one's group are listed for use. Form says which form came back with
// problems: "create" (the workspace's save form, shown here with the filter it tried to save) or
// "rename"; Failed is the view whose rename failed.
type queueViewsPage struct {
	basePage
	*ticketLookup
	Views       []*ticket.View
	Me          int64
	ShareGroups []*iam.Group
	Form        string
	Failed      int64
	New         ticket.View // the view the create form tried to save
	V           url.Values
}

// viewFilterFields are the form names of a view's filter, with the field names the service reports
// problems under and their labels.
var viewFilterFields = []struct{ form, field, label string }{
	{"tab", "tab", "web.queue.tabs"}, {"status", "status", "web.common.status"}, {"priority", "priority", "web.ticket.priority"},
	{"type", "type", "web.ticket.type"}, {"group", "group_id", "web.ticket.group"}, {"category", "category_id", "web.ticket.category"},
	{"q", "q", "web.queue.search"}, {"sort", "sort", "web.queue.sort"},
}

// sortKeys name the sort orders a view may keep.
var sortKeys = map[ticket.Sort]string{ticket.ByPriority: "web.queue.sort_priority", ticket.ByNewest: "web.queue.sort_newest",
	ticket.ByUpdated: "web.queue.sort_updated"}

type hiddenField struct{ Name, Value string }

// Hidden carries the filter the create form tried to save into the next attempt, as typed.
func (p *queueViewsPage) Hidden() []hiddenField {
	var out []hiddenField
	for _, f := range viewFilterFields {
		out = append(out, hiddenField{f.form, p.V.Get(f.form)})
	}
	return out
}

type filterProblem struct{ Label, Message string }

// FilterProblems are the problems of the filter's fields, which the create form cannot show beside
// an input because it keeps them hidden.
func (p *queueViewsPage) FilterProblems() []filterProblem {
	var out []filterProblem
	for _, f := range viewFilterFields {
		k := p.Errors[f.field]
		if k == "" {
			k = p.Errors[f.form] // a number the form could not read
		}
		if k != "" {
			out = append(out, filterProblem{f.label, k})
		}
	}
	return out
}

// URL is the workspace with a view's filter.
func (p *queueViewsPage) URL(v *ticket.View) string { return filterOfView(v).URL("", "") }

// Describe is a view's filter in words: its tab and every condition it sets.
func (p *queueViewsPage) Describe(f ticket.ViewFilter) string {
	if p.ticketLookup == nil || p.tr == nil {
		return f.Tab
	}
	parts := []string{p.tr("web.queue.tab." + f.Tab)}
	switch f.Status {
	case "":
	case "all":
		parts = append(parts, p.tr("web.queue.view_all_statuses"))
	default:
		parts = append(parts, p.tr("web.ticket.status."+f.Status))
	}
	if f.Priority != 0 {
		parts = append(parts, fmt.Sprintf("P%d", f.Priority))
	}
	if f.Type != "" {
		parts = append(parts, p.tr("web.ticket.type."+string(f.Type)))
	}
	if f.GroupID != 0 {
		parts = append(parts, p.GroupName(f.GroupID))
	}
	if f.CategoryID != 0 {
		parts = append(parts, p.Category(f.CategoryID))
	}
	if f.Query != "" {
		parts = append(parts, "“"+f.Query+"”")
	}
	if k := sortKeys[f.Sort]; k != "" {
		parts = append(parts, p.tr(k))
	}
	return strings.Join(parts, " · ")
}

func (h *Handler) newQueueViewsPage(r *http.Request) (*queueViewsPage, error) {
	ctx := r.Context()
	l, err := h.lookup(ctx, langOf(r))
	if err != nil {
		return nil, err
	}
	views, err := h.d.Tickets.Views(ctx)
	if err != nil {
		return nil, err
	}
	a := actor.FromContext(ctx)
	p := &queueViewsPage{basePage: h.base(r, "web.queue.views_title"), ticketLookup: l, Views: views, Me: a.UserID, V: url.Values{}}
	for _, id := range l.myGroups(a.UserID) {
		if g := l.Group(id); g != nil {
			p.ShareGroups = append(p.ShareGroups, g)
		}
	}
	return p, nil
}

// queueViewList shows the saved views.
func (h *Handler) queueViewList(w http.ResponseWriter, r *http.Request) error {
	p, err := h.newQueueViewsPage(r)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "queue/views", p)
	return nil
}
