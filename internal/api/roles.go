package api

import (
	"context"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/iam"
)

func toRole(r *iam.Role) apigen.Role {
	perms := make([]apigen.Permission, len(r.Perms))
	for i, p := range r.Perms {
		perms[i] = apigen.Permission(p)
	}
	return apigen.Role{Id: r.ID, Code: r.Code, Name: r.Name, NameEn: r.NameEN, Description: r.Description,
		Builtin: r.Builtin, Permissions: perms, Version: r.Version}
}

func fromPerms(ps *[]apigen.Permission, def []string) []string {
	if ps == nil {
		return def
	}
	out := make([]string, len(*ps))
	for i, p := range *ps {
		out[i] = string(p)
	}
	return out
}

// ListRoles lists built-in and custom roles.
func (s *server) ListRoles(ctx context.Context, _ apigen.ListRolesRequestObject) (apigen.ListRolesResponseObject, error) {
	rs, err := s.d.IAM.Roles(ctx)
	if err != nil {
		return nil, err
	}
	out := apigen.ListRoles200JSONResponse{Items: make([]apigen.Role, len(rs))}
	for i, r := range rs {
		out.Items[i] = toRole(r)
	}
	return out, nil
}

// CreateRole defines a custom role.
func (s *server) CreateRole(ctx context.Context, req apigen.CreateRoleRequestObject) (apigen.CreateRoleResponseObject, error) {
	b := req.Body
	r, err := s.d.IAM.CreateRole(ctx, iam.RoleInput{Code: b.Code, Name: b.Name, NameEN: or(b.NameEn, ""),
		Description: or(b.Description, ""), Perms: fromPerms(b.Permissions, nil)})
	if err != nil {
		return nil, err
	}
	return apigen.CreateRole201JSONResponse(toRole(r)), nil
}

// GetRole returns one role, with the version as ETag.
func (s *server) GetRole(ctx context.Context, req apigen.GetRoleRequestObject) (apigen.GetRoleResponseObject, error) {
	r, err := s.d.IAM.Role(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return apigen.GetRole200JSONResponse{Body: toRole(r), Headers: apigen.GetRole200ResponseHeaders{ETag: etag(r.Version)}}, nil
}

// UpdateRole edits a custom role; the fields left out keep their values.
func (s *server) UpdateRole(ctx context.Context, req apigen.UpdateRoleRequestObject) (apigen.UpdateRoleResponseObject, error) {
	b := req.Body
	version, err := versionOf(req.Params.IfMatch, b.Version)
	if err != nil {
		return nil, err
	}
	cur, err := s.d.IAM.Role(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	r, err := s.d.IAM.UpdateRole(ctx, req.Id, version, iam.RoleInput{Name: or(b.Name, cur.Name),
		NameEN: or(b.NameEn, cur.NameEN), Description: or(b.Description, cur.Description), Perms: fromPerms(b.Permissions, cur.Perms)})
	if err != nil {
		return nil, err
	}
	return apigen.UpdateRole200JSONResponse{Body: toRole(r), Headers: apigen.UpdateRole200ResponseHeaders{ETag: etag(r.Version)}}, nil
}

// DeleteRole removes an unused custom role.
func (s *server) DeleteRole(ctx context.Context, req apigen.DeleteRoleRequestObject) (apigen.DeleteRoleResponseObject, error) {
	if err := s.d.IAM.DeleteRole(ctx, req.Id); err != nil {
		return nil, err
	}
	return apigen.DeleteRole204Response{}, nil
}

// ListPermissions lists every permission in display order. There is no service call: the list is
// fixed in iam, and the route itself needs role.read.
func (s *server) ListPermissions(context.Context, apigen.ListPermissionsRequestObject) (apigen.ListPermissionsResponseObject, error) {
	out := apigen.ListPermissions200JSONResponse{Items: make([]apigen.Permission, len(iam.AllPermissions))}
	for i, p := range iam.AllPermissions {
		out.Items[i] = apigen.Permission(p)
	}
	return out, nil
}
