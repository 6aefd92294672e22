package web

import (
	"net/http"

	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
)

// setupPage is the one-time first-start form: passwords for the three administrator accounts.
type setupPage struct {
	basePage
	Token  string
	Policy iam.Policy
}

// setupShow renders the first-start form while the one-time link is open; afterwards the page does
// not exist.
func (h *Handler) setupShow(w http.ResponseWriter, r *http.Request) error {
	p, err := h.setupPage(r)
	if err != nil {
		return err
	}
	p.Token = r.URL.Query().Get("token")
	h.render(w, r, http.StatusOK, "setup/setup", p)
	return nil
}

func (h *Handler) setupPage(r *http.Request) (*setupPage, error) {
	open, err := h.d.IAM.SetupPending(r.Context())
	if err != nil {
		return nil, err
	}
	if !open {
		return nil, errs.E(errs.NotFound, "err.not_found")
	}
	pol, err := h.d.IAM.Policy(r.Context())
	if err != nil {
		return nil, err
	}
	return &setupPage{basePage: h.base(r, "web.setup.title"), Policy: pol}, nil
}
