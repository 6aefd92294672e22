package ticket

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// QueueTabs are the queues of the agent workspace (工作台): one's own tickets, one's groups', the
// unassigned ones and the recently updated ones. A saved view starts from one of them.
var QueueTabs = []string{"mine", "group", "unassigned", "updated"}

// MaxViews bounds the views one person keeps: they are tabs, and a row of tabs has room for a few.
const MaxViews = 20

// View is a saved queue filter (保存的视图): an agent names the workspace's current filter and
// finds it again as a tab. Shared with a support group, the group's members see and use it too;
// only its owner renames or deletes it.
type View struct {
	ID           int64
	OwnerID      int64
	ShareGroupID int64 // 0: only the owner sees it
	Name         string
	Filter       ViewFilter
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ViewFilter is the workspace filter a view keeps, in the workspace's own terms: the view is applied
// by the actor who opens it, with that actor's visibility, so it never widens what anyone sees.
type ViewFilter struct {
	Tab        string   // one of QueueTabs
	Status     string   // "" open work, "all", or one Status
	Priority   Priority // 0 any
	Type       Type     // "" any
	GroupID    int64    // 0 any
	CategoryID int64    // 0 any
	Query      string   // full text, at most 100 characters
	Sort       Sort     // "" the tab's natural order
}

// check reports every field of f that is not a value the workspace knows.
func (f *ViewFilter) check(fe *errs.Fields) {
	f.Query = strings.TrimSpace(f.Query)
	if !slices.Contains(QueueTabs, f.Tab) {
		fe.Add("tab", "err.ticket.view_tab")
	}
	if f.Status != "" && f.Status != "all" && !slices.Contains(Statuses, Status(f.Status)) {
		fe.Add("status", "err.ticket.view_status")
	}
	if f.Priority < 0 || f.Priority > 4 {
		fe.Add("priority", "err.ticket.view_priority")
	}
	if f.Type != "" && !slices.Contains(Types, f.Type) {
		fe.Add("type", "err.ticket.type")
	}
	if f.Sort != "" && f.Sort != ByPriority && f.Sort != ByNewest && f.Sort != ByUpdated {
		fe.Add("sort", "err.ticket.view_sort")
	}
	if f.GroupID < 0 {
		fe.Add("group_id", "err.group.unknown")
	}
	if f.CategoryID < 0 {
		fe.Add("category_id", "err.ticket.category")
	}
	fe.Line("q", f.Query, 0, 100)
}

// canQueue: whoever has the workspace (staff who work, supervise or log tickets) keeps views.
func canQueue(a *actor.Actor) bool {
	return a != nil && a.UserID != 0 &&
		(a.Can(PermWork) || a.Can(PermManage) || a.Can(PermWorkAssigned) || a.Can(PermIntake))
}

func queueActor(ctx context.Context) (*actor.Actor, error) {
	a := actor.FromContext(ctx)
	switch {
	case a == nil || a.UserID == 0:
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	case !canQueue(a):
		return nil, errs.E(errs.Forbidden, "err.forbidden")
	}
	return a, nil
}

// Views lists the actor's views and those shared with a group the actor belongs to, oldest first.
func (s *Service) Views(ctx context.Context) ([]*View, error) {
	a, err := queueActor(ctx)
	if err != nil {
		return nil, err
	}
	return s.Store.Views(ctx, a.UserID)
}

// view loads a view the actor sees; one they do not see does not exist for them.
func (s *Service) view(ctx context.Context, a *actor.Actor, id int64) (*View, error) {
	vs, err := s.Store.Views(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		if v.ID == id {
			return v, nil
		}
	}
	return nil, errs.E(errs.NotFound, "err.not_found")
}

// CreateView saves a filter under a name for the actor, shared with one of the actor's support
// groups when ShareGroupID is set.
func (s *Service) CreateView(ctx context.Context, v *View) error {
	a, err := queueActor(ctx)
	if err != nil {
		return err
	}
	v.Name = strings.TrimSpace(v.Name)
	var fe errs.Fields
	fe.Line("name", v.Name, 1, 40)
	v.Filter.check(&fe)
	if err := fe.Err(); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.checkViewRefs(ctx, a, v); err != nil {
			return err
		}
		mine, err := s.Store.Views(ctx, a.UserID)
		if err != nil {
			return err
		}
		n := 0
		for _, x := range mine {
			if x.OwnerID == a.UserID {
				n++
			}
		}
		if n >= MaxViews {
			return errs.E(errs.Invalid, "err.ticket.view_limit", errs.Field("name", "err.ticket.view_limit"))
		}
		now := s.Now()
		v.ID, v.OwnerID, v.CreatedAt, v.UpdatedAt = 0, a.UserID, now, now
		if err := s.Store.SaveView(ctx, v); err != nil {
			return viewErr(err)
		}
		return s.recordTarget(ctx, "ticket.view.create", "ticket_view", strconv.FormatInt(v.ID, 10), nil, v)
	})
}

// checkViewRefs checks the ids a view names: the group it is shared with must be one of the actor's,
// and the group and category it filters on must exist.
func (s *Service) checkViewRefs(ctx context.Context, a *actor.Actor, v *View) error {
	if v.ShareGroupID != 0 {
		g, err := s.Directory.Group(ctx, v.ShareGroupID)
		if err != nil || !slices.Contains(g.Members, a.UserID) {
			return errs.E(errs.Invalid, "err.ticket.view_share", errs.Field("share_group_id", "err.ticket.view_share"))
		}
	}
	if id := v.Filter.GroupID; id != 0 {
		if _, err := s.Directory.Group(ctx, id); err != nil {
			return errs.E(errs.Invalid, "err.group.unknown", errs.Field("group_id", "err.group.unknown"))
		}
	}
	if id := v.Filter.CategoryID; id != 0 {
		if _, err := s.Store.Category(ctx, id); err != nil {
			return errs.E(errs.Invalid, "err.ticket.category", errs.Field("category_id", "err.ticket.category"))
		}
	}
	return nil
}

// viewErr places a taken name next to the name field.
func viewErr(err error) error {
	if errs.KindOf(err) == errs.Conflict {
		return errs.E(errs.Conflict, "err.ticket.view_exists", errs.Field("name", "err.ticket.view_exists"), err)
	}
	return err
}

// RenameView gives one of the actor's own views a new name.
func (s *Service) RenameView(ctx context.Context, id int64, name string) (*View, error) {
	a, err := queueActor(ctx)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	var fe errs.Fields
	fe.Line("name", name, 1, 40)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var out *View
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		v, err := s.ownView(ctx, a, id)
		if err != nil {
			return err
		}
		before := *v
		v.Name, v.UpdatedAt = name, s.Now()
		if err := s.Store.SaveView(ctx, v); err != nil {
			return viewErr(err)
		}
		out = v
		return s.recordTarget(ctx, "ticket.view.rename", "ticket_view", strconv.FormatInt(v.ID, 10), before, v)
	})
	return out, err
}

// DeleteView removes one of the actor's own views.
func (s *Service) DeleteView(ctx context.Context, id int64) error {
	a, err := queueActor(ctx)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		v, err := s.ownView(ctx, a, id)
		if err != nil {
			return err
		}
		if err := s.Store.DeleteView(ctx, v.ID); err != nil {
			return err
		}
		return s.recordTarget(ctx, "ticket.view.delete", "ticket_view", strconv.FormatInt(v.ID, 10), v, nil)
	})
}

// ownView loads a view for a change: members of the group a view is shared with see it but may not
// change it (403); anyone else does not see it at all (404).
func (s *Service) ownView(ctx context.Context, a *actor.Actor, id int64) (*View, error) {
	v, err := s.view(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if v.OwnerID != a.UserID {
		return nil, errs.E(errs.Forbidden, "err.ticket.view_owner")
	}
	return v, nil
}
