package web

import (
	"net/http"
	"strings"

	"opsdesk/internal/iam"
)

// userFormPage creates or edits a user.
type userFormPage struct {
	basePage
	Form   userForm
	IsNew  bool
	Orgs   []orgRow
	Roles  []roleOption // new users only; roles of existing users change on their page
	Policy iam.Policy
}

// userForm is what the user form submits.
type userForm struct {
	ID                                 int64
	Version                            int
	Username, Name, Phone, Email, Post string
	OrgUnitID                          int64
}

func readUserForm(r *http.Request, fe fieldErrors) userForm {
	return userForm{
		Version: fe.int(r, "version"), Username: strings.TrimSpace(r.PostFormValue("username")),
		Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"), Email: r.PostFormValue("email"),
		Post: r.PostFormValue("post"), OrgUnitID: fe.id(r, "org_unit_id"),
	}
}

func (f userForm) fields() iam.UserFields {
	return iam.UserFields{Name: f.Name, Phone: f.Phone, Email: f.Email, Post: f.Post, OrgUnitID: f.OrgUnitID}
}

// userNew renders the empty create form.
func (h *Handler) userNew(w http.ResponseWriter, r *http.Request) error {
	p, err := h.userFormPage(r, true, nil)
	if err != nil {
		return err
	}
	if len(p.Orgs) > 0 {
		p.Form.OrgUnitID = p.Orgs[0].ID
	}
	h.render(w, r, http.StatusOK, "user/form", p)
	return nil
}

// userFormPage loads the choices of the form: units, and for a new user the roles with checked
// ones marked.
func (h *Handler) userFormPage(r *http.Request, isNew bool, roles []string) (*userFormPage, error) {
	title := "web.users.new"
	if !isNew {
		title = "web.user.edit"
	}
	units, err := h.d.IAM.OrgUnits(r.Context())
	if err != nil {
		return nil, err
	}
	p := &userFormPage{basePage: h.base(r, title), IsNew: isNew, Orgs: orgTree(units)}
	if isNew {
		if p.Roles, err = h.roleOptions(r, roles); err != nil {
			return nil, err
		}
		if p.Policy, err = h.d.IAM.Policy(r.Context()); err != nil {
			return nil, err
		}
	}
	return p, nil
}
