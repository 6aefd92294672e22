package web

import "net/http"

// totpBegin creates a new secret and shows its QR code with the confirmation form. The secret only
// takes effect when a code from it is confirmed.
func (h *Handler) totpBegin(w http.ResponseWriter, r *http.Request) error {
	en, err := h.d.IAM.BeginTOTP(r.Context())
	if err != nil {
		return err
	}
	p, err := h.totpPage(r)
	if err != nil {
		return err
	}
	p.Enrolment = en
	h.render(w, r, http.StatusOK, "profile/totp", p)
	return nil
}
