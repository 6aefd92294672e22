package web

import "net/http"

// groupUpdate saves a support group if nobody changed it since the form was shown.
func (h *Handler) groupUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	f := readGroupForm(r, fe)
	f.ID = id
	err = fe.err()
	if err == nil {
		_, err = h.d.IAM.UpdateGroup(r.Context(), id, f.Version, f.input())
	}
	if ok, status, msg, fields := formError(err); ok {
		p, err := h.groupFormPage(r, false)
		if err != nil {
			return err
		}
		p.Form = f
		p.fail(msg, fields)
		h.render(w, r, status, "group/form", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/admin/groups", http.StatusSeeOther)
	return nil
}
