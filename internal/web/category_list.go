package web

import (
	"net/http"

	"opsdesk/internal/ticket"
)

// categoriesPage is the category tree (问题分类) of the service desk: two levels, add, rename,
// deactivate. Deactivated categories stay on old tickets but cannot be chosen for new ones.
type categoriesPage struct {
	basePage
	Rows    []categoryRow
	Parents []*ticket.Category // top-level categories, the possible parents
	Form    categoryForm       // the add form
}

// categoryRow is one category in tree order.
type categoryRow struct {
	*ticket.Category
	Level int
}

// categoryForm is what the add and edit forms submit.
type categoryForm struct {
	ID       int64
	Version  int
	ParentID int64
	Name     string
	NameEN   string
	Sort     int
	Active   bool
}

// categoryTree orders categories as parents followed by their children.
func categoryTree(cats []*ticket.Category) []categoryRow {
	var out []categoryRow
	for _, c := range cats {
		if c.ParentID != 0 {
			continue
		}
		out = append(out, categoryRow{Category: c})
		for _, k := range cats {
			if k.ParentID == c.ID {
				out = append(out, categoryRow{Category: k, Level: 1})
			}
		}
	}
	return out
}

func topCategories(cats []*ticket.Category) []*ticket.Category {
	var out []*ticket.Category
	for _, c := range cats {
		if c.ParentID == 0 {
			out = append(out, c)
		}
	}
	return out
}

// categoryList renders the tree and the add form.
func (h *Handler) categoryList(w http.ResponseWriter, r *http.Request) error {
	p, err := h.categoriesPage(r)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "ticketadmin/categories", p)
	return nil
}

func (h *Handler) categoriesPage(r *http.Request) (*categoriesPage, error) {
	cats, err := h.d.Tickets.Categories(r.Context())
	if err != nil {
		return nil, err
	}
	return &categoriesPage{basePage: h.base(r, "web.tadmin.categories"), Rows: categoryTree(cats), Parents: topCategories(cats),
		Form: categoryForm{Active: true}}, nil
}
