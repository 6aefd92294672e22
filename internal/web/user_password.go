package web

import (
	"net/http"
	"strconv"
)

// userPassword sets a temporary password that the user must change at the next login; it also
// ends the user's sessions and lifts a lock-out.
func (h *Handler) userPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = h.d.IAM.ResetPassword(r.Context(), id, r.PostFormValue("password"))
	if ok, status, msg, fields := formError(err); ok {
		return h.userShowAgain(w, r, status, msg, fields)
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.password_reset")
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// userShowAgain renders the user page with a form's problems, after an action on it failed.
func (h *Handler) userShowAgain(w http.ResponseWriter, r *http.Request, status int, msg string, fields map[string]string) error {
	p, err := h.userShowPage(r)
	if err != nil {
		return err
	}
	p.fail(msg, fields)
	h.render(w, r, status, "user/show", p)
	return nil
}
