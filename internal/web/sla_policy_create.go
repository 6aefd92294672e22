package web

import "net/http"

// slaPolicyCreate adds a policy.
func (h *Handler) slaPolicyCreate(w http.ResponseWriter, r *http.Request) error {
	return h.slaPolicySave(w, r, 0)
}

// slaPolicySave reads the form and saves the policy (id 0 creates one); problems re-render the form.
func (h *Handler) slaPolicySave(w http.ResponseWriter, r *http.Request, id int64) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	f, p := readSLAPolicyForm(r, fe)
	f.ID, p.ID = id, id
	err := fe.err()
	if err == nil {
		err = h.d.SLA.SavePolicy(r.Context(), p)
	}
	if ok, status, msg, fields := formError(err); ok {
		o, oerr := h.slaPolicyOptions(r, f)
		if oerr != nil {
			return oerr
		}
		title := "web.sla.policy_edit"
		if id == 0 {
			title = "web.sla.policy_new"
		}
		page := &slaPolicyFormPage{basePage: h.base(r, title), IsNew: id == 0, Form: f, slaPolicyOptions: o}
		page.fail(msg, fields)
		h.render(w, r, status, "sla/policy_form", page)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/admin/sla/policies", http.StatusSeeOther)
	return nil
}
