package web

import (
	"net/http"

	"opsdesk/internal/errs"
)

// slaPolicyEdit renders the form of an existing policy.
func (h *Handler) slaPolicyEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ps, err := h.d.SLA.Policies(r.Context())
	if err != nil {
		return err
	}
	for _, p := range ps {
		if p.ID != id {
			continue
		}
		f := slaPolicyFormOf(p)
		o, err := h.slaPolicyOptions(r, f)
		if err != nil {
			return err
		}
		h.render(w, r, http.StatusOK, "sla/policy_form", &slaPolicyFormPage{basePage: h.base(r, "web.sla.policy_edit"),
			Form: f, slaPolicyOptions: o})
		return nil
	}
	return errs.E(errs.NotFound, "err.not_found")
}
