package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/mailin"
)

// Mailin implements mailin.Store: the mailboxes (this file) and the mail records
// (mailin_mails.go).
type Mailin struct{ *DB }

var _ mailin.Store = Mailin{}

type mailboxRow struct {
	bun.BaseModel `bun:"table:mailin_mailboxes,alias:mb"`
	ID            int64 `bun:",pk,autoincrement"`
	Name          string
	Enabled       bool
	Host          string
	Port          int
	TLS           string `bun:"tls"`
	Username      string
	Password      string
	Folder        string
	Address       string
	PollSeconds   int
	UIDValidity   int64 `bun:"uid_validity"`
	LastUID       int64 `bun:"last_uid"`
	LastPolledAt  *time.Time
	LastError     string
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func toMailbox(r *mailboxRow) *mailin.Mailbox {
	return &mailin.Mailbox{ID: r.ID, Name: r.Name, Enabled: r.Enabled, Host: r.Host, Port: r.Port, TLS: r.TLS,
		Username: r.Username, Password: r.Password, Folder: r.Folder, Address: r.Address, PollSeconds: r.PollSeconds,
		UIDValidity: uint32(r.UIDValidity), LastUID: uint32(r.LastUID), LastPolledAt: valTime(r.LastPolledAt),
		LastError: r.LastError, Version: r.Version}
}

// Mailboxes lists every mailbox in id order.
func (s Mailin) Mailboxes(ctx context.Context) ([]*mailin.Mailbox, error) {
	var rows []mailboxRow
	if err := s.r(ctx).NewSelect().Model(&rows).OrderExpr("id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*mailin.Mailbox, len(rows))
	for i := range rows {
		out[i] = toMailbox(&rows[i])
	}
	return out, nil
}

// Mailbox returns one mailbox; errs.NotFound when absent.
func (s Mailin) Mailbox(ctx context.Context, id int64) (*mailin.Mailbox, error) {
	var row mailboxRow
	if err := s.r(ctx).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, classify(err, "mailin.mailbox")
	}
	return toMailbox(&row), nil
}

// SaveMailbox inserts a mailbox (ID 0) or updates its settings at its version: errs.Conflict
// "err.stale" when someone changed it meanwhile, errs.Conflict when another mailbox has the name.
// The poll position and state belong to the poller (SavePollState) and are not touched here.
func (s Mailin) SaveMailbox(ctx context.Context, m *mailin.Mailbox) error {
	now := s.Now().UTC()
	row := &mailboxRow{ID: m.ID, Name: m.Name, Enabled: m.Enabled, Host: m.Host, Port: m.Port, TLS: m.TLS,
		Username: m.Username, Password: m.Password, Folder: m.Folder, Address: m.Address, PollSeconds: m.PollSeconds,
		Version: m.Version + 1, CreatedAt: now, UpdatedAt: now}
	if m.ID == 0 {
		row.Version = 1
		if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return classify(err, "mailin.mailbox")
		}
		m.ID, m.Version = row.ID, 1
		return nil
	}
	res, err := s.w(ctx).NewUpdate().Model(row).
		Column("name", "enabled", "host", "port", "tls", "username", "password", "folder", "address", "poll_seconds",
			"version", "updated_at").
		Where("id = ? AND version = ?", m.ID, m.Version).Exec(ctx)
	if err != nil {
		return classify(err, "mailin.mailbox")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Mailbox(ctx, m.ID); err != nil {
			return err // gone: NotFound rather than a stale version
		}
		return errs.E(errs.Conflict, "err.stale")
	}
	m.Version++
	return nil
}

// DeleteMailbox removes a mailbox; errs.NotFound when absent. Its mail records stay.
func (s Mailin) DeleteMailbox(ctx context.Context, id int64) error {
	res, err := s.w(ctx).NewDelete().Model((*mailboxRow)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "err.not_found")
	}
	return nil
}

// SavePollState records where polling of m stands and how its last poll went, without a version
// check and without touching its settings.
func (s Mailin) SavePollState(ctx context.Context, m *mailin.Mailbox) error {
	_, err := s.w(ctx).NewUpdate().Model((*mailboxRow)(nil)).
		Set("uid_validity = ?", int64(m.UIDValidity)).Set("last_uid = ?", int64(m.LastUID)).
		Set("last_polled_at = ?", ptrTime(m.LastPolledAt)).Set("last_error = ?", m.LastError).
		Where("id = ?", m.ID).Exec(ctx)
	return err
}
