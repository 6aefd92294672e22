package iam

import (
	"context"
	"slices"
	"strings"

	"opsdesk/internal/errs"
)

// GroupInput is what an administrator gives to create or edit a support group.
type GroupInput struct {
	Name, Code, Description string
	Tier                    Tier
	ManagerID, OrgUnitID    int64
	MemberIDs               []int64
}

func (in *GroupInput) check() error {
	in.Name, in.Code, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Code), strings.TrimSpace(in.Description)
	in.MemberIDs = slices.Compact(slices.Sorted(slices.Values(in.MemberIDs)))
	var f errs.Fields
	f.Line("name", in.Name, 1, 64)
	f.Line("description", in.Description, 0, 500)
	if !codeRE.MatchString(in.Code) {
		f.Add("code", "err.code")
	}
	if in.Tier < 1 || in.Tier > 3 {
		f.Add("tier", "err.group.tier")
	}
	if len(in.MemberIDs) > 1000 {
		f.Add("member_ids", "err.too_long")
	}
	return f.Err()
}

// checkRefs verifies that the manager and members exist, so that a typo gives a field error rather
// than a foreign-key failure.
func (s *Service) checkRefs(ctx context.Context, in GroupInput) error {
	var f errs.Fields
	if in.ManagerID != 0 {
		if _, err := s.Store.User(ctx, in.ManagerID); err != nil {
			f.Add("manager_id", "err.user.unknown")
		}
	}
	if in.OrgUnitID != 0 {
		if _, err := s.Store.OrgUnit(ctx, in.OrgUnitID); err != nil {
			f.Add("org_unit_id", "err.org.unknown")
		}
	}
	for _, id := range in.MemberIDs {
		if _, err := s.Store.User(ctx, id); err != nil {
			f.Add("member_ids", "err.user.unknown")
			break
		}
	}
	return f.Err()
}

// Groups lists the support groups.
func (s *Service) Groups(ctx context.Context) ([]*Group, error) {
	if _, err := s.need(ctx, PermGroupRead); err != nil {
		return nil, err
	}
	return s.Store.Groups(ctx)
}

// Group returns one support group.
func (s *Service) Group(ctx context.Context, id int64) (*Group, error) {
	if _, err := s.need(ctx, PermGroupRead); err != nil {
		return nil, err
	}
	return s.Store.Group(ctx, id)
}

// CreateGroup creates a support group with its tier, manager and members.
func (s *Service) CreateGroup(ctx context.Context, in GroupInput) (*Group, error) {
	if _, err := s.need(ctx, PermGroupManage); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	g := &Group{Name: in.Name, Code: in.Code, Tier: in.Tier, ManagerID: in.ManagerID, OrgUnitID: in.OrgUnitID,
		Description: in.Description, MemberIDs: in.MemberIDs}
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.checkRefs(ctx, in); err != nil {
			return err
		}
		if err := s.Store.CreateGroup(ctx, g); err != nil {
			return err
		}
		return s.record(ctx, "group.create", "group", g.ID, nil, g)
	})
	if err != nil {
		return nil, err
	}
	return s.Store.Group(ctx, g.ID)
}

// UpdateGroup edits a support group; version must be the one the editor saw.
func (s *Service) UpdateGroup(ctx context.Context, id int64, version int, in GroupInput) (*Group, error) {
	if _, err := s.need(ctx, PermGroupManage); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		g, err := s.Store.Group(ctx, id)
		if err != nil {
			return err
		}
		if g.Version != version {
			return errs.E(errs.Conflict, "err.stale")
		}
		if err := s.checkRefs(ctx, in); err != nil {
			return err
		}
		before := *g
		g.Name, g.Code, g.Tier, g.ManagerID, g.OrgUnitID = in.Name, in.Code, in.Tier, in.ManagerID, in.OrgUnitID
		g.Description, g.MemberIDs = in.Description, in.MemberIDs
		if err := s.Store.UpdateGroup(ctx, g); err != nil {
			return err
		}
		return s.record(ctx, "group.update", "group", id, before, g)
	})
	if err != nil {
		return nil, err
	}
	return s.Store.Group(ctx, id)
}

// DeleteGroup removes a support group.
func (s *Service) DeleteGroup(ctx context.Context, id int64) error {
	if _, err := s.need(ctx, PermGroupManage); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		g, err := s.Store.Group(ctx, id)
		if err != nil {
			return err
		}
		if err := s.Store.DeleteGroup(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, "group.delete", "group", id, g, nil)
	})
}
