package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/ticket"
)

// queuePageSize is how many tickets one page of a queue shows.
const queuePageSize = 50

// queueTabs are the agent workspace's queues (工作台).
var queueTabs = []string{"mine", "group", "unassigned", "updated"}

// queuePage is the agent workspace: queues as tabs, filters, bulk actions. The table is a partial
// (queue/_table.tmpl) that htmx replaces as the filters change and refreshes every 30 s.
type queuePage struct {
	basePage
	*ticketLookup
	Filter    queueFilter
	Tabs      []string
	Rows      []*ticket.Ticket
	MoreURL   string
	More      bool // this response is a further page, appended to the table
	CanAssign bool
	CanWork   bool
	CanIntake bool
	Statuses  []ticket.Status
	Types     []ticket.Type
	Now       time.Time // for the time left of each SLA due time

	queueViews // saved views and tab counts (queue_view_tabs.go)
}

// queueFilter is the query of the workspace, kept in the URL so that a queue can be bookmarked.
type queueFilter struct {
	Tab      string
	Status   string // "" open, "all", or one status
	Priority int
	Type     string
	Group    int64
	Category int64
	Q        string
	Sort     string
	SLA      string // "breaching": open tickets due within ticket.DefaultBreaching or late (即将超时)
	After    string
}

func readQueueFilter(r *http.Request, a *actor.Actor) queueFilter {
	q := r.URL.Query()
	f := queueFilter{Tab: q.Get("tab"), Status: q.Get("status"), Type: q.Get("type"), Q: strings.TrimSpace(q.Get("q")),
		Sort: q.Get("sort"), SLA: q.Get("sla"), After: q.Get("after")}
	if f.SLA != "breaching" {
		f.SLA = ""
	}
	if !slices.Contains(queueTabs, f.Tab) || !a.Can(ticket.PermWork) && !a.Can(ticket.PermManage) {
		f.Tab = "mine"
	}
	f.Priority, _ = strconv.Atoi(q.Get("priority"))
	if f.Priority < 1 || f.Priority > 4 {
		f.Priority = 0
	}
	f.Group, _ = strconv.ParseInt(q.Get("group"), 10, 64)
	f.Category, _ = strconv.ParseInt(q.Get("category"), 10, 64)
	if f.Status != "all" && !slices.Contains(ticket.Statuses, ticket.Status(f.Status)) {
		f.Status = ""
	}
	if !slices.Contains(ticket.Types, ticket.Type(f.Type)) {
		f.Type = ""
	}
	if !slices.Contains([]ticket.Sort{ticket.ByNewest, ticket.ByUpdated, ticket.ByPriority, ticket.BySLA}, ticket.Sort(f.Sort)) {
		f.Sort = ""
	}
	if len([]rune(f.Q)) > 100 {
		f.Q = string([]rune(f.Q)[:100])
	}
	return f
}

// URL is the workspace with this filter; tab overrides the tab when set, and after continues a page.
func (f queueFilter) URL(tab, after string) string {
	v := url.Values{}
	if tab == "" {
		tab = f.Tab
	} else {
		f = queueFilter{Tab: tab} // a tab switch starts from a clean filter
	}
	set := func(k, val string) {
		if val != "" && val != "0" {
			v.Set(k, val)
		}
	}
	set("tab", tab)
	set("status", f.Status)
	set("priority", strconv.Itoa(f.Priority))
	set("type", f.Type)
	set("group", strconv.FormatInt(f.Group, 10))
	set("category", strconv.FormatInt(f.Category, 10))
	set("q", f.Q)
	set("sort", f.Sort)
	set("sla", f.SLA)
	set("after", after)
	return "/tickets?" + v.Encode()
}

// SLA is the 时限 cell of a row.
func (p *queuePage) SLA(t *ticket.Ticket) *slaCell { return ticketSLA(t, p.Now) }

// sort is the order of the queue: the tab's natural order unless the user chose one.
func (f queueFilter) sort() ticket.Sort {
	switch {
	case f.Sort != "":
		return ticket.Sort(f.Sort)
	case f.Tab == "updated":
		return ticket.ByUpdated
	}
	return ticket.ByPriority
}

// ticketList renders the workspace, only its table for an htmx filter or poll request, or only the
// further rows for the "more" button.
func (h *Handler) ticketList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := actor.FromContext(ctx)
	f := readQueueFilter(r, a)
	l, err := h.lookup(ctx, langOf(r))
	if err != nil {
		return err
	}
	tf := queueTicketFilter(f, a, l)
	rows, next, err := h.page(r, tf)
	if err != nil {
		return err
	}
	p := &queuePage{basePage: h.base(r, "web.queue.title"), ticketLookup: l, Filter: f, Tabs: queueTabs, Rows: rows,
		CanAssign: a.Can(ticket.PermAssign) || a.Can(ticket.PermManage), CanWork: a.Can(ticket.PermWork) || a.Can(ticket.PermManage),
		CanIntake: a.Can(ticket.PermIntake), Statuses: ticket.Statuses, Types: ticket.Types, Now: h.d.Tickets.Now()}
	if !p.CanWork {
		p.Tabs = queueTabs[:1]
	}
	if next != nil {
		p.MoreURL = f.URL("", encodeCursor(next))
	}
	if isHTMX(r) && f.After != "" {
		p.More = true
		h.fragment(w, r, http.StatusOK, "queue/list", "queue_more", p)
		return nil
	}
	if isHTMX(r) && r.Header.Get("HX-Target") == "queue-table" {
		h.fragment(w, r, http.StatusOK, "queue/list", "queue_table", p)
		return nil
	}
	if err := h.loadQueueViews(r, p); err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "queue/list", p)
	return nil
}

// queueTicketFilter maps the workspace's filter to the ticket filter of its list; the export of the
// workspace (queue_export.go) uses it too, so that a download holds what the queue shows.
func queueTicketFilter(f queueFilter, a *actor.Actor, l *ticketLookup) ticket.Filter {
	tf := ticket.Filter{Priority: ticket.Priority(f.Priority), Type: ticket.Type(f.Type), GroupID: f.Group,
		CategoryID: f.Category, Query: f.Q, Sort: f.sort(), After: decodeCursor(f.After)}
	if f.SLA == "breaching" {
		tf.Breaching = ticket.DefaultBreaching
	}
	switch f.Status {
	case "":
		if f.Tab != "updated" {
			tf.Statuses = openStatuses
		}
	case "all":
	default:
		tf.Statuses = []ticket.Status{ticket.Status(f.Status)}
	}
	switch f.Tab {
	case "mine":
		tf.AssigneeID = a.UserID
	case "group":
		mine := l.myGroups(a.UserID)
		switch {
		case f.Group != 0 && !slices.Contains(mine, f.Group):
			mine = []int64{-1} // not a group of mine: nothing
		case f.Group != 0:
			mine = []int64{f.Group}
		case len(mine) == 0:
			mine = []int64{-1}
		}
		tf.GroupIDs = mine
	case "unassigned":
		tf.Unassigned = true
	}
	return tf
}

// page reads one page of the queue and the cursor of the next (nil at the end): it asks for one row
// more than it shows to know whether there is a next page.
func (h *Handler) page(r *http.Request, f ticket.Filter) ([]*ticket.Ticket, *ticket.Cursor, error) {
	f.Limit = queuePageSize + 1
	list, err := h.d.Tickets.List(r.Context(), f)
	if err != nil || len(list) <= queuePageSize {
		return list, nil, err
	}
	list = list[:queuePageSize]
	return list, list[len(list)-1].Cursor(), nil
}
