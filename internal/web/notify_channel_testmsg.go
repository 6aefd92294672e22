package web

import "net/http"

// notifyChannelTest queues a test message over a channel (发送测试): an e-mail to the administrator's
// own address, or a post to the bot. It goes through the outbox, whose pages show how it went.
func (h *Handler) notifyChannelTest(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.d.Notify.TestChannel(r.Context(), id); err != nil {
		return err
	}
	h.setFlash(w, "web.flash.channel_test_queued")
	http.Redirect(w, r, "/admin/channels", http.StatusSeeOther)
	return nil
}
