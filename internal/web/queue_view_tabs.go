package web

import (
	"net/http"
	"slices"
	"strconv"

	"opsdesk/internal/actor"
	"opsdesk/internal/iam"
	"opsdesk/internal/ticket"
)

// countedTabs are the open-work queues whose size the tab labels show. Each is one COUNT over an
// open-ticket index; "updated" is every ticket and is not counted.
var countedTabs = []string{"mine", "group", "unassigned"}

// queueViews is what the workspace adds to its tabs: the open-work counts, the saved views (保存的
// 视图) as further tabs, and the form that saves the current filter.
type queueViews struct {
	Counts      map[string]int
	Views       []viewTab
	ActiveView  int64
	ShareGroups []*iam.Group // the actor's groups, to share a new view with
}

// viewTab is a saved view as a workspace tab.
type viewTab struct {
	ID     int64
	Name   string
	URL    string
	Shared bool // shared with a group (by the actor or with the actor)
	Mine   bool
}

// Count is the size of an open-work tab, "" for a tab that is not counted.
func (q queueViews) Count(tab string) string {
	n, ok := q.Counts[tab]
	if !ok {
		return ""
	}
	return strconv.Itoa(n)
}

// BaseActive reports whether a built-in tab is the current one: a saved view that matches the
// filter takes the highlight.
func (p *queuePage) BaseActive(tab string) bool { return p.ActiveView == 0 && p.Filter.Tab == tab }

// loadQueueViews fills the saved views and the tab counts of a full workspace page (not of the table
// that htmx refreshes every 30 s, so that polling stays one query).
func (h *Handler) loadQueueViews(r *http.Request, p *queuePage) error {
	ctx := r.Context()
	a := actor.FromContext(ctx)
	views, err := h.d.Tickets.Views(ctx)
	if err != nil {
		return err
	}
	cur := p.Filter
	cur.After = ""
	for _, v := range views {
		f := filterOfView(v)
		p.Views = append(p.Views, viewTab{ID: v.ID, Name: v.Name, URL: f.URL("", ""), Shared: v.ShareGroupID != 0,
			Mine: v.OwnerID == a.UserID})
		if f == cur && p.ActiveView == 0 {
			p.ActiveView = v.ID
		}
	}
	mine := p.myGroups(a.UserID)
	for _, id := range mine {
		if g := p.Group(id); g != nil {
			p.ShareGroups = append(p.ShareGroups, g)
		}
	}
	p.Counts = map[string]int{}
	for _, tab := range countedTabs {
		if !slices.Contains(p.Tabs, tab) {
			continue
		}
		f := ticket.Filter{Statuses: openStatuses}
		switch tab {
		case "mine":
			f.AssigneeID = a.UserID
		case "group":
			if len(mine) == 0 {
				p.Counts[tab] = 0
				continue
			}
			f.GroupIDs = mine
		case "unassigned":
			f.Unassigned = true
		}
		n, err := h.d.Tickets.Count(ctx, f)
		if err != nil {
			return err
		}
		p.Counts[tab] = n
	}
	return nil
}

// filterOfView is a saved view as the workspace's URL filter.
func filterOfView(v *ticket.View) queueFilter {
	f := v.Filter
	return queueFilter{Tab: f.Tab, Status: f.Status, Priority: int(f.Priority), Type: string(f.Type), Group: f.GroupID,
		Category: f.CategoryID, Q: f.Query, Sort: string(f.Sort)}
}
