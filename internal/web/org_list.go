package web

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"opsdesk/internal/iam"
)

// orgPage shows the organisation tree (组织机构) and, for those who may change it, the form to add a
// unit.
type orgPage struct {
	basePage
	Units     []orgRow
	Parents   []orgRow // the parent choices of the form: every unit
	NoParent  bool     // always false here; the root's edit form has no parent field
	CanManage bool
	Form      orgForm
	Kinds     []iam.OrgKind
}

// orgRow is one unit in tree order with its depth for indentation.
type orgRow struct {
	*iam.OrgUnit
	Level int // 0 for the scope root, capped for display
}

// orgForm is the create/edit form of a unit.
type orgForm struct {
	ID, ParentID int64
	Version      int
	Name, Code   string
	Kind         iam.OrgKind
	Sort         int
}

var orgKinds = []iam.OrgKind{iam.OrgHQ, iam.OrgBranch, iam.OrgDept}

// orgList renders the tree.
func (h *Handler) orgList(w http.ResponseWriter, r *http.Request) error {
	p, err := h.orgPage(r)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "org/list", p)
	return nil
}

func (h *Handler) orgPage(r *http.Request) (*orgPage, error) {
	units, err := h.d.IAM.OrgUnits(r.Context())
	if err != nil {
		return nil, err
	}
	p := &orgPage{basePage: h.base(r, "web.org.title"), Units: orgTree(units), Kinds: orgKinds,
		Form: orgForm{Kind: iam.OrgDept}}
	p.Parents = p.Units
	p.CanManage = p.Can(iam.PermOrgManage)
	if len(units) > 0 {
		p.Form.ParentID = p.Units[0].ID
	}
	return p, nil
}

// orgTree orders units depth-first with siblings by their sort number and name, whatever order the
// store returns them in.
func orgTree(units []*iam.OrgUnit) []orgRow {
	byID := map[int64]bool{}
	children := map[int64][]*iam.OrgUnit{}
	for _, u := range units {
		byID[u.ID] = true
	}
	var roots []*iam.OrgUnit
	for _, u := range units {
		if byID[u.ParentID] {
			children[u.ParentID] = append(children[u.ParentID], u)
		} else {
			roots = append(roots, u) // the actor's scope root(s)
		}
	}
	order := func(list []*iam.OrgUnit) {
		slices.SortFunc(list, func(a, b *iam.OrgUnit) int {
			return cmp.Or(cmp.Compare(a.Sort, b.Sort), strings.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
		})
	}
	var out []orgRow
	var walk func(list []*iam.OrgUnit, level int)
	walk = func(list []*iam.OrgUnit, level int) {
		order(list)
		for _, u := range list {
			out = append(out, orgRow{OrgUnit: u, Level: min(level, 6)})
			walk(children[u.ID], level+1)
		}
	}
	walk(roots, 0)
	return out
}
