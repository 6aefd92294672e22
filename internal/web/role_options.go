package web

import (
	"net/http"
	"slices"

	"opsdesk/internal/actor"
	"opsdesk/internal/iam"
)

// roleOption is one role in a filter or a checkbox list.
type roleOption struct {
	Code, Name string
	Admin      bool // one of the three administrator roles (三员分立)
	Checked    bool
	// Locked marks a role this actor may not grant or take away: without role.assign only the
	// built-in business roles change. Its checkbox is read-only and its state is kept.
	Locked bool
}

// roleOptions lists the roles in the page language, marking those in checked. Without role.read the
// built-in roles are listed from the code, since every user.read holder needs their names.
func (h *Handler) roleOptions(r *http.Request, checked []string) ([]roleOption, error) {
	a := actor.FromContext(r.Context())
	lang := langOf(r)
	var roles []*iam.Role
	if a.Can(iam.PermRoleRead) {
		var err error
		if roles, err = h.d.IAM.Roles(r.Context()); err != nil {
			return nil, err
		}
	} else {
		for _, b := range iam.BuiltinRoles {
			roles = append(roles, &iam.Role{Code: b.Code, Name: b.Name, NameEN: b.NameEN, Builtin: true})
		}
	}
	byCode := map[string]*iam.Role{}
	for _, ro := range roles {
		byCode[ro.Code] = ro
	}
	out := make([]roleOption, 0, len(roles))
	for _, ro := range roles {
		_, builtin := iam.Builtin(ro.Code)
		out = append(out, roleOption{
			Code: ro.Code, Name: roleName(lang, ro.Code, byCode), Admin: iam.IsAdminRole(ro.Code),
			Checked: slices.Contains(checked, ro.Code),
			Locked:  !a.Can(iam.PermRoleAssign) && (!builtin || iam.IsAdminRole(ro.Code)),
		})
	}
	return out, nil
}

// submittedRoles reads the role checkboxes and keeps the roles the actor cannot change as they
// were, whatever the browser sent for those boxes.
func submittedRoles(r *http.Request, opts []roleOption) []string {
	var out []string
	for _, o := range opts {
		if o.Locked {
			if o.Checked {
				out = append(out, o.Code)
			}
			continue
		}
		if slices.Contains(r.PostForm["roles"], o.Code) {
			out = append(out, o.Code)
		}
	}
	// Codes that are not roles (a tampered form) are dropped.
	return out
}
