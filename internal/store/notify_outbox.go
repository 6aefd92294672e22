package store

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/notify"
)

type notifyOutboxRow struct {
	bun.BaseModel `bun:"table:notify_outbox,alias:no"`
	ID            int64 `bun:",pk,autoincrement"`
	ChannelID     int64
	Kind          string
	Event         string
	TicketID      *int64
	Ref           string
	Link          string
	UserID        *int64
	ToAddr        string
	Subject       string
	TextBody      string
	HTMLBody      string `bun:"html_body"`
	Payload       string
	IdemKey       string
	Status        string
	Attempts      int
	NextAt        time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        *time.Time
}

func fromMessage(m *notify.Message) notifyOutboxRow {
	return notifyOutboxRow{ID: m.ID, ChannelID: m.ChannelID, Kind: string(m.Kind), Event: string(m.Event),
		TicketID: ptrID(m.TicketID), Ref: m.Ref, Link: m.Link, UserID: ptrID(m.UserID), ToAddr: m.To, Subject: m.Subject,
		TextBody: m.Text, HTMLBody: m.HTML, Payload: m.Payload, IdemKey: m.Key, Status: string(m.Status),
		Attempts: m.Attempts, NextAt: m.NextAt.UTC(), LastError: m.LastError, CreatedAt: m.CreatedAt.UTC(), SentAt: ptrTime(m.SentAt)}
}

func toMessage(r *notifyOutboxRow) *notify.Message {
	return &notify.Message{ID: r.ID, ChannelID: r.ChannelID, Kind: notify.Kind(r.Kind), Event: notify.Event(r.Event),
		TicketID: valID(r.TicketID), Ref: r.Ref, Link: r.Link, UserID: valID(r.UserID), To: r.ToAddr, Subject: r.Subject,
		Text: r.TextBody, HTML: r.HTMLBody, Payload: r.Payload, Key: r.IdemKey, Status: notify.Status(r.Status),
		Attempts: r.Attempts, NextAt: r.NextAt.UTC(), LastError: r.LastError, CreatedAt: r.CreatedAt.UTC(), SentAt: valTime(r.SentAt)}
}

func toMessages(rows []notifyOutboxRow) []*notify.Message {
	out := make([]*notify.Message, len(rows))
	for i := range rows {
		out[i] = toMessage(&rows[i])
	}
	return out
}

// enqueueChunk bounds the rows of one INSERT, so that a fan-out to thousands of people stays a few
// statements of reasonable size.
const enqueueChunk = 500

// Enqueue writes messages in the caller's transaction and sets their IDs. A message without a
// status is pending; without a creation time it is created now; without a next attempt it is due at
// once; without an idempotency key it gets a random one.
func (s Notify) Enqueue(ctx context.Context, ms []*notify.Message) error {
	now := s.Now().UTC()
	for _, m := range ms {
		if m.Status == "" {
			m.Status = notify.Pending
		}
		if m.CreatedAt.IsZero() {
			m.CreatedAt = now
		}
		if m.NextAt.IsZero() {
			m.NextAt = m.CreatedAt
		}
		if m.Key == "" {
			m.Key = newIdemKey()
		}
	}
	for chunk := range slices.Chunk(ms, enqueueChunk) {
		rows := make([][]any, len(chunk))
		for i, m := range chunk {
			rows[i] = []any{m.ChannelID, string(m.Kind), string(m.Event), ptrID(m.TicketID), m.Ref, m.Link, ptrID(m.UserID),
				m.To, m.Subject, m.Text, m.HTML, m.Payload, m.Key, string(m.Status), m.Attempts, m.NextAt,
				m.LastError, m.CreatedAt, ptrTime(m.SentAt)}
		}
		ids, err := s.insertBound(ctx, "notify_outbox", outboxColumns, rows)
		if err == nil && len(ids) != len(chunk) {
			err = fmt.Errorf("%d ids for %d rows", len(ids), len(chunk))
		}
		if err != nil {
			// Unclassified: keys are random, so a repeated one is a bug, not something to tell a user.
			return fmt.Errorf("store: enqueue notifications: %w", err)
		}
		for i, m := range chunk {
			m.ID = ids[i]
		}
	}
	return nil
}

// outboxColumns are the columns Enqueue writes, in the order of its values.
var outboxColumns = []boundColumn{{"channel_id", "bigint"}, {"kind", "text"}, {"event", "text"}, {"ticket_id", "bigint"},
	{"ref", "text"}, {"link", "text"}, {"user_id", "bigint"}, {"to_addr", "text"}, {"subject", "text"}, {"text_body", "text"},
	{"html_body", "text"}, {"payload", "text"}, {"idem_key", "text"}, {"status", "text"}, {"attempts", "bigint"},
	{"next_at", "timestamptz"}, {"last_error", "text"}, {"created_at", "timestamptz"}, {"sent_at", "timestamptz"}}

// newIdemKey returns 128 random bits in hex.
func newIdemKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

// Claim takes up to limit due pending messages, oldest due first, and moves their next attempt to
// now+lease in the same statement, reading through the partial index on pending next_at. On
// PostgreSQL the inner SELECT locks the rows it picks and skips rows another replica is claiming at
// that moment, so that two replicas never claim one message; SQLite has a single writer, which makes
// the statement exclusive anyway. The messages come back in id order.
func (s Notify) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*notify.Message, error) {
	if limit <= 0 {
		return nil, nil
	}
	var rows []notifyOutboxRow
	err := s.w(ctx).NewRaw(claimSQL(s.IsPostgres()), now.Add(lease).UTC(), now.UTC(), limit).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(rows, func(a, b notifyOutboxRow) int { return cmp.Compare(a.ID, b.ID) })
	return toMessages(rows), nil
}

// claimSQL is the claim statement of an engine; its arguments are the lease's end, now and the limit.
// Without statistics SQLite's planner prefers the (status, id) index and sorts every pending message
// (all of them after an outage) for each batch; INDEXED BY holds it to the partial index, whose
// order is the claim's, and fails loudly should the index ever be missing.
func claimSQL(postgres bool) string {
	from, lock := "notify_outbox INDEXED BY notify_outbox_due", ""
	if postgres {
		from, lock = "notify_outbox", " FOR UPDATE SKIP LOCKED"
	}
	return `UPDATE notify_outbox SET next_at = ? WHERE id IN (SELECT id FROM ` + from + `
		WHERE status = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?` + lock + `) RETURNING *`
}

// deliveredChunk bounds the ids of one UPDATE.
const deliveredChunk = 1000

// Delivered marks messages sent at at, counting the attempt, in one statement per thousand ids. A
// message already marked sent (by a replica that re-claimed it after the lease) keeps its first
// sent_at.
func (s Notify) Delivered(ctx context.Context, ids []int64, at time.Time) error {
	for chunk := range slices.Chunk(ids, deliveredChunk) {
		_, err := s.w(ctx).NewUpdate().Model((*notifyOutboxRow)(nil)).
			Set("status = ?", string(notify.Sent)).Set("sent_at = ?", at.UTC()).Set("attempts = attempts + 1").
			Set("last_error = ''").Where("id IN (?) AND status <> ?", bun.In(chunk), string(notify.Sent)).Exec(ctx)
		if err != nil {
			return err
		}
	}
	return nil
}

// Failed records a failed attempt as the sender decided it: m's Attempts, LastError, NextAt and
// Status (Pending for another try, Dead to give up). It does not touch a message that is no longer
// pending, which a replica delivered or gave up on meanwhile; errs.NotFound when absent.
func (s Notify) Failed(ctx context.Context, m *notify.Message) error {
	res, err := s.w(ctx).NewUpdate().Model((*notifyOutboxRow)(nil)).
		Set("attempts = ?", m.Attempts).Set("last_error = ?", m.LastError).Set("next_at = ?", m.NextAt.UTC()).
		Set("status = ?", string(m.Status)).Where("id = ? AND status = ?", m.ID, string(notify.Pending)).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		_, err := s.ByID(ctx, m.ID)
		return err
	}
	return nil
}

// ByID returns one outbox message; errs.NotFound when absent.
func (s Notify) ByID(ctx context.Context, id int64) (*notify.Message, error) {
	var row notifyOutboxRow
	if err := s.r(ctx).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, classify(err, "notify.message")
	}
	return toMessage(&row), nil
}

// ByKey finds a message by its idempotency key; errs.NotFound when absent.
func (s Notify) ByKey(ctx context.Context, key string) (*notify.Message, error) {
	var row notifyOutboxRow
	if err := s.r(ctx).NewSelect().Model(&row).Where("idem_key = ?", key).Scan(ctx); err != nil {
		return nil, classify(err, "notify.message")
	}
	return toMessage(&row), nil
}

// Outbox lists up to limit messages of a status (every status when empty), newest first.
func (s Notify) Outbox(ctx context.Context, status notify.Status, limit int) ([]*notify.Message, error) {
	if limit <= 0 {
		limit = 100
	}
	var rows []notifyOutboxRow
	q := s.r(ctx).NewSelect().Model(&rows).OrderExpr("id DESC").Limit(int64(limit))
	if status != "" {
		q.Where("status = ?", string(status))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, err
	}
	return toMessages(rows), nil
}

// OutboxCounts counts the messages of each status; a status without messages is absent.
func (s Notify) OutboxCounts(ctx context.Context) (map[notify.Status]int, error) {
	var rows []struct {
		Status string
		N      int
	}
	err := s.r(ctx).NewSelect().Model((*notifyOutboxRow)(nil)).ColumnExpr("status, COUNT(*) AS n").GroupExpr("status").
		Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	out := make(map[notify.Status]int, len(rows))
	for _, r := range rows {
		out[notify.Status(r.Status)] = r.N
	}
	return out, nil
}

// Retry puts a dead message back to pending, due at now, with a fresh count of attempts (its last
// error stays until the next attempt). errs.Invalid when it is not dead, errs.NotFound when absent.
func (s Notify) Retry(ctx context.Context, id int64, now time.Time) error {
	res, err := s.w(ctx).NewUpdate().Model((*notifyOutboxRow)(nil)).Set("status = ?", string(notify.Pending)).
		Set("next_at = ?", now.UTC()).Set("attempts = 0").Where("id = ? AND status = ?", id, string(notify.Dead)).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.ByID(ctx, id); err != nil {
			return err
		}
		return errs.E(errs.Invalid, "err.notify.not_dead")
	}
	return nil
}

// PurgeSent deletes up to limit messages sent before before, oldest first; dead and pending ones
// always stay. It returns how many went.
func (s Notify) PurgeSent(ctx context.Context, before time.Time, limit int) (int, error) {
	sub := s.w(ctx).NewSelect().Model((*notifyOutboxRow)(nil)).Column("id").
		Where("status = ? AND sent_at < ?", string(notify.Sent), before.UTC()).Order("id").Limit(int64(limit))
	res, err := s.w(ctx).NewDelete().Model((*notifyOutboxRow)(nil)).Where("id IN (?)", sub).Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
