package web

import (
	"net/http"
)

// queueViewRename renames one of the actor's views; a bad name comes back next to that view.
func (h *Handler) queueViewRename(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if _, err := h.d.Tickets.RenameView(r.Context(), id, r.PostFormValue("name")); err != nil {
		ok, status, msg, fields := formError(err)
		if !ok {
			return err
		}
		p, perr := h.newQueueViewsPage(r)
		if perr != nil {
			return perr
		}
		p.Form, p.Failed, p.V = "rename", id, r.PostForm
		p.fail(msg, fields)
		h.render(w, r, status, "queue/views", p)
		return nil
	}
	h.setFlash(w, "web.flash.queue.view_renamed")
	h.redirect(w, r, "/tickets/views")
	return nil
}
