package web

import (
	"net/http"
)

// queueViewDelete removes one of the actor's views.
func (h *Handler) queueViewDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.d.Tickets.DeleteView(r.Context(), id); err != nil {
		return err
	}
	h.setFlash(w, "web.flash.queue.view_deleted")
	h.redirect(w, r, "/tickets/views")
	return nil
}
