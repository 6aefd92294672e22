package web

import (
	"context"
	"net/http"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// categoryEditPage renames, moves or deactivates one category.
type categoryEditPage struct {
	basePage
	Form    categoryForm
	Parents []*ticket.Category
	HasKids bool // a parent stays at the top
}

// categoryEdit renders the edit form of a category.
func (h *Handler) categoryEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, c, err := h.categoryEditPage(r, id)
	if err != nil {
		return err
	}
	p.Form = categoryForm{ID: c.ID, Version: c.Version, ParentID: c.ParentID, Name: c.Name, NameEN: c.NameEN, Sort: c.Sort, Active: c.Active}
	h.render(w, r, http.StatusOK, "ticketadmin/category_edit", p)
	return nil
}

func (h *Handler) categoryEditPage(r *http.Request, id int64) (*categoryEditPage, *ticket.Category, error) {
	cats, err := h.d.Tickets.Categories(r.Context())
	if err != nil {
		return nil, nil, err
	}
	c, err := findCategory(r.Context(), cats, id)
	if err != nil {
		return nil, nil, err
	}
	p := &categoryEditPage{basePage: h.base(r, "web.tadmin.category_edit")}
	for _, o := range topCategories(cats) {
		if o.ID != id {
			p.Parents = append(p.Parents, o)
		}
	}
	for _, k := range cats {
		p.HasKids = p.HasKids || k.ParentID == id
	}
	return p, c, nil
}

func findCategory(_ context.Context, cats []*ticket.Category, id int64) (*ticket.Category, error) {
	for _, c := range cats {
		if c.ID == id {
			return c, nil
		}
	}
	return nil, errs.E(errs.NotFound, "err.not_found")
}
