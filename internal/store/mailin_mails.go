package store

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/mailin"
)

type mailRow struct {
	bun.BaseModel `bun:"table:mailin_mails,alias:mm"`
	ID            int64 `bun:",pk,autoincrement"`
	MailboxID     int64
	MessageID     string
	FromAddr      string
	Subject       string
	Size          int64
	ReceivedAt    time.Time
	Outcome       string
	TicketID      *int64
	Reason        string
}

func toMail(r *mailRow) *mailin.Mail {
	return &mailin.Mail{ID: r.ID, MailboxID: r.MailboxID, MessageID: r.MessageID, From: r.FromAddr, Subject: r.Subject,
		Size: int(r.Size), ReceivedAt: r.ReceivedAt.UTC(), Outcome: mailin.Outcome(r.Outcome), TicketID: valID(r.TicketID),
		Reason: r.Reason}
}

// AddMail records a message with its raw bytes; errs.Conflict when its mailbox already has the
// Message-ID.
func (s Mailin) AddMail(ctx context.Context, m *mailin.Mail, raw []byte) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		row := &mailRow{MailboxID: m.MailboxID, MessageID: m.MessageID, FromAddr: strings.ToLower(m.From), Subject: m.Subject,
			Size: int64(m.Size), ReceivedAt: m.ReceivedAt.UTC(), Outcome: string(m.Outcome), TicketID: ptrID(m.TicketID),
			Reason: m.Reason}
		if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return classify(err, "mailin.mail")
		}
		m.ID = row.ID
		// As for attachments: the bytes go through database/sql as a bound parameter, not as a
		// literal in the SQL text.
		q := `INSERT INTO mailin_raw (mail_id, data) VALUES (?, ?)`
		if s.Driver == Postgres {
			q = `INSERT INTO mailin_raw (mail_id, data) VALUES ($1, $2)`
		}
		if raw == nil {
			raw = []byte{}
		}
		_, err := ctx.Value(txKey{}).(bun.Tx).Tx.ExecContext(ctx, q, row.ID, raw)
		return err
	})
}

// SetOutcome changes a record's outcome, ticket and reason when its outcome is still was.
func (s Mailin) SetOutcome(ctx context.Context, m *mailin.Mail, was mailin.Outcome) error {
	res, err := s.w(ctx).NewUpdate().Model((*mailRow)(nil)).Set("outcome = ?", string(m.Outcome)).
		Set("ticket_id = ?", ptrID(m.TicketID)).Set("reason = ?", m.Reason).
		Where("id = ? AND outcome = ?", m.ID, string(was)).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Mail(ctx, m.ID); err != nil {
			return err
		}
		return errs.E(errs.Conflict, "err.mailin.not_held")
	}
	return nil
}

// Mail returns one record; errs.NotFound when absent.
func (s Mailin) Mail(ctx context.Context, id int64) (*mailin.Mail, error) {
	var row mailRow
	if err := s.r(ctx).NewSelect().Model(&row).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, classify(err, "mailin.mail")
	}
	return toMail(&row), nil
}

// MailByMessageID finds a mailbox's record of a Message-ID; errs.NotFound when absent.
func (s Mailin) MailByMessageID(ctx context.Context, mailboxID int64, messageID string) (*mailin.Mail, error) {
	var row mailRow
	err := s.r(ctx).NewSelect().Model(&row).Where("mailbox_id = ? AND message_id = ?", mailboxID, messageID).Scan(ctx)
	if err != nil {
		return nil, classify(err, "mailin.mail")
	}
	return toMail(&row), nil
}

// Mails lists records, newest first, at most f.Limit (100 when 0).
func (s Mailin) Mails(ctx context.Context, f mailin.MailFilter) ([]*mailin.Mail, error) {
	var rows []mailRow
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	q := s.r(ctx).NewSelect().Model(&rows).OrderExpr("id DESC").Limit(int64(limit))
	if f.MailboxID != 0 {
		q = q.Where("mailbox_id = ?", f.MailboxID)
	}
	if f.Outcome != "" {
		q = q.Where("outcome = ?", string(f.Outcome))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*mailin.Mail, len(rows))
	for i := range rows {
		out[i] = toMail(&rows[i])
	}
	return out, nil
}

// Raw returns a record's message as it came in; errs.NotFound when absent.
func (s Mailin) Raw(ctx context.Context, id int64) ([]byte, error) {
	var data []byte
	err := s.r(ctx).NewSelect().Table("mailin_raw").Column("data").Where("mail_id = ?", id).Scan(ctx, &data)
	if err != nil {
		return nil, classify(err, "mailin.mail")
	}
	return data, nil
}

// CountFrom counts the records from an address received at or after since.
func (s Mailin) CountFrom(ctx context.Context, from string, since time.Time) (int, error) {
	return count(ctx, s.r(ctx).NewSelect().Model((*mailRow)(nil)).
		Where("from_addr = ? AND received_at >= ?", strings.ToLower(from), since.UTC()))
}

// TicketByNumber returns the ID of the ticket numbered number; errs.NotFound when absent.
func (s Mailin) TicketByNumber(ctx context.Context, number string) (int64, error) {
	var id int64
	err := s.r(ctx).NewSelect().Table("tickets").Column("id").Where("number = ?", number).Scan(ctx, &id)
	if err != nil {
		return 0, classify(err, "ticket")
	}
	return id, nil
}

// UserIDByEmail returns the ID of the enabled user with this address, compared without case;
// errs.NotFound when there is none (or more than one: an ambiguous address names no one).
func (s Mailin) UserIDByEmail(ctx context.Context, addr string) (int64, error) {
	var ids []int64
	err := s.r(ctx).NewSelect().Table("users").Column("id").
		Where("lower(email) = ? AND NOT disabled", strings.ToLower(strings.TrimSpace(addr))).Limit(2).Scan(ctx, &ids)
	if err != nil {
		return 0, err
	}
	if len(ids) != 1 || addr == "" {
		return 0, errs.E(errs.NotFound, "err.not_found")
	}
	return ids[0], nil
}

// RootOrgPath returns the path of the organisation's root unit (the first unit without a parent);
// "/" before the tree exists.
func (s Mailin) RootOrgPath(ctx context.Context) (string, error) {
	var paths []string
	err := s.r(ctx).NewSelect().Table("org_units").Column("path").Where("parent_id IS NULL").OrderExpr("id").Limit(1).
		Scan(ctx, &paths)
	if err != nil || len(paths) == 0 {
		return "/", err
	}
	return paths[0], nil
}
