package web

import "net/http"

// slaPolicyUpdate saves a policy at the version the form was rendered with.
func (h *Handler) slaPolicyUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return h.slaPolicySave(w, r, id)
}
