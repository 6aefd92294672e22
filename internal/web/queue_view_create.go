package web

import (
	"net/http"
	"strings"

	"opsdesk/internal/ticket"
)

// queueViewCreate saves the workspace's current filter, sent as hidden fields of the save form,
// under a name. The filter values are passed on as typed, so that the service names any it does not
// know; a problem shows the views page with the form and what it tried to save.
func (h *Handler) queueViewCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	v := ticket.View{Name: r.PostFormValue("name"), ShareGroupID: fe.id(r, "share_group_id"),
		Filter: ticket.ViewFilter{Tab: r.PostFormValue("tab"), Status: r.PostFormValue("status"),
			Priority: ticket.Priority(fe.int(r, "priority")), Type: ticket.Type(r.PostFormValue("type")),
			GroupID: fe.id(r, "group"), CategoryID: fe.id(r, "category"), Query: strings.TrimSpace(r.PostFormValue("q")),
			Sort: ticket.Sort(r.PostFormValue("sort"))}}
	err := fe.err()
	if err == nil {
		err = h.d.Tickets.CreateView(r.Context(), &v)
	}
	if err != nil {
		ok, status, msg, fields := formError(err)
		if !ok {
			return err
		}
		p, perr := h.newQueueViewsPage(r)
		if perr != nil {
			return perr
		}
		p.Form, p.New, p.V = "create", v, r.PostForm
		p.fail(msg, fields)
		h.render(w, r, status, "queue/views", p)
		return nil
	}
	h.setFlash(w, "web.flash.queue.view_saved")
	h.redirect(w, r, filterOfView(&v).URL("", ""))
	return nil
}
