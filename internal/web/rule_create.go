package web

import "net/http"

// ruleCreate adds a dispatch rule.
func (h *Handler) ruleCreate(w http.ResponseWriter, r *http.Request) error {
	return h.ruleSave(w, r, 0)
}
