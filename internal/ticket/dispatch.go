package ticket

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// Rule routes new tickets to a support group (派单规则). Empty conditions match anything; a rule
// without conditions is the default. Rules are tried in Sort order; the first match wins.
type Rule struct {
	ID         int64
	Sort       int
	Name       string
	CategoryID int64   // the ticket's category or one of its children
	Channel    Channel // "" for any
	Location   string  // substring of the ticket's location
	Keyword    string  // substring of subject or description
	GroupID    int64
	Active     bool
	Version    int
}

// Matches reports whether the rule applies to t; parentOf gives a category's parent.
func (r *Rule) Matches(t *Ticket, parentOf func(int64) int64) bool {
	if !r.Active {
		return false
	}
	if r.CategoryID != 0 && t.CategoryID != r.CategoryID && parentOf(t.CategoryID) != r.CategoryID {
		return false
	}
	if r.Channel != "" && t.Channel != r.Channel {
		return false
	}
	if r.Location != "" && !strings.Contains(t.Location, r.Location) {
		return false
	}
	kw := strings.ToLower(r.Keyword)
	if kw != "" && !strings.Contains(strings.ToLower(t.Subject), kw) && !strings.Contains(strings.ToLower(t.Description), kw) {
		return false
	}
	return true
}

// Group is what dispatch needs of a support group.
type Group struct {
	ID        int64
	Tier      int
	ManagerID int64
	Members   []int64 // active members only
}

// route picks the group for a new ticket from the rules, or 0 when none matches.
func (s *Service) route(ctx context.Context, t *Ticket) (int64, error) {
	rules, err := s.Store.DispatchRules(ctx)
	if err != nil {
		return 0, err
	}
	cats, err := s.Store.Categories(ctx)
	if err != nil {
		return 0, err
	}
	parent := map[int64]int64{}
	for _, c := range cats {
		parent[c.ID] = c.ParentID
	}
	for _, r := range rules {
		if r.Matches(t, func(id int64) int64 { return parent[id] }) {
			return r.GroupID, nil
		}
	}
	return 0, nil
}

// leastLoaded picks the member with the fewest open tickets; ties go to the lowest id, so that
// assignments spread in turn (load-aware round robin). 0 when the group has no active member.
func (s *Service) leastLoaded(ctx context.Context, g *Group) (int64, error) {
	if len(g.Members) == 0 {
		return 0, nil
	}
	load, err := s.Store.OpenLoad(ctx, g.Members)
	if err != nil {
		return 0, err
	}
	members := slices.Clone(g.Members)
	slices.Sort(members)
	best := members[0]
	for _, m := range members[1:] {
		if load[m] < load[best] {
			best = m
		}
	}
	return best, nil
}

// SaveRule creates (ID 0) or edits a dispatch rule.
func (s *Service) SaveRule(ctx context.Context, r *Rule) error {
	if !actor.FromContext(ctx).Can(PermConfigure) {
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	r.Name, r.Location, r.Keyword = strings.TrimSpace(r.Name), strings.TrimSpace(r.Location), strings.TrimSpace(r.Keyword)
	var f errs.Fields
	f.Text("name", r.Name, 1, 64)
	f.Text("location", r.Location, 0, 64)
	f.Text("keyword", r.Keyword, 0, 64)
	if r.Channel != "" && !slices.Contains(Channels, r.Channel) {
		f.Add("channel", "err.ticket.channel")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.Directory.Group(ctx, r.GroupID); err != nil {
			return errs.E(errs.Invalid, "err.group.unknown", errs.Field("group_id", "err.group.unknown"))
		}
		if err := s.checkCategory(ctx, r.CategoryID); err != nil {
			return err
		}
		if err := s.Store.SaveRule(ctx, r); err != nil {
			return err
		}
		return s.recordTarget(ctx, "ticket.rule", "dispatch_rule", strconv.FormatInt(r.ID, 10), nil, r)
	})
}

// DeleteRule removes a dispatch rule.
func (s *Service) DeleteRule(ctx context.Context, id int64) error {
	if !actor.FromContext(ctx).Can(PermConfigure) {
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.DeleteRule(ctx, id); err != nil {
			return err
		}
		return s.recordTarget(ctx, "ticket.rule_delete", "dispatch_rule", strconv.FormatInt(id, 10), nil, nil)
	})
}

// DispatchRules lists the rules in the order they are tried.
func (s *Service) DispatchRules(ctx context.Context) ([]*Rule, error) {
	a := actor.FromContext(ctx)
	if !a.Can(PermConfigure) && !a.Can(PermAssign) {
		return nil, errs.E(errs.Forbidden, "err.forbidden")
	}
	return s.Store.DispatchRules(ctx)
}
