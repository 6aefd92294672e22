package web

import (
	"net/http"

	"opsdesk/internal/errs"
)

// roleDelete removes a custom role that nobody holds; a role still held stays, and its page says
// why.
func (h *Handler) roleDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = h.d.IAM.DeleteRole(r.Context(), id)
	if errs.Is(err, errs.Conflict) {
		p, perr := h.roleShowPage(r)
		if perr != nil {
			return perr
		}
		msg, _ := errs.Info(err)
		p.fail(msg, nil)
		h.render(w, r, http.StatusConflict, "role/show", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.deleted")
	http.Redirect(w, r, "/admin/roles", http.StatusSeeOther)
	return nil
}
