package web

import "net/http"

// userEdit renders the edit form with the version the editor saw, for optimistic locking.
func (h *Handler) userEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := h.d.IAM.User(r.Context(), id)
	if err != nil {
		return err
	}
	p, err := h.userFormPage(r, false, nil)
	if err != nil {
		return err
	}
	p.Form = userForm{ID: u.ID, Version: u.Version, Username: u.Username, Name: u.Name, Phone: u.Phone,
		Email: u.Email, Post: u.Post, OrgUnitID: u.OrgUnitID}
	h.render(w, r, http.StatusOK, "user/form", p)
	return nil
}
