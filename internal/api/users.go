package api

import (
	"context"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/iam"
)

// toUser maps an account without its secrets: the password hash and the TOTP secret never leave iam.
func (s *server) toUser(u *iam.User) apigen.User {
	out := apigen.User{
		Id: u.ID, Username: u.Username, Name: u.Name, Phone: u.Phone, Email: u.Email,
		OrgUnitId: u.OrgUnitID, OrgName: u.OrgName, Post: u.Post, Locale: apigen.Locale(u.Locale),
		Roles: orEmpty(u.Roles), Disabled: u.Disabled, TotpEnabled: u.TOTPEnabled,
		MustChangePassword: u.MustChangePassword, LastLoginAt: timeOrNil(u.LastLoginAt),
		CreatedAt: u.CreatedAt.UTC(), Version: u.Version,
	}
	if u.IsLocked(s.d.IAM.Now()) {
		out.LockedUntil = timeOrNil(u.LockedUntil)
	}
	return out
}

// ListUsers lists the users in the caller's organisation subtree.
func (s *server) ListUsers(ctx context.Context, req apigen.ListUsersRequestObject) (apigen.ListUsersResponseObject, error) {
	p := req.Params
	us, total, err := s.d.IAM.Users(ctx, iam.UserFilter{Query: or(p.Q, ""), OrgUnitID: or(p.OrgUnitId, 0),
		Role: or(p.Role, ""), Disabled: p.Disabled, Limit: or(p.Limit, 50), Offset: or(p.Offset, 0)})
	if err != nil {
		return nil, err
	}
	out := apigen.ListUsers200JSONResponse{Items: make([]apigen.User, len(us)), Total: total}
	for i, u := range us {
		out.Items[i] = s.toUser(u)
	}
	return out, nil
}

// CreateUser creates an account.
func (s *server) CreateUser(ctx context.Context, req apigen.CreateUserRequestObject) (apigen.CreateUserResponseObject, error) {
	b := req.Body
	u, err := s.d.IAM.CreateUser(ctx, iam.NewUser{
		Username: b.Username, Password: b.Password, Roles: or(b.Roles, nil),
		UserFields: iam.UserFields{Name: b.Name, Phone: or(b.Phone, ""), Email: or(b.Email, ""),
			Post: or(b.Post, ""), OrgUnitID: b.OrgUnitId},
	})
	if err != nil {
		return nil, err
	}
	return apigen.CreateUser201JSONResponse(s.toUser(u)), nil
}

// GetUser returns one user, with the version as ETag.
func (s *server) GetUser(ctx context.Context, req apigen.GetUserRequestObject) (apigen.GetUserResponseObject, error) {
	u, err := s.d.IAM.User(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return apigen.GetUser200JSONResponse{Body: s.toUser(u), Headers: apigen.GetUser200ResponseHeaders{ETag: etag(u.Version)}}, nil
}

// UpdateUser edits a user's attributes; the fields left out keep the values of the current record,
// and the version the editor saw must still be current (else 409).
func (s *server) UpdateUser(ctx context.Context, req apigen.UpdateUserRequestObject) (apigen.UpdateUserResponseObject, error) {
	b := req.Body
	version, err := versionOf(req.Params.IfMatch, b.Version)
	if err != nil {
		return nil, err
	}
	cur, err := s.d.IAM.User(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	u, err := s.d.IAM.UpdateUser(ctx, req.Id, version, iam.UserFields{
		Name: or(b.Name, cur.Name), Phone: or(b.Phone, cur.Phone), Email: or(b.Email, cur.Email),
		Post: or(b.Post, cur.Post), OrgUnitID: or(b.OrgUnitId, cur.OrgUnitID),
	})
	if err != nil {
		return nil, err
	}
	return apigen.UpdateUser200JSONResponse{Body: s.toUser(u), Headers: apigen.UpdateUser200ResponseHeaders{ETag: etag(u.Version)}}, nil
}

// DisableUser disables an account, ending its sessions and revoking its tokens.
func (s *server) DisableUser(ctx context.Context, req apigen.DisableUserRequestObject) (apigen.DisableUserResponseObject, error) {
	if err := s.d.IAM.SetDisabled(ctx, req.Id, true); err != nil {
		return nil, err
	}
	return apigen.DisableUser204Response{}, nil
}

// EnableUser re-enables an account.
func (s *server) EnableUser(ctx context.Context, req apigen.EnableUserRequestObject) (apigen.EnableUserResponseObject, error) {
	if err := s.d.IAM.SetDisabled(ctx, req.Id, false); err != nil {
		return nil, err
	}
	return apigen.EnableUser204Response{}, nil
}

// ResetUserPassword sets a temporary password.
func (s *server) ResetUserPassword(ctx context.Context, req apigen.ResetUserPasswordRequestObject) (apigen.ResetUserPasswordResponseObject, error) {
	if err := s.d.IAM.ResetPassword(ctx, req.Id, req.Body.Password); err != nil {
		return nil, err
	}
	return apigen.ResetUserPassword204Response{}, nil
}

// SetUserRoles replaces a user's roles.
func (s *server) SetUserRoles(ctx context.Context, req apigen.SetUserRolesRequestObject) (apigen.SetUserRolesResponseObject, error) {
	if err := s.d.IAM.SetRoles(ctx, req.Id, req.Body.Roles); err != nil {
		return nil, err
	}
	return apigen.SetUserRoles204Response{}, nil
}

// UnlockUser lifts a lock-out.
func (s *server) UnlockUser(ctx context.Context, req apigen.UnlockUserRequestObject) (apigen.UnlockUserResponseObject, error) {
	if err := s.d.IAM.Unlock(ctx, req.Id); err != nil {
		return nil, err
	}
	return apigen.UnlockUser204Response{}, nil
}
