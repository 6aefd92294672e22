package web

import (
	"context"
	"net/http"

	"opsdesk/internal/notify"
)

// notifyChannelsPage lists the notification channels (通知渠道) with what waits or failed on each.
type notifyChannelsPage struct {
	basePage
	Rows []notifyChannelRow
}

// notifyChannelRow is one channel with its support group's name and its share of the outbox.
type notifyChannelRow struct {
	*notify.Channel
	Group         string
	Pending, Dead int
}

// notifyChannelList renders the channels.
func (h *Handler) notifyChannelList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	cs, err := h.d.Notify.Channels(ctx)
	if err != nil {
		return err
	}
	groups, err := h.groupNames(ctx)
	if err != nil {
		return err
	}
	pending, err := h.outboxByChannel(ctx, notify.Pending)
	if err != nil {
		return err
	}
	dead, err := h.outboxByChannel(ctx, notify.Dead)
	if err != nil {
		return err
	}
	p := &notifyChannelsPage{basePage: h.base(r, "web.channels.title")}
	for _, c := range cs {
		p.Rows = append(p.Rows, notifyChannelRow{Channel: c, Group: groups[c.GroupID], Pending: pending[c.ID], Dead: dead[c.ID]})
	}
	h.render(w, r, http.StatusOK, "notify/channels", p)
	return nil
}

// outboxByChannel counts the newest messages of a status per channel (up to the outbox page's
// limit, which is what an administrator can act on anyway).
func (h *Handler) outboxByChannel(ctx context.Context, st notify.Status) (map[int64]int, error) {
	ms, err := h.d.Notify.Outbox(ctx, st, notify.MaxLimit)
	if err != nil {
		return nil, err
	}
	out := map[int64]int{}
	for _, m := range ms {
		out[m.ChannelID]++
	}
	return out, nil
}

// groupNames maps support group ids to names.
func (h *Handler) groupNames(ctx context.Context) (map[int64]string, error) {
	gs, err := h.d.IAM.Groups(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(gs))
	for _, g := range gs {
		out[g.ID] = g.Name
	}
	return out, nil
}
