package web

import "net/http"

// categoryUpdate saves a category at the version the form was rendered with.
func (h *Handler) categoryUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	p, _, err := h.categoryEditPage(r, id)
	if err != nil {
		return err
	}
	fe := fieldErrors{}
	f := readCategoryForm(r, fe)
	f.ID = id
	err = fe.err()
	if err == nil {
		err = h.d.Tickets.SaveCategory(r.Context(), f.category())
	}
	if ok, status, msg, fields := formError(err); ok {
		p.Form = f
		p.fail(msg, fields)
		h.render(w, r, status, "ticketadmin/category_edit", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/admin/ticket-categories", http.StatusSeeOther)
	return nil
}
