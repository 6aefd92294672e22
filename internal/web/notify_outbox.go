package web

import (
	"net/http"
	"slices"

	"opsdesk/internal/notify"
)

// notifyOutboxPage shows the outbox (发件箱) by status: pending (待发送), dead (发送失败) with a
// retry button, and sent.
type notifyOutboxPage struct {
	basePage
	Status   notify.Status
	Statuses []notify.Status
	Counts   map[notify.Status]int
	Rows     []outboxRow
}

// outboxRow is one message with the name of its channel.
type outboxRow struct {
	*notify.Message
	Channel string
}

// notifyOutbox renders one status of the outbox; dead messages first when there are any.
func (h *Handler) notifyOutbox(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	counts, err := h.d.Notify.OutboxCounts(ctx)
	if err != nil {
		return err
	}
	st := notify.Status(r.URL.Query().Get("status"))
	if !slices.Contains(notify.Statuses, st) {
		st = notify.Pending
		if counts[notify.Dead] > 0 && counts[notify.Pending] == 0 {
			st = notify.Dead
		}
	}
	ms, err := h.d.Notify.Outbox(ctx, st, notify.MaxLimit)
	if err != nil {
		return err
	}
	cs, err := h.d.Notify.Channels(ctx)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	p := &notifyOutboxPage{basePage: h.base(r, "web.outbox.title"), Status: st, Statuses: notify.Statuses, Counts: counts}
	for _, m := range ms {
		p.Rows = append(p.Rows, outboxRow{Message: m, Channel: names[m.ChannelID]})
	}
	h.render(w, r, http.StatusOK, "notify/outbox", p)
	return nil
}

// notifyOutboxRetry puts a dead message back in the queue (重试); the sender takes it at once.
func (h *Handler) notifyOutboxRetry(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.d.Notify.Retry(r.Context(), id); err != nil {
		return err
	}
	h.setFlash(w, "web.flash.outbox_retried")
	http.Redirect(w, r, "/admin/outbox?status=dead", http.StatusSeeOther)
	return nil
}
