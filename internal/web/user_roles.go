package web

import (
	"net/http"
	"strconv"
)

// userRoles replaces a user's roles. The service enforces 三员分立: one administrator role per
// account, and administrator or custom roles only from the security administrator.
func (h *Handler) userRoles(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	u, err := h.d.IAM.User(r.Context(), id)
	if err != nil {
		return err
	}
	opts, err := h.roleOptions(r, u.Roles)
	if err != nil {
		return err
	}
	err = h.d.IAM.SetRoles(r.Context(), id, submittedRoles(r, opts))
	if ok, status, msg, fields := formError(err); ok {
		return h.userShowAgain(w, r, status, msg, fields)
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.roles_saved")
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
