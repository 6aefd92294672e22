package web

import (
	"net/http"

	"opsdesk/internal/errs"
)

// orgDelete removes an empty unit. A unit that still has sub-units or users stays, and the tree
// says why.
func (h *Handler) orgDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	err = h.d.IAM.DeleteOrgUnit(r.Context(), id)
	if k := errs.KindOf(err); err != nil && (k == errs.Conflict || k == errs.Invalid) {
		p, perr := h.orgPage(r)
		if perr != nil {
			return perr
		}
		msg, _ := errs.Info(err)
		p.fail(msg, nil)
		h.render(w, r, statusOf(k), "org/list", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.deleted")
	http.Redirect(w, r, "/admin/org", http.StatusSeeOther)
	return nil
}
