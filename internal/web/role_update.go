package web

import (
	"net/http"
	"strconv"
)

// roleUpdate saves a custom role if nobody changed it since the form was shown.
func (h *Handler) roleUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	f := readRoleForm(r, fe)
	f.ID = id
	err = fe.err()
	if err == nil {
		_, err = h.d.IAM.UpdateRole(r.Context(), id, f.Version, f.input())
	}
	if ok, status, msg, fields := formError(err); ok {
		if ro, err := h.d.IAM.Role(r.Context(), id); err == nil {
			f.Code = ro.Code
		}
		p := h.roleFormPage(r, false)
		p.Form = f
		p.fail(msg, fields)
		h.render(w, r, status, "role/form", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/admin/roles/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
