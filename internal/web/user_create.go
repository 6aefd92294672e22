package web

import (
	"net/http"
	"strconv"

	"opsdesk/internal/iam"
)

// userCreate creates an account with an initial password the user must change at first login.
func (h *Handler) userCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	f := readUserForm(r, fe)
	p, err := h.userFormPage(r, true, r.PostForm["roles"])
	if err != nil {
		return err
	}
	var u *iam.User
	err = fe.err()
	if err == nil {
		u, err = h.d.IAM.CreateUser(r.Context(), iam.NewUser{Username: f.Username, UserFields: f.fields(),
			Password: r.PostFormValue("password"), Roles: submittedRoles(r, p.Roles)})
	}
	if ok, status, msg, fields := formError(err); ok {
		p.Form = f
		p.fail(msg, fields)
		h.render(w, r, status, "user/form", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.user_created")
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
	return nil
}
