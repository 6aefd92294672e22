package web

import (
	"net/http"

	"opsdesk/internal/iam"
)

// passwordPage is the form to change one's own password.
type passwordPage struct {
	basePage
	Policy iam.Policy
	Forced bool // an administrator reset the password, or it expired
}

// passwordEdit renders the change-password form with the policy's rules.
func (h *Handler) passwordEdit(w http.ResponseWriter, r *http.Request) error {
	p, err := h.passwordPage(r)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "profile/password", p)
	return nil
}

func (h *Handler) passwordPage(r *http.Request) (*passwordPage, error) {
	pol, err := h.d.IAM.Policy(r.Context())
	if err != nil {
		return nil, err
	}
	p := &passwordPage{basePage: h.base(r, "web.password.title"), Policy: pol}
	if si := sessionFrom(r.Context()); si != nil {
		p.Forced, _ = h.d.IAM.NeedsPasswordChange(r.Context(), si.user)
	}
	return p, nil
}
