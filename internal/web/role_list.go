package web

import (
	"net/http"

	"opsdesk/internal/iam"
)

// rolesPage lists the roles with their permissions. Built-in roles are read-only; the security
// administrator defines custom ones.
type rolesPage struct {
	basePage
	Roles     []*iam.Role
	CanManage bool
}

// roleList renders the roles.
func (h *Handler) roleList(w http.ResponseWriter, r *http.Request) error {
	roles, err := h.d.IAM.Roles(r.Context())
	if err != nil {
		return err
	}
	p := &rolesPage{basePage: h.base(r, "web.roles.title"), Roles: roles}
	p.CanManage = p.Can(iam.PermRoleManage)
	h.render(w, r, http.StatusOK, "role/list", p)
	return nil
}
