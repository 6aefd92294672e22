package web

import (
	"net/http"
	"strings"

	"opsdesk/internal/iam"
)

// orgEditPage edits one unit: name, code, kind, order and parent (moving its subtree).
type orgEditPage struct {
	basePage
	Unit    *iam.OrgUnit
	Form    orgForm
	Parents []orgRow // possible parents: the tree without the unit's own subtree
	Kinds   []iam.OrgKind
	// NoParent hides the parent field for the root of the tree, which cannot move.
	NoParent bool
}

// orgEdit renders the edit form of a unit.
func (h *Handler) orgEdit(w http.ResponseWriter, r *http.Request) error {
	p, err := h.orgEditPage(r)
	if err != nil {
		return err
	}
	u := p.Unit
	p.Form = orgForm{ID: u.ID, ParentID: u.ParentID, Version: u.Version, Name: u.Name, Code: u.Code, Kind: u.Kind, Sort: u.Sort}
	h.render(w, r, http.StatusOK, "org/edit", p)
	return nil
}

func (h *Handler) orgEditPage(r *http.Request) (*orgEditPage, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	u, err := h.d.IAM.OrgUnit(r.Context(), id)
	if err != nil {
		return nil, err
	}
	units, err := h.d.IAM.OrgUnits(r.Context())
	if err != nil {
		return nil, err
	}
	p := &orgEditPage{basePage: h.base(r, "web.org.edit"), Unit: u, Kinds: orgKinds, NoParent: u.ParentID == 0}
	for _, row := range orgTree(units) {
		if !strings.HasPrefix(row.Path, u.Path) {
			p.Parents = append(p.Parents, row)
		}
	}
	return p, nil
}
