package web

import (
	"net/http"
	"strconv"
)

// userUpdate saves a user's attributes if nobody changed them since the form was shown.
func (h *Handler) userUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	f := readUserForm(r, fe)
	f.ID = id
	err = fe.err()
	if err == nil {
		_, err = h.d.IAM.UpdateUser(r.Context(), id, f.Version, f.fields())
	}
	if ok, status, msg, fields := formError(err); ok {
		p, err := h.userFormPage(r, false, nil)
		if err != nil {
			return err
		}
		if u, err := h.d.IAM.User(r.Context(), id); err == nil {
			f.Username = u.Username
		}
		p.Form = f
		p.fail(msg, fields)
		h.render(w, r, status, "user/form", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
