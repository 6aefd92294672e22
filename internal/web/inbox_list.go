package web

import (
	"context"
	"net/http"
	"strings"

	"opsdesk/internal/notify"
)

// inboxPage is the signed-in user's notification inbox (站内信), newest first.
type inboxPage struct {
	basePage
	Rows       []inboxRow
	UnreadOnly bool
}

// inboxRow is one notification with its link made local to this site, so that it works whatever
// host name the browser used.
type inboxRow struct {
	*notify.Notification
	Lang string
	Href string
}

// IsUnread reports whether the notification still counts in the badge.
func (r inboxRow) IsUnread() bool { return r.ReadAt.IsZero() }

// inboxList renders the inbox; ?unread=1 shows only the unread ones.
func (h *Handler) inboxList(w http.ResponseWriter, r *http.Request) error {
	p := &inboxPage{basePage: h.base(r, "web.inbox.title"), UnreadOnly: r.URL.Query().Get("unread") == "1"}
	ns, err := h.d.Notify.Inbox(r.Context(), p.UnreadOnly, notify.DefaultLimit*2)
	if err != nil {
		return err
	}
	for _, n := range ns {
		p.Rows = append(p.Rows, h.inboxRow(p.Lang, n))
	}
	h.render(w, r, http.StatusOK, "inbox/list", p)
	return nil
}

func (h *Handler) inboxRow(lang string, n *notify.Notification) inboxRow {
	return inboxRow{Notification: n, Lang: lang, Href: h.localLink(n.Link)}
}

// localLink turns an absolute link under the public URL into a path on this site; other links stay.
func (h *Handler) localLink(link string) string {
	base := strings.TrimSuffix(h.d.Cfg.PublicURL(), "/")
	if rest, ok := strings.CutPrefix(link, base); ok && strings.HasPrefix(rest, "/") {
		return sitePath(rest)
	}
	return link
}

// notification finds one of the user's own recent notifications; the service offers no lookup by id,
// and a user acts only on what the inbox page showed.
func (h *Handler) notification(ctx context.Context, id int64) (*notify.Notification, bool, error) {
	ns, err := h.d.Notify.Inbox(ctx, false, notify.MaxLimit)
	if err != nil {
		return nil, false, err
	}
	for _, n := range ns {
		if n.ID == id {
			return n, true, nil
		}
	}
	return nil, false, nil
}
