package web

import (
	"net/http"

	"opsdesk/internal/iam"
)

// groupsPage lists the support groups (支持组) by tier.
type groupsPage struct {
	basePage
	Groups    []*iam.Group
	CanManage bool
}

// groupList renders the support groups.
func (h *Handler) groupList(w http.ResponseWriter, r *http.Request) error {
	groups, err := h.d.IAM.Groups(r.Context())
	if err != nil {
		return err
	}
	p := &groupsPage{basePage: h.base(r, "web.groups.title"), Groups: groups}
	p.CanManage = p.Can(iam.PermGroupManage)
	h.render(w, r, http.StatusOK, "group/list", p)
	return nil
}
