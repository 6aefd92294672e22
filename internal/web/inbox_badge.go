package web

import "net/http"

// unreadCount is the signed-in user's number of unread notifications for the header badge: one
// indexed COUNT per page. A failure only hides the badge; the page itself must not fail over it.
func (h *Handler) unreadCount(r *http.Request) int {
	if h.d.Notify == nil {
		return 0
	}
	n, err := h.d.Notify.Unread(r.Context())
	if err != nil {
		h.d.Log.Warn("unread notifications", "user", userName(r), "err", err)
		return 0
	}
	return n
}
