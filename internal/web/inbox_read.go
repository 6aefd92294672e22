package web

import (
	"net/http"
	"net/url"
	"strings"

	"opsdesk/internal/errs"
)

// inboxReadAll marks every notification of the user read (全部标为已读).
func (h *Handler) inboxReadAll(w http.ResponseWriter, r *http.Request) error {
	if err := h.d.Notify.MarkRead(r.Context(), nil); err != nil {
		return err
	}
	h.setFlash(w, "web.flash.inbox_read")
	h.redirect(w, r, "/inbox")
	return nil
}

// inboxRead marks one notification read. htmx gets the row back, no longer bold, and the header
// badge out of band; a plain form goes back to the inbox.
func (h *Handler) inboxRead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := h.d.Notify.MarkRead(ctx, []int64{id}); err != nil {
		return err
	}
	if !isHTMX(r) {
		http.Redirect(w, r, "/inbox", http.StatusSeeOther)
		return nil
	}
	n, ok, err := h.notification(ctx, id)
	if err != nil {
		return err
	}
	if !ok { // someone else's id changed nothing; there is no row to show
		return errs.E(errs.NotFound, "err.not_found")
	}
	h.fragment(w, r, http.StatusOK, "inbox/list", "inbox_read", inboxReadData{
		Row: h.inboxRow(langOf(r), n), Lang: langOf(r), Unread: h.unreadCount(r)})
	return nil
}

// inboxReadData is the htmx answer to marking one notification read.
type inboxReadData struct {
	Row    inboxRow
	Lang   string
	Unread int
}

// inboxOpen marks a notification read on its way to the ticket: the inbox's link posts here with
// htmx and follows HX-Redirect. Without script the link goes to the ticket directly.
func (h *Handler) inboxOpen(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	n, ok, err := h.notification(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return errs.E(errs.NotFound, "err.not_found")
	}
	if err := h.d.Notify.MarkRead(ctx, []int64{id}); err != nil {
		return err
	}
	h.redirect(w, r, h.followLink(n.Link))
	return nil
}

// followLink is where opening a notification leads: its page on this site, another http(s) page,
// or the inbox when the notification has no usable link.
func (h *Handler) followLink(link string) string {
	to := h.localLink(link)
	if strings.HasPrefix(to, "/") {
		return sitePath(to)
	}
	if u, err := url.Parse(to); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return to
	}
	return "/inbox"
}
