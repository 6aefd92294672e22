package web

import (
	"net/http"

	"opsdesk/internal/iam"
)

// profilePage shows the signed-in user's own account.
type profilePage struct {
	basePage
	Me        *iam.User
	RoleNames []string
}

// profileShow renders the user's own details.
func (h *Handler) profileShow(w http.ResponseWriter, r *http.Request) error {
	me, err := h.d.IAM.Me(r.Context())
	if err != nil {
		return err
	}
	p := &profilePage{basePage: h.base(r, "web.profile.title"), Me: me}
	for _, code := range me.Roles {
		p.RoleNames = append(p.RoleNames, roleName(p.Lang, code, nil))
	}
	h.render(w, r, http.StatusOK, "profile/show", p)
	return nil
}
