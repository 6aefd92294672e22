package web

import (
	"net/http"
	"strconv"

	"opsdesk/internal/iam"
)

// roleCreate defines a custom role.
func (h *Handler) roleCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	f := readRoleForm(r, fe)
	var ro *iam.Role
	err := fe.err()
	if err == nil {
		ro, err = h.d.IAM.CreateRole(r.Context(), f.input())
	}
	if ok, status, msg, fields := formError(err); ok {
		p := h.roleFormPage(r, true)
		p.Form = f
		p.fail(msg, fields)
		h.render(w, r, status, "role/form", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/admin/roles/"+strconv.FormatInt(ro.ID, 10), http.StatusSeeOther)
	return nil
}
