package web

import (
	"net/http"
	"strings"

	"opsdesk/internal/iam"
)

// groupFormPage creates or edits a support group: tier, manager and members.
type groupFormPage struct {
	basePage
	Form  groupForm
	IsNew bool
	Users []*iam.User // manager and member choices
	Orgs  []orgRow
	Tiers []iam.Tier
}

// groupForm is what the group form submits.
type groupForm struct {
	ID                      int64
	Version                 int
	Name, Code, Description string
	Tier                    iam.Tier
	ManagerID, OrgUnitID    int64
	MemberIDs               []int64
}

var tiers = []iam.Tier{1, 2, 3}

func readGroupForm(r *http.Request, fe fieldErrors) groupForm {
	return groupForm{
		Version: fe.int(r, "version"), Name: r.PostFormValue("name"), Code: strings.TrimSpace(r.PostFormValue("code")),
		Description: r.PostFormValue("description"), Tier: iam.Tier(fe.int(r, "tier")),
		ManagerID: fe.id(r, "manager_id"), OrgUnitID: fe.id(r, "org_unit_id"), MemberIDs: fe.ids(r, "member_ids"),
	}
}

func (f groupForm) input() iam.GroupInput {
	return iam.GroupInput{Name: f.Name, Code: f.Code, Description: f.Description, Tier: f.Tier,
		ManagerID: f.ManagerID, OrgUnitID: f.OrgUnitID, MemberIDs: f.MemberIDs}
}

// groupNew renders the empty create form.
func (h *Handler) groupNew(w http.ResponseWriter, r *http.Request) error {
	p, err := h.groupFormPage(r, true)
	if err != nil {
		return err
	}
	p.Form.Tier = 1
	h.render(w, r, http.StatusOK, "group/form", p)
	return nil
}

// groupFormPage loads the people and units to choose from. Active users only, up to the store's
// page limit; a larger directory needs a search field here.
func (h *Handler) groupFormPage(r *http.Request, isNew bool) (*groupFormPage, error) {
	title := "web.groups.new"
	if !isNew {
		title = "web.groups.edit"
	}
	active := false
	users, _, err := h.d.IAM.Users(r.Context(), iam.UserFilter{Disabled: &active, Limit: 500})
	if err != nil {
		return nil, err
	}
	units, err := h.d.IAM.OrgUnits(r.Context())
	if err != nil {
		return nil, err
	}
	return &groupFormPage{basePage: h.base(r, title), IsNew: isNew, Users: users, Orgs: orgTree(units), Tiers: tiers}, nil
}
