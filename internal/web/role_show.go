package web

import (
	"net/http"

	"opsdesk/internal/iam"
)

// roleShowPage shows one role and its permissions.
type roleShowPage struct {
	basePage
	Role      *iam.Role
	CanManage bool
}

// roleShow renders one role.
func (h *Handler) roleShow(w http.ResponseWriter, r *http.Request) error {
	p, err := h.roleShowPage(r)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "role/show", p)
	return nil
}

func (h *Handler) roleShowPage(r *http.Request) (*roleShowPage, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	ro, err := h.d.IAM.Role(r.Context(), id)
	if err != nil {
		return nil, err
	}
	p := &roleShowPage{basePage: h.base(r, "web.roles.show"), Role: ro}
	p.CanManage = p.Can(iam.PermRoleManage) && !ro.Builtin
	return p, nil
}
