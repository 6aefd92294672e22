package web

import "net/http"

// notifyChannelDelete removes a channel; messages still queued for it end up dead in the outbox.
func (h *Handler) notifyChannelDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.d.Notify.DeleteChannel(r.Context(), id); err != nil {
		return err
	}
	h.setFlash(w, "web.flash.deleted")
	http.Redirect(w, r, "/admin/channels", http.StatusSeeOther)
	return nil
}
