package web

import (
	"net/http"
	"strings"

	"opsdesk/internal/ticket"
)

// readCategoryForm reads the add and edit forms. A missing name is the service's check too, made
// here so that it shows together with an unreadable number.
func readCategoryForm(r *http.Request, fe fieldErrors) categoryForm {
	if strings.TrimSpace(r.PostFormValue("name")) == "" {
		fe["name"] = "err.required"
	}
	return categoryForm{Version: fe.int(r, "version"), ParentID: fe.id(r, "parent_id"), Name: r.PostFormValue("name"),
		NameEN: r.PostFormValue("name_en"), Sort: fe.int(r, "sort"), Active: r.PostFormValue("active") == "on"}
}

func (f categoryForm) category() *ticket.Category {
	return &ticket.Category{ID: f.ID, Version: f.Version, ParentID: f.ParentID, Name: f.Name, NameEN: f.NameEN, Sort: f.Sort, Active: f.Active}
}

// categoryCreate adds a category, at the top or under a top-level one.
func (h *Handler) categoryCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	f := readCategoryForm(r, fe)
	f.Active = true
	err := fe.err()
	if err == nil {
		err = h.d.Tickets.SaveCategory(r.Context(), f.category())
	}
	if ok, status, msg, fields := formError(err); ok {
		p, perr := h.categoriesPage(r)
		if perr != nil {
			return perr
		}
		p.Form = f
		p.fail(msg, fields)
		h.render(w, r, status, "ticketadmin/categories", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/admin/ticket-categories", http.StatusSeeOther)
	return nil
}
