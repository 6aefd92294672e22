package web

import (
	"net/http"

	"opsdesk/internal/iam"
)

// policyPage edits the security policy (安全策略): passwords, lock-out, sessions, tokens and the
// second factor for administrators.
type policyPage struct {
	basePage
	Policy iam.Policy
}

// policyEdit renders the policy form with the values in force.
func (h *Handler) policyEdit(w http.ResponseWriter, r *http.Request) error {
	pol, err := h.d.IAM.Policy(r.Context())
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "policy/edit", &policyPage{basePage: h.base(r, "web.policy.title"), Policy: pol})
	return nil
}
