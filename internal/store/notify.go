package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/notify"
)

// Notify implements notify.Store: the delivery channels (this file), the outbox (notify_outbox.go),
// the in-app inbox and the preferences (notify_inbox.go).
type Notify struct{ *DB }

var _ notify.Store = Notify{}

type notifyChannelRow struct {
	bun.BaseModel `bun:"table:notify_channels,alias:nc"`
	ID            int64 `bun:",pk,autoincrement"`
	Kind          string
	Name          string
	Enabled       bool
	EventsJSON    string `bun:"events_json"`
	GroupID       *int64
	ConfigJSON    string `bun:"config_json"`
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func toChannel(r *notifyChannelRow) (*notify.Channel, error) {
	c := &notify.Channel{ID: r.ID, Kind: notify.Kind(r.Kind), Name: r.Name, Enabled: r.Enabled, GroupID: valID(r.GroupID),
		Version: r.Version}
	if err := json.Unmarshal([]byte(r.EventsJSON), &c.Events); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(r.ConfigJSON), &c.Config); err != nil {
		return nil, err
	}
	return c, nil
}

// Channels lists every channel in id order.
func (s Notify) Channels(ctx context.Context) ([]*notify.Channel, error) {
	var rows []notifyChannelRow
	if err := s.r(ctx).NewSelect().Model(&rows).OrderExpr("id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*notify.Channel, len(rows))
	for i := range rows {
		c, err := toChannel(&rows[i])
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// Channel returns one channel; errs.NotFound when absent.
func (s Notify) Channel(ctx context.Context, id int64) (*notify.Channel, error) {
	var row notifyChannelRow
	if err := s.r(ctx).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, classify(err, "notify.channel")
	}
	return toChannel(&row)
}

// SaveChannel inserts a channel (ID 0) or updates it at its version: errs.Conflict "err.stale" when
// someone changed it meanwhile, errs.Conflict when another channel has the name.
func (s Notify) SaveChannel(ctx context.Context, c *notify.Channel) error {
	events := c.Events
	if events == nil {
		events = []notify.Event{}
	}
	ev, err := json.Marshal(events)
	if err != nil {
		return err
	}
	config := c.Config
	if config == nil {
		config = map[string]string{}
	}
	cf, err := json.Marshal(config)
	if err != nil {
		return err
	}
	now := s.Now().UTC()
	row := &notifyChannelRow{ID: c.ID, Kind: string(c.Kind), Name: c.Name, Enabled: c.Enabled, EventsJSON: string(ev),
		GroupID: ptrID(c.GroupID), ConfigJSON: string(cf), Version: c.Version + 1, CreatedAt: now, UpdatedAt: now}
	if c.ID == 0 {
		row.Version = 1
		if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return classify(err, "notify.channel")
		}
		c.ID, c.Version = row.ID, 1
		return nil
	}
	res, err := s.w(ctx).NewUpdate().Model(row).ExcludeColumn("id", "created_at").
		Where("id = ? AND version = ?", c.ID, c.Version).Exec(ctx)
	if err != nil {
		return classify(err, "notify.channel")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Channel(ctx, c.ID); err != nil {
			return err // gone: NotFound rather than a stale version
		}
		return errs.E(errs.Conflict, "err.stale")
	}
	c.Version++
	return nil
}

// DeleteChannel removes a channel; errs.NotFound when absent. Messages queued for it stay in the
// outbox, and the sender parks them dead, saying the channel is gone.
func (s Notify) DeleteChannel(ctx context.Context, id int64) error {
	res, err := s.w(ctx).NewDelete().Model((*notifyChannelRow)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "err.not_found")
	}
	return nil
}
