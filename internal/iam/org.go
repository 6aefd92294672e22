package iam

import (
	"context"
	"strconv"
	"strings"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// OrgInput is what an administrator gives to create or edit an organisation unit.
type OrgInput struct {
	ParentID int64
	Name     string
	Code     string
	Kind     OrgKind
	Sort     int
}

func (in *OrgInput) check() error {
	in.Name, in.Code = strings.TrimSpace(in.Name), strings.TrimSpace(in.Code)
	var f errs.Fields
	f.Line("name", in.Name, 1, 64)
	if in.Code != "" && !codeRE.MatchString(in.Code) {
		f.Add("code", "err.code")
	}
	switch in.Kind {
	case OrgHQ, OrgBranch, OrgDept:
	default:
		f.Add("kind", "err.org.kind")
	}
	if in.Sort < 0 || in.Sort > 9999 {
		f.Add("sort", "err.out_of_range")
	}
	return f.Err()
}

// OrgUnits returns the actor's subtree of the organisation, in tree order.
func (s *Service) OrgUnits(ctx context.Context) ([]*OrgUnit, error) {
	a, err := s.need(ctx, PermOrgRead)
	if err != nil {
		return nil, err
	}
	return s.Store.OrgUnits(ctx, a.OrgPath)
}

// OrgUnit returns one unit in the actor's subtree.
func (s *Service) OrgUnit(ctx context.Context, id int64) (*OrgUnit, error) {
	a, err := s.need(ctx, PermOrgRead)
	if err != nil {
		return nil, err
	}
	ou, err := s.Store.OrgUnit(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.InScope(ou.Path) {
		return nil, errs.E(errs.NotFound, "err.not_found")
	}
	return ou, nil
}

// parentInScope checks that a new parent exists in the actor's subtree. Only a unit's own scope root
// may be a root, so an administrator of a branch cannot create a second headquarters.
func (s *Service) parentInScope(ctx context.Context, a *actor.Actor, parentID int64) (*OrgUnit, error) {
	if parentID == 0 {
		return nil, errs.E(errs.Invalid, "err.org.parent", errs.Field("parent_id", "err.required"))
	}
	p, err := s.Store.OrgUnit(ctx, parentID)
	if err != nil || !a.InScope(p.Path) {
		return nil, errs.E(errs.Invalid, "err.org.parent", errs.Field("parent_id", "err.org.unknown"))
	}
	return p, nil
}

// CreateOrgUnit adds a unit under a parent in the actor's subtree.
func (s *Service) CreateOrgUnit(ctx context.Context, in OrgInput) (*OrgUnit, error) {
	a, err := s.need(ctx, PermOrgManage)
	if err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	ou := &OrgUnit{ParentID: in.ParentID, Name: in.Name, Code: in.Code, Kind: in.Kind, Sort: in.Sort}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.parentInScope(ctx, a, in.ParentID); err != nil {
			return err
		}
		if err := s.Store.CreateOrgUnit(ctx, ou); err != nil {
			return err
		}
		return s.record(ctx, "org.create", "org_unit", ou.ID, nil, ou)
	})
	return ou, err
}

// UpdateOrgUnit renames or moves a unit. A unit cannot move under itself or its descendants.
func (s *Service) UpdateOrgUnit(ctx context.Context, id int64, version int, in OrgInput) (*OrgUnit, error) {
	a, err := s.need(ctx, PermOrgManage)
	if err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	var out *OrgUnit
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		ou, err := s.Store.OrgUnit(ctx, id)
		if err != nil || !a.InScope(ou.Path) {
			return errs.E(errs.NotFound, "err.not_found")
		}
		if ou.Version != version {
			return errs.E(errs.Conflict, "err.stale")
		}
		before := *ou
		oldPath := ou.Path
		if in.ParentID != ou.ParentID {
			if ou.Path == a.OrgPath {
				return errs.E(errs.Invalid, "err.org.move_root", errs.Field("parent_id", "err.org.move_root"))
			}
			p, err := s.parentInScope(ctx, a, in.ParentID)
			if err != nil {
				return err
			}
			if strings.HasPrefix(p.Path, ou.Path) {
				return errs.E(errs.Invalid, "err.org.cycle", errs.Field("parent_id", "err.org.cycle"))
			}
			ou.Path = p.Path + strconv.FormatInt(ou.ID, 10) + "/"
		}
		ou.ParentID, ou.Name, ou.Code, ou.Kind, ou.Sort = in.ParentID, in.Name, in.Code, in.Kind, in.Sort
		if err := s.Store.UpdateOrgUnit(ctx, ou, oldPath); err != nil {
			return err
		}
		out = ou
		return s.record(ctx, "org.update", "org_unit", id, before, ou)
	})
	return out, err
}

// DeleteOrgUnit removes a unit that has no sub-units and no users.
func (s *Service) DeleteOrgUnit(ctx context.Context, id int64) error {
	a, err := s.need(ctx, PermOrgManage)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		ou, err := s.Store.OrgUnit(ctx, id)
		if err != nil || !a.InScope(ou.Path) {
			return errs.E(errs.NotFound, "err.not_found")
		}
		if ou.Path == a.OrgPath {
			return errs.E(errs.Invalid, "err.org.delete_root")
		}
		children, users, err := s.Store.OrgUnitUsage(ctx, id)
		if err != nil {
			return err
		}
		if children > 0 || users > 0 {
			return errs.E(errs.Conflict, "err.org.not_empty")
		}
		if err := s.Store.DeleteOrgUnit(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, "org.delete", "org_unit", id, ou, nil)
	})
}
