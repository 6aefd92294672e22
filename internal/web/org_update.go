package web

import "net/http"

// orgUpdate saves a unit, moving it when the parent changed.
func (h *Handler) orgUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := h.orgEditPage(r)
	if err != nil {
		return err
	}
	fe := fieldErrors{}
	f := readOrgForm(r, fe)
	f.ID = p.Unit.ID
	if p.Unit.ParentID == 0 {
		f.ParentID = 0 // the root stays the root; its form has no parent field
	}
	err = fe.err()
	if err == nil {
		_, err = h.d.IAM.UpdateOrgUnit(r.Context(), p.Unit.ID, f.Version, f.input())
	}
	if ok, status, msg, fields := formError(err); ok {
		p.Form = f
		p.fail(msg, fields)
		h.render(w, r, status, "org/edit", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/admin/org", http.StatusSeeOther)
	return nil
}
