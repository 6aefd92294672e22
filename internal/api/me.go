package api

import (
	"context"

	"opsdesk/internal/actor"
	"opsdesk/internal/api/apigen"
	"opsdesk/internal/iam"
)

// toMe maps the signed-in user and the permissions of their roles, in display order.
func toMe(ctx context.Context, u *iam.User) apigen.Me {
	a := actor.FromContext(ctx)
	perms := []apigen.Permission{}
	for _, p := range iam.AllPermissions {
		if a.Can(p) {
			perms = append(perms, apigen.Permission(p))
		}
	}
	return apigen.Me{
		Id: u.ID, Username: u.Username, Name: u.Name, Phone: u.Phone, Email: u.Email,
		OrgUnitId: u.OrgUnitID, OrgName: u.OrgName, Post: u.Post, Locale: apigen.Locale(u.Locale),
		Roles: orEmpty(u.Roles), Permissions: perms, TotpEnabled: u.TOTPEnabled,
		MustChangePassword: u.MustChangePassword, LastLoginAt: timeOrNil(u.LastLoginAt),
		CreatedAt: u.CreatedAt.UTC(), Version: u.Version,
	}
}

func toToken(t *iam.Token) apigen.Token {
	return apigen.Token{Id: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt.UTC(),
		ExpiresAt: t.ExpiresAt.UTC(), LastUsedAt: timeOrNil(t.LastUsedAt), RevokedAt: timeOrNil(t.RevokedAt)}
}

// GetMe returns the signed-in user.
func (s *server) GetMe(ctx context.Context, _ apigen.GetMeRequestObject) (apigen.GetMeResponseObject, error) {
	u, err := s.d.IAM.Me(ctx)
	if err != nil {
		return nil, err
	}
	return apigen.GetMe200JSONResponse(toMe(ctx, u)), nil
}

// UpdateMe stores the signed-in user's language.
func (s *server) UpdateMe(ctx context.Context, req apigen.UpdateMeRequestObject) (apigen.UpdateMeResponseObject, error) {
	if err := s.d.IAM.SetLocale(ctx, string(req.Body.Locale)); err != nil {
		return nil, err
	}
	u, err := s.d.IAM.Me(ctx)
	if err != nil {
		return nil, err
	}
	return apigen.UpdateMe200JSONResponse(toMe(ctx, u)), nil
}

// ChangePassword replaces the signed-in user's password.
func (s *server) ChangePassword(ctx context.Context, req apigen.ChangePasswordRequestObject) (apigen.ChangePasswordResponseObject, error) {
	if err := s.d.IAM.ChangePassword(ctx, req.Body.OldPassword, req.Body.NewPassword); err != nil {
		return nil, err
	}
	return apigen.ChangePassword204Response{}, nil
}

// ListTokens lists the signed-in user's API tokens, without secrets.
func (s *server) ListTokens(ctx context.Context, _ apigen.ListTokensRequestObject) (apigen.ListTokensResponseObject, error) {
	ts, err := s.d.IAM.MyTokens(ctx)
	if err != nil {
		return nil, err
	}
	out := apigen.ListTokens200JSONResponse{Items: make([]apigen.Token, len(ts))}
	for i, t := range ts {
		out.Items[i] = toToken(t)
	}
	return out, nil
}

// CreateToken issues an API token; the secret is in this response only.
func (s *server) CreateToken(ctx context.Context, req apigen.CreateTokenRequestObject) (apigen.CreateTokenResponseObject, error) {
	secret, t, err := s.d.IAM.CreateToken(ctx, req.Body.Name, req.Body.Days)
	if err != nil {
		return nil, err
	}
	return apigen.CreateToken201JSONResponse{Token: toToken(t), Secret: secret}, nil
}

// RevokeToken revokes one of the signed-in user's tokens.
func (s *server) RevokeToken(ctx context.Context, req apigen.RevokeTokenRequestObject) (apigen.RevokeTokenResponseObject, error) {
	if err := s.d.IAM.RevokeToken(ctx, req.Id); err != nil {
		return nil, err
	}
	return apigen.RevokeToken204Response{}, nil
}
