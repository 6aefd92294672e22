package web

import "net/http"

// groupCreate creates a support group.
func (h *Handler) groupCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	f := readGroupForm(r, fe)
	err := fe.err()
	if err == nil {
		_, err = h.d.IAM.CreateGroup(r.Context(), f.input())
	}
	if ok, status, msg, fields := formError(err); ok {
		p, err := h.groupFormPage(r, true)
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
