package mailin

import (
	"context"
	"time"
)

// Store persists the mailboxes and the mail records; store.Mailin implements it.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error

	Mailboxes(ctx context.Context) ([]*Mailbox, error)
	Mailbox(ctx context.Context, id int64) (*Mailbox, error) // errs.NotFound when absent
	// SaveMailbox inserts when ID is 0, else updates when Version is current (errs.Conflict
	// otherwise); the poll position and state are left as they are on update.
	SaveMailbox(ctx context.Context, m *Mailbox) error
	DeleteMailbox(ctx context.Context, id int64) error
	// SavePollState records where polling stands and how the last poll went, without a version
	// check: polls race with an administrator's edits and must not undo them.
	SavePollState(ctx context.Context, m *Mailbox) error

	// AddMail records a message with its raw bytes and sets m.ID; errs.Conflict when the mailbox
	// already has a message with this Message-ID.
	AddMail(ctx context.Context, m *Mail, raw []byte) error
	// SetOutcome changes a record's outcome, ticket and reason when its outcome is still was;
	// errs.Conflict "err.mailin.not_held" when someone else decided meanwhile.
	SetOutcome(ctx context.Context, m *Mail, was Outcome) error
	Mail(ctx context.Context, id int64) (*Mail, error) // errs.NotFound when absent
	// MailByMessageID finds a mailbox's record of a Message-ID; errs.NotFound when absent.
	MailByMessageID(ctx context.Context, mailboxID int64, messageID string) (*Mail, error)
	Mails(ctx context.Context, f MailFilter) ([]*Mail, error) // newest first
	Raw(ctx context.Context, id int64) ([]byte, error)
	// CountFrom counts the records from an address received at or after since.
	CountFrom(ctx context.Context, from string, since time.Time) (int, error)
	// TicketByNumber returns the ID of the ticket numbered number; errs.NotFound when absent.
	TicketByNumber(ctx context.Context, number string) (int64, error)
}
