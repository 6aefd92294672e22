package web

import "net/http"

// groupEdit renders the edit form of a support group.
func (h *Handler) groupEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	g, err := h.d.IAM.Group(r.Context(), id)
	if err != nil {
		return err
	}
	p, err := h.groupFormPage(r, false)
	if err != nil {
		return err
	}
	p.Form = groupForm{ID: g.ID, Version: g.Version, Name: g.Name, Code: g.Code, Description: g.Description,
		Tier: g.Tier, ManagerID: g.ManagerID, OrgUnitID: g.OrgUnitID, MemberIDs: g.MemberIDs}
	h.render(w, r, http.StatusOK, "group/form", p)
	return nil
}
