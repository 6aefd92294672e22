package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/notify"
)

type notificationRow struct {
	bun.BaseModel `bun:"table:notifications,alias:n"`
	ID            int64 `bun:",pk,autoincrement"`
	UserID        int64
	Event         string
	TicketID      *int64
	Title         string
	Body          string
	Link          string
	CreatedAt     time.Time
	ReadAt        *time.Time
}

type notifyPrefRow struct {
	bun.BaseModel `bun:"table:notify_prefs,alias:np"`
	UserID        int64  `bun:",pk"`
	Event         string `bun:",pk"`
	Kind          string `bun:",pk"`
	Enabled       bool
}

// AddNotifications writes inbox entries in the caller's transaction and sets their IDs; an entry
// without a creation time is created now.
func (s Notify) AddNotifications(ctx context.Context, ns []*notify.Notification) error {
	now := s.Now().UTC()
	for chunk := range slices.Chunk(ns, enqueueChunk) {
		rows := make([][]any, len(chunk))
		for i, n := range chunk {
			if n.CreatedAt.IsZero() {
				n.CreatedAt = now
			}
			rows[i] = []any{n.UserID, string(n.Event), ptrID(n.TicketID), n.Title, n.Body, n.Link, n.CreatedAt, ptrTime(n.ReadAt)}
		}
		ids, err := s.insertBound(ctx, "notifications", notificationColumns, rows)
		if err == nil && len(ids) != len(chunk) {
			err = fmt.Errorf("store: %d ids for %d notifications", len(ids), len(chunk))
		}
		if err != nil {
			return classify(err, "notification")
		}
		for i, n := range chunk {
			n.ID = ids[i]
		}
	}
	return nil
}

// notificationColumns are the columns AddNotifications writes, in the order of its values.
var notificationColumns = []boundColumn{{"user_id", "bigint"}, {"event", "text"}, {"ticket_id", "bigint"}, {"title", "text"},
	{"body", "text"}, {"link", "text"}, {"created_at", "timestamptz"}, {"read_at", "timestamptz"}}

// Notifications lists up to limit entries of a person's inbox, newest first, only the unread ones
// when unreadOnly.
func (s Notify) Notifications(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]*notify.Notification, error) {
	if limit <= 0 {
		limit = 50
	}
	var rows []notificationRow
	q := s.r(ctx).NewSelect().Model(&rows).Where("user_id = ?", userID).OrderExpr("id DESC").Limit(int64(limit))
	if unreadOnly {
		q.Where("read_at IS NULL")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*notify.Notification, len(rows))
	for i, r := range rows {
		out[i] = &notify.Notification{ID: r.ID, UserID: r.UserID, Event: notify.Event(r.Event), TicketID: valID(r.TicketID),
			Title: r.Title, Body: r.Body, Link: r.Link, CreatedAt: r.CreatedAt.UTC(), ReadAt: valTime(r.ReadAt)}
	}
	return out, nil
}

// Unread counts a person's unread entries, through the partial index on unread ones.
func (s Notify) Unread(ctx context.Context, userID int64) (int, error) {
	return count(ctx, s.r(ctx).NewSelect().Model((*notificationRow)(nil)).Where("user_id = ? AND read_at IS NULL", userID))
}

// MarkRead marks the user's unread entries read at at: those of ids, or all of them when ids is
// empty. Ids of someone else's entries are ignored, so that nobody can touch another's inbox.
func (s Notify) MarkRead(ctx context.Context, userID int64, ids []int64, at time.Time) error {
	q := s.w(ctx).NewUpdate().Model((*notificationRow)(nil)).Set("read_at = ?", at.UTC()).
		Where("user_id = ? AND read_at IS NULL", userID)
	if len(ids) > 0 {
		q.Where("id IN (?)", bun.In(ids))
	}
	_, err := q.Exec(ctx)
	return err
}

// Preferences lists the preferences a person stored, by event and kind; an event and kind without
// one is on.
func (s Notify) Preferences(ctx context.Context, userID int64) ([]*notify.Preference, error) {
	var rows []notifyPrefRow
	if err := s.r(ctx).NewSelect().Model(&rows).Where("user_id = ?", userID).OrderExpr("event, kind").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*notify.Preference, len(rows))
	for i, r := range rows {
		out[i] = &notify.Preference{UserID: r.UserID, Event: notify.Event(r.Event), Kind: notify.Kind(r.Kind), Enabled: r.Enabled}
	}
	return out, nil
}

// PreferencesOf lists the preferences of many people at once, by person, for a batch of notices; a
// person who stored none is missing from the map.
func (s Notify) PreferencesOf(ctx context.Context, userIDs []int64) (map[int64][]*notify.Preference, error) {
	out := map[int64][]*notify.Preference{}
	for chunk := range slices.Chunk(distinctIDs(userIDs), lookupChunk) {
		var rows []notifyPrefRow
		err := s.r(ctx).NewSelect().Model(&rows).Where("user_id IN (?)", bun.In(chunk)).OrderExpr("user_id, event, kind").Scan(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.UserID] = append(out[r.UserID], &notify.Preference{UserID: r.UserID, Event: notify.Event(r.Event),
				Kind: notify.Kind(r.Kind), Enabled: r.Enabled})
		}
	}
	return out, nil
}

// SavePreferences stores a person's preferences, inserting or replacing each (event, kind); those
// not given stay as they are. The rows are the person's whatever UserID the preferences carry.
func (s Notify) SavePreferences(ctx context.Context, userID int64, ps []*notify.Preference) error {
	if len(ps) == 0 {
		return nil
	}
	// One row per (event, kind), the last one winning: PostgreSQL refuses an upsert that touches a
	// row twice.
	seen := make(map[[2]string]int, len(ps))
	var rows []notifyPrefRow
	for _, p := range ps {
		k := [2]string{string(p.Event), string(p.Kind)}
		r := notifyPrefRow{UserID: userID, Event: k[0], Kind: k[1], Enabled: p.Enabled}
		if i, ok := seen[k]; ok {
			rows[i] = r
			continue
		}
		seen[k] = len(rows)
		rows = append(rows, r)
	}
	_, err := s.w(ctx).NewInsert().Model(&rows).On("CONFLICT (user_id, event, kind) DO UPDATE").
		Set("enabled = EXCLUDED.enabled").Exec(ctx)
	return classify(err, "notify.preference")
}
