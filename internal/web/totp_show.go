package web

import (
	"net/http"

	"opsdesk/internal/iam"
)

// totpPage manages the user's second factor (双因素认证): start enrolment, confirm it with a code,
// or turn it off with the password.
type totpPage struct {
	basePage
	Enabled   bool
	Required  bool // the policy requires it of this user: it cannot be turned off
	Enrolment *iam.TOTPEnrolment
	// Confirming shows the code form again after a wrong code, without a new secret.
	Confirming bool
}

// totpShow renders the second-factor status and the action that fits it.
func (h *Handler) totpShow(w http.ResponseWriter, r *http.Request) error {
	p, err := h.totpPage(r)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "profile/totp", p)
	return nil
}

func (h *Handler) totpPage(r *http.Request) (*totpPage, error) {
	me, err := h.d.IAM.Me(r.Context())
	if err != nil {
		return nil, err
	}
	pol, err := h.d.IAM.Policy(r.Context())
	if err != nil {
		return nil, err
	}
	return &totpPage{basePage: h.base(r, "web.totp.title"), Enabled: me.TOTPEnabled,
		Required: pol.RequireMFAForAdmins && me.IsAdmin()}, nil
}
