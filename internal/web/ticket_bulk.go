package web

import (
	"net/http"

	"opsdesk/internal/errs"
)

// ticketBulk assigns or cancels the tickets selected in the workspace, one service call each, with
// the reason the agent gave. Tickets that changed meanwhile or may not be touched are counted and
// left as they are; the notice says whether all went through.
func (h *Handler) ticketBulk(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	ids := fe.ids(r, "ids")
	msg := ""
	reason := r.PostFormValue("reason")
	action := r.PostFormValue("action")
	group, user, okTarget := parseTarget(r.PostFormValue("target"))
	switch {
	case len(ids) == 0 || len(fe) > 0:
		msg = "web.queue.bulk_none"
	case len(ids) > 200:
		msg = "web.queue.bulk_many"
	case action == "assign" && !okTarget:
		msg = "web.queue.bulk_target"
	case action != "assign" && action != "cancel":
		msg = "err.invalid"
	}
	if msg != "" {
		return errs.E(errs.Invalid, msg)
	}
	ctx := r.Context()
	failed := 0
	for _, id := range ids {
		t, err := h.d.Tickets.Get(ctx, id)
		if err == nil {
			if action == "assign" {
				_, err = h.d.Tickets.Assign(ctx, id, t.Version, group, user, reason)
			} else {
				_, err = h.d.Tickets.Cancel(ctx, id, t.Version, reason)
			}
		}
		if err != nil {
			if errs.KindOf(err) == errs.Internal {
				return err
			}
			failed++
		}
	}
	flash := "web.flash.ticket.bulk_done"
	if failed > 0 {
		flash = "web.flash.ticket.bulk_partial"
	}
	h.setFlash(w, flash)
	h.redirect(w, r, queueBack(r.PostFormValue("back")))
	return nil
}

// queueBack keeps a return address only when it is the workspace.
func queueBack(back string) string {
	if p := sitePath(back); len(p) >= 8 && p[:8] == "/tickets" {
		return p
	}
	return "/tickets"
}
