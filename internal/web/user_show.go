package web

import (
	"net/http"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/iam"
)

// userShowPage shows one user with the actions the viewer may take: edit, disable or enable, reset
// the password, assign roles, unlock.
type userShowPage struct {
	basePage
	U         *iam.User
	Roles     []roleOption
	RoleNames map[string]string
	Now       time.Time
	CanManage bool // edit, disable/enable, reset password
	CanRoles  bool
	CanUnlock bool
	IsSelf    bool
}

// userShow renders a user's details.
func (h *Handler) userShow(w http.ResponseWriter, r *http.Request) error {
	p, err := h.userShowPage(r)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "user/show", p)
	return nil
}

func (h *Handler) userShowPage(r *http.Request) (*userShowPage, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	u, err := h.d.IAM.User(r.Context(), id)
	if err != nil {
		return nil, err
	}
	a := actor.FromContext(r.Context())
	p := &userShowPage{basePage: h.base(r, "web.user.title"), U: u, Now: time.Now(), IsSelf: a.UserID == u.ID}
	if p.Roles, err = h.roleOptions(r, u.Roles); err != nil {
		return nil, err
	}
	p.RoleNames = map[string]string{}
	for _, o := range p.Roles {
		p.RoleNames[o.Code] = o.Name
	}
	// These mirror the service's rules only to hide buttons; the service decides.
	p.CanManage = canManageUser(a, u)
	p.CanRoles = !p.IsSelf && (a.Can(iam.PermRoleAssign) || a.Can(iam.PermUserManage))
	p.CanUnlock = a.Can(iam.PermSecurityPolicy)
	return p, nil
}

// canManageUser tells whether a may edit u: holders of an administrator role are managed by the
// security administrator only (三员分立).
func canManageUser(a *actor.Actor, u *iam.User) bool {
	if u.IsAdmin() {
		return a.Can(iam.PermUserManageAdmin)
	}
	return a.Can(iam.PermUserManage)
}
