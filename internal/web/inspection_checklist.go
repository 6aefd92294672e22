package web

import (
	"net/http"
	"strconv"
	"strings"

	"opsdesk/internal/ticket"
)

// checklistPage edits the quality-inspection checklist (质检项): one row per item with its weight,
// and empty rows to add items. A row whose name is cleared is removed.
type checklistPage struct {
	basePage
	Items []*ticket.ChecklistItem
	Total int // sum of the active weights, shown beside the form
}

// checklistBlankRows is how many empty rows the form offers for new items.
const checklistBlankRows = 3

// RowErr is the message key of a row's field problem.
func (p *checklistPage) RowErr(i int, field string) string {
	return p.Errors["items."+strconv.Itoa(i)+"."+field]
}

// inspectionChecklist renders the checklist form.
func (h *Handler) inspectionChecklist(w http.ResponseWriter, r *http.Request) error {
	items, err := h.d.Tickets.Checklist(r.Context())
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "ticketadmin/checklist", newChecklistPage(h.base(r, "web.inspection.checklist_title"), items))
	return nil
}

func newChecklistPage(b basePage, items []*ticket.ChecklistItem) *checklistPage {
	p := &checklistPage{basePage: b, Items: items}
	for _, c := range items {
		if c.Active {
			p.Total += c.Weight
		}
	}
	for range checklistBlankRows {
		p.Items = append(p.Items, &ticket.ChecklistItem{Active: true})
	}
	return p
}

// inspectionChecklistSave replaces the checklist with the rows that have a name.
func (h *Handler) inspectionChecklistSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	var items, rows []*ticket.ChecklistItem
	f := r.PostForm
	for i := range f["name"] {
		at := func(name string) string {
			if vs := f[name]; i < len(vs) {
				return strings.TrimSpace(vs[i])
			}
			return ""
		}
		c := &ticket.ChecklistItem{Name: at("name"), NameEN: at("name_en"), Sort: (len(items) + 1) * 10}
		c.ID, _ = strconv.ParseInt(at("id"), 10, 64)
		if w, err := strconv.Atoi(at("weight")); err == nil {
			c.Weight = w
		} else if c.Name != "" {
			fe["items."+strconv.Itoa(len(items))+".weight"] = "err.number"
		}
		c.Active = at("active") != "0"
		rows = append(rows, c)
		if c.Name != "" {
			items = append(items, c)
		}
	}
	err := fe.err()
	if err == nil {
		_, err = h.d.Tickets.SaveChecklist(r.Context(), items)
	}
	if ok, status, msg, fields := formError(err); ok {
		p := &checklistPage{basePage: h.base(r, "web.inspection.checklist_title"), Items: items}
		for len(p.Items) < len(rows) {
			p.Items = append(p.Items, &ticket.ChecklistItem{Active: true})
		}
		p.fail(msg, fields)
		h.render(w, r, status, "ticketadmin/checklist", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.checklist_saved")
	http.Redirect(w, r, "/admin/inspection-checklist", http.StatusSeeOther)
	return nil
}
