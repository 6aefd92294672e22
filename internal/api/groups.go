package api

import (
	"context"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/iam"
)

func toGroup(g *iam.Group) apigen.Group {
	return apigen.Group{Id: g.ID, Name: g.Name, Code: g.Code, Tier: apigen.Tier(g.Tier), ManagerId: g.ManagerID,
		ManagerName: g.ManagerName, OrgUnitId: g.OrgUnitID, Description: g.Description,
		MemberIds: orEmpty(g.MemberIDs), Version: g.Version}
}

// ListGroups lists the support groups.
func (s *server) ListGroups(ctx context.Context, _ apigen.ListGroupsRequestObject) (apigen.ListGroupsResponseObject, error) {
	gs, err := s.d.IAM.Groups(ctx)
	if err != nil {
		return nil, err
	}
	out := apigen.ListGroups200JSONResponse{Items: make([]apigen.Group, len(gs))}
	for i, g := range gs {
		out.Items[i] = toGroup(g)
	}
	return out, nil
}

// CreateGroup creates a support group.
func (s *server) CreateGroup(ctx context.Context, req apigen.CreateGroupRequestObject) (apigen.CreateGroupResponseObject, error) {
	b := req.Body
	g, err := s.d.IAM.CreateGroup(ctx, iam.GroupInput{Name: b.Name, Code: b.Code, Tier: iam.Tier(b.Tier),
		ManagerID: or(b.ManagerId, 0), OrgUnitID: or(b.OrgUnitId, 0), Description: or(b.Description, ""),
		MemberIDs: or(b.MemberIds, nil)})
	if err != nil {
		return nil, err
	}
	return apigen.CreateGroup201JSONResponse(toGroup(g)), nil
}

// GetGroup returns one support group, with the version as ETag.
func (s *server) GetGroup(ctx context.Context, req apigen.GetGroupRequestObject) (apigen.GetGroupResponseObject, error) {
	g, err := s.d.IAM.Group(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return apigen.GetGroup200JSONResponse{Body: toGroup(g), Headers: apigen.GetGroup200ResponseHeaders{ETag: etag(g.Version)}}, nil
}

// UpdateGroup edits a support group; the fields left out keep their values.
func (s *server) UpdateGroup(ctx context.Context, req apigen.UpdateGroupRequestObject) (apigen.UpdateGroupResponseObject, error) {
	b := req.Body
	version, err := versionOf(req.Params.IfMatch, b.Version)
	if err != nil {
		return nil, err
	}
	cur, err := s.d.IAM.Group(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	g, err := s.d.IAM.UpdateGroup(ctx, req.Id, version, iam.GroupInput{
		Name: or(b.Name, cur.Name), Code: or(b.Code, cur.Code), Tier: iam.Tier(or(b.Tier, apigen.Tier(cur.Tier))),
		ManagerID: or(b.ManagerId, cur.ManagerID), OrgUnitID: or(b.OrgUnitId, cur.OrgUnitID),
		Description: or(b.Description, cur.Description), MemberIDs: or(b.MemberIds, cur.MemberIDs),
	})
	if err != nil {
		return nil, err
	}
	return apigen.UpdateGroup200JSONResponse{Body: toGroup(g), Headers: apigen.UpdateGroup200ResponseHeaders{ETag: etag(g.Version)}}, nil
}

// DeleteGroup removes a support group.
func (s *server) DeleteGroup(ctx context.Context, req apigen.DeleteGroupRequestObject) (apigen.DeleteGroupResponseObject, error) {
	if err := s.d.IAM.DeleteGroup(ctx, req.Id); err != nil {
		return nil, err
	}
	return apigen.DeleteGroup204Response{}, nil
}
