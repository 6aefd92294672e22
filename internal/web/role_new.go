package web

import (
	"net/http"
	"strings"

	"opsdesk/internal/iam"
)

// roleFormPage defines or edits a custom role: names and a set of permissions.
type roleFormPage struct {
	basePage
	Form  roleForm
	IsNew bool
	Perms []string // every permission, in display order
}

// roleForm is what the role form submits.
type roleForm struct {
	ID                              int64
	Version                         int
	Code, Name, NameEN, Description string
	Perms                           []string
}

func readRoleForm(r *http.Request, fe fieldErrors) roleForm {
	return roleForm{
		Version: fe.int(r, "version"), Code: strings.TrimSpace(r.PostFormValue("code")), Name: r.PostFormValue("name"),
		NameEN: r.PostFormValue("name_en"), Description: r.PostFormValue("description"), Perms: r.PostForm["perms"],
	}
}

func (f roleForm) input() iam.RoleInput {
	return iam.RoleInput{Code: f.Code, Name: f.Name, NameEN: f.NameEN, Description: f.Description, Perms: f.Perms}
}

func (h *Handler) roleFormPage(r *http.Request, isNew bool) *roleFormPage {
	title := "web.roles.new"
	if !isNew {
		title = "web.roles.edit"
	}
	return &roleFormPage{basePage: h.base(r, title), IsNew: isNew, Perms: iam.AllPermissions}
}

// roleNew renders the empty form of a custom role.
func (h *Handler) roleNew(w http.ResponseWriter, r *http.Request) error {
	h.render(w, r, http.StatusOK, "role/form", h.roleFormPage(r, true))
	return nil
}
