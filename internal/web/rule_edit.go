package web

import (
	"net/http"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// ruleEdit renders the form of an existing rule.
func (h *Handler) ruleEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ru, err := h.findRule(r, id)
	if err != nil {
		return err
	}
	p, err := h.ruleFormPage(r, false)
	if err != nil {
		return err
	}
	p.Form = ruleForm{ID: ru.ID, Version: ru.Version, Name: ru.Name, Sort: ru.Sort, CategoryID: ru.CategoryID, Channel: ru.Channel,
		Location: ru.Location, Keyword: ru.Keyword, GroupID: ru.GroupID, Active: ru.Active}
	h.render(w, r, http.StatusOK, "ticketadmin/rule_form", p)
	return nil
}

// findRule returns one rule; the service lists them all, which is a handful.
func (h *Handler) findRule(r *http.Request, id int64) (*ticket.Rule, error) {
	rules, err := h.d.Tickets.DispatchRules(r.Context())
	if err != nil {
		return nil, err
	}
	for _, ru := range rules {
		if ru.ID == id {
			return ru, nil
		}
	}
	return nil, errs.E(errs.NotFound, "err.not_found")
}
