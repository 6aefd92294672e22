package web

import (
	"net/http"

	"opsdesk/internal/errs"
)

// roleEdit renders the edit form of a custom role; built-in roles are fixed.
func (h *Handler) roleEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ro, err := h.d.IAM.Role(r.Context(), id)
	if err != nil {
		return err
	}
	if ro.Builtin {
		return errs.E(errs.Forbidden, "err.role.builtin")
	}
	p := h.roleFormPage(r, false)
	p.Form = roleForm{ID: ro.ID, Version: ro.Version, Code: ro.Code, Name: ro.Name, NameEN: ro.NameEN,
		Description: ro.Description, Perms: ro.Perms}
	h.render(w, r, http.StatusOK, "role/form", p)
	return nil
}
