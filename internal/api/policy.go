package api

import (
	"context"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/iam"
)

func toPolicy(p iam.Policy) apigen.Policy {
	return apigen.Policy{MinLength: p.MinLength, MinClasses: p.MinClasses, ExpiryDays: p.ExpiryDays,
		HistoryCount: p.HistoryCount, LockoutThreshold: p.LockoutThreshold, LockoutMinutes: p.LockoutMinutes,
		SessionIdleMinutes: p.SessionIdleMinutes, SessionMaxHours: p.SessionMaxHours, TokenMaxDays: p.TokenMaxDays,
		RequireMfaForAdmins: p.RequireMFAForAdmins}
}

func fromPolicy(p apigen.Policy) iam.Policy {
	return iam.Policy{MinLength: p.MinLength, MinClasses: p.MinClasses, ExpiryDays: p.ExpiryDays,
		HistoryCount: p.HistoryCount, LockoutThreshold: p.LockoutThreshold, LockoutMinutes: p.LockoutMinutes,
		SessionIdleMinutes: p.SessionIdleMinutes, SessionMaxHours: p.SessionMaxHours, TokenMaxDays: p.TokenMaxDays,
		RequireMFAForAdmins: p.RequireMfaForAdmins}
}

// GetPolicy returns the security policy in force. iam.Policy itself checks no permission (login
// needs it); the route's x-permissions restrict it to security.policy.
func (s *server) GetPolicy(ctx context.Context, _ apigen.GetPolicyRequestObject) (apigen.GetPolicyResponseObject, error) {
	p, err := s.d.IAM.Policy(ctx)
	if err != nil {
		return nil, err
	}
	return apigen.GetPolicy200JSONResponse(toPolicy(p)), nil
}

// UpdatePolicy replaces the security policy and returns it.
func (s *server) UpdatePolicy(ctx context.Context, req apigen.UpdatePolicyRequestObject) (apigen.UpdatePolicyResponseObject, error) {
	p := fromPolicy(*req.Body)
	if err := s.d.IAM.SavePolicy(ctx, p); err != nil {
		return nil, err
	}
	return apigen.UpdatePolicy200JSONResponse(toPolicy(p)), nil
}
