package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// mailinMailbox0014 is an IMAP mailbox the mail intake reads (mailin.Mailbox). uid_validity and
// last_uid are where polling stands; they are written by the poller without a version check.
type mailinMailbox0014 struct {
	bun.BaseModel `bun:"table:mailin_mailboxes"`
	ID            int64  `bun:",pk,autoincrement"`
	Name          string `bun:",notnull,unique"`
	Enabled       bool   `bun:",notnull,default:true"`
	Host          string `bun:",notnull"`
	Port          int    `bun:",notnull"`
	TLS           string `bun:"tls,notnull"`
	Username      string `bun:",notnull,default:''"`
	Password      string `bun:",notnull,default:''"`
	Folder        string `bun:",notnull,default:'INBOX'"`
	Address       string `bun:",notnull,default:''"`
	PollSeconds   int    `bun:",notnull,default:60"`
	UIDValidity   int64  `bun:"uid_validity,notnull,default:0"`
	LastUID       int64  `bun:"last_uid,notnull,default:0"`
	LastPolledAt  *time.Time
	LastError     string    `bun:",type:text,notnull,default:''"`
	Version       int       `bun:",notnull,default:1"`
	CreatedAt     time.Time `bun:",notnull"`
	UpdatedAt     time.Time `bun:",notnull"`
}

// mailinMail0014 is the record of one message that came in (mailin.Mail). mailbox_id has no
// foreign key on purpose: the records stay, for audit, when their mailbox is deleted; 0 is mail
// without a mailbox. ticket_id has none either: a record never blocks anything done to a ticket.
type mailinMail0014 struct {
	bun.BaseModel `bun:"table:mailin_mails"`
	ID            int64     `bun:",pk,autoincrement"`
	MailboxID     int64     `bun:",notnull,default:0"`
	MessageID     string    `bun:",notnull"`
	FromAddr      string    `bun:",notnull,default:''"`
	Subject       string    `bun:",notnull,default:''"`
	Size          int64     `bun:",notnull"`
	ReceivedAt    time.Time `bun:",notnull"`
	Outcome       string    `bun:",notnull"`
	TicketID      *int64    `bun:"ticket_id"`
	Reason        string    `bun:",type:text,notnull,default:''"`
}

// mailinRaw0014 is the message as it came in, kept for audit apart from its record so that lists
// never read it: BLOB on SQLite, bytea on PostgreSQL.
type mailinRaw0014 struct {
	bun.BaseModel `bun:"table:mailin_raw"`
	MailID        int64           `bun:",pk"`
	Mail          *mailinMail0014 `bun:"rel:belongs-to,join:mail_id=id,on_delete:cascade"`
	Data          []byte          `bun:",notnull"`
}

func register0014(ms *migrate.Migrations) {
	ms.MustRegister(inTx(up0014), inTx(down0014))
}

func up0014(ctx context.Context, tx bun.Tx) error {
	if err := createTables(ctx, tx, (*mailinMailbox0014)(nil), (*mailinMail0014)(nil), (*mailinRaw0014)(nil)); err != nil {
		return err
	}
	return exec(ctx, tx,
		// A message fetched twice (a crash between recording it and advancing the mailbox's position)
		// is recorded once.
		`CREATE UNIQUE INDEX mailin_mails_message ON mailin_mails (mailbox_id, message_id)`,
		// The review lists, newest first, all or by outcome; the flood check counts by sender.
		`CREATE INDEX mailin_mails_outcome ON mailin_mails (outcome, id)`,
		`CREATE INDEX mailin_mails_from ON mailin_mails (from_addr, received_at)`,
		// A mail's sender is looked up among the users by address.
		`CREATE INDEX users_email_lower ON users (lower(email))`,
		// An external caller who wrote in by mail: notices to the requester go to this address.
		`ALTER TABLE tickets ADD COLUMN contact_email TEXT NOT NULL DEFAULT ''`,
	)
}

func down0014(ctx context.Context, tx bun.Tx) error {
	return exec(ctx, tx, `ALTER TABLE tickets DROP COLUMN contact_email`, `DROP INDEX IF EXISTS users_email_lower`, `DROP TABLE IF EXISTS mailin_raw`,
		`DROP TABLE IF EXISTS mailin_mails`, `DROP TABLE IF EXISTS mailin_mailboxes`)
}
