package api

import (
	"context"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/iam"
)

func toOrgUnit(ou *iam.OrgUnit) apigen.OrgUnit {
	return apigen.OrgUnit{Id: ou.ID, ParentId: ou.ParentID, Name: ou.Name, Code: ou.Code,
		Kind: apigen.OrgKind(ou.Kind), Path: ou.Path, Sort: ou.Sort, Version: ou.Version}
}

// ListOrgUnits returns the caller's subtree of the organisation.
func (s *server) ListOrgUnits(ctx context.Context, _ apigen.ListOrgUnitsRequestObject) (apigen.ListOrgUnitsResponseObject, error) {
	units, err := s.d.IAM.OrgUnits(ctx)
	if err != nil {
		return nil, err
	}
	out := apigen.ListOrgUnits200JSONResponse{Items: make([]apigen.OrgUnit, len(units))}
	for i, ou := range units {
		out.Items[i] = toOrgUnit(ou)
	}
	return out, nil
}

// CreateOrgUnit adds a unit.
func (s *server) CreateOrgUnit(ctx context.Context, req apigen.CreateOrgUnitRequestObject) (apigen.CreateOrgUnitResponseObject, error) {
	b := req.Body
	ou, err := s.d.IAM.CreateOrgUnit(ctx, iam.OrgInput{ParentID: b.ParentId, Name: b.Name, Code: or(b.Code, ""),
		Kind: iam.OrgKind(b.Kind), Sort: or(b.Sort, 0)})
	if err != nil {
		return nil, err
	}
	return apigen.CreateOrgUnit201JSONResponse(toOrgUnit(ou)), nil
}

// GetOrgUnit returns one unit, with the version as ETag.
func (s *server) GetOrgUnit(ctx context.Context, req apigen.GetOrgUnitRequestObject) (apigen.GetOrgUnitResponseObject, error) {
	ou, err := s.d.IAM.OrgUnit(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return apigen.GetOrgUnit200JSONResponse{Body: toOrgUnit(ou), Headers: apigen.GetOrgUnit200ResponseHeaders{ETag: etag(ou.Version)}}, nil
}

// UpdateOrgUnit renames or moves a unit; the fields left out keep their values.
func (s *server) UpdateOrgUnit(ctx context.Context, req apigen.UpdateOrgUnitRequestObject) (apigen.UpdateOrgUnitResponseObject, error) {
	b := req.Body
	version, err := versionOf(req.Params.IfMatch, b.Version)
	if err != nil {
		return nil, err
	}
	cur, err := s.d.IAM.OrgUnit(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	ou, err := s.d.IAM.UpdateOrgUnit(ctx, req.Id, version, iam.OrgInput{
		ParentID: or(b.ParentId, cur.ParentID), Name: or(b.Name, cur.Name), Code: or(b.Code, cur.Code),
		Kind: iam.OrgKind(or(b.Kind, apigen.OrgKind(cur.Kind))), Sort: or(b.Sort, cur.Sort),
	})
	if err != nil {
		return nil, err
	}
	return apigen.UpdateOrgUnit200JSONResponse{Body: toOrgUnit(ou), Headers: apigen.UpdateOrgUnit200ResponseHeaders{ETag: etag(ou.Version)}}, nil
}

// DeleteOrgUnit removes an empty unit.
func (s *server) DeleteOrgUnit(ctx context.Context, req apigen.DeleteOrgUnitRequestObject) (apigen.DeleteOrgUnitResponseObject, error) {
	if err := s.d.IAM.DeleteOrgUnit(ctx, req.Id); err != nil {
		return nil, err
	}
	return apigen.DeleteOrgUnit204Response{}, nil
}
