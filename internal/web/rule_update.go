package web

import "net/http"

// ruleUpdate saves a dispatch rule at the version the form was rendered with.
func (h *Handler) ruleUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := h.findRule(r, id); err != nil {
		return err
	}
	return h.ruleSave(w, r, id)
}
