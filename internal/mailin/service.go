// Package mailin is the e-mail intake (邮件受理): it reads the service desk's mailboxes over IMAP (or
// takes mail from an SMTP listener), records every message once, and turns a new mail into a ticket
// and a requester's reply into a comment, while auto-replies, bounces, loops and forged replies are
// recorded and kept out of the tickets.
package mailin

import (
	"context"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/notify"
	"opsdesk/internal/ticket"
)

// PermConfigure is the permission to configure the mailboxes and review what came in; the same as
// for the notification channels.
const PermConfigure = "notify.configure"

// DefaultMaxBytes bounds a message when Service.MaxBytes is 0 (25 MiB).
const DefaultMaxBytes = 25 << 20

// Mailbox is an IMAP mailbox the service desk reads (e.g. servicedesk@corp.cn's INBOX).
type Mailbox struct {
	ID       int64
	Name     string
	Enabled  bool
	Host     string
	Port     int
	TLS      string // "tls" (implicit, port 993), "starttls" or "none"
	Username string
	Password string // secret: Mailboxes and Mailbox mask it; saving the mask or "" keeps the stored one
	Folder   string // default INBOX
	// Address is the desk's own address (servicedesk@corp.cn): a mail from it is a loop.
	Address     string
	PollSeconds int // default 60
	// UIDValidity and LastUID are where polling stands: messages with a higher UID are new.
	UIDValidity, LastUID uint32
	LastPolledAt         time.Time
	LastError            string // the last poll's error, "" after a good poll
	Version              int
}

// Outcome is what became of a mail.
type Outcome string

const (
	OutTicket    Outcome = "ticket"     // a new ticket
	OutComment   Outcome = "comment"    // a reply on its ticket
	OutAutoReply Outcome = "auto_reply" // an out-of-office or other automatic answer: recorded only
	OutBounce    Outcome = "bounce"     // a delivery status notification: recorded only
	OutLoop      Outcome = "loop"       // our own mail coming back, or a sender flooding: recorded only
	OutHeld      Outcome = "held"       // waits for an administrator: Release or Discard
	OutRejected  Outcome = "rejected"   // too large, or discarded by an administrator
)

// Outcomes lists the outcomes in the order the review page shows them.
var Outcomes = []Outcome{OutTicket, OutComment, OutAutoReply, OutBounce, OutLoop, OutHeld, OutRejected}

// Mail is the record of one message that came in.
type Mail struct {
	ID         int64
	MailboxID  int64 // 0 for mail that came by the SMTP listener without a mailbox
	MessageID  string
	From       string // the sender's address
	Subject    string
	Size       int
	ReceivedAt time.Time
	Outcome    Outcome
	TicketID   int64  // the ticket made or commented on; for a held reply, the ticket it claimed
	Reason     string // why the outcome, for the administrator (not translated: operator detail)
}

// MailFilter selects mail records; zero values do not filter.
type MailFilter struct {
	MailboxID int64
	Outcome   Outcome
	Limit     int // default 100, at most 1000
}

// People finds the users that mail comes from.
type People interface {
	// ByEmail returns the actor of the enabled user with this address (compared without case);
	// errs.NotFound when there is none.
	ByEmail(ctx context.Context, addr string) (*actor.Actor, error)
	// Desk returns the actor the intake acts as for strangers: no user, the organisation scope that
	// external contacts' tickets belong to (the root unit).
	Desk(ctx context.Context) (*actor.Actor, error)
}

// Auditor records audit entries in the caller's transaction.
type Auditor interface {
	Record(ctx context.Context, e audit.Entry) error
}

// Service runs the mail intake and its administration.
type Service struct {
	Store   Store
	Tickets *ticket.Service
	People  People // find users by e-mail address, build actors
	// Outbox finds the message a reply answers, by the key in its Message-ID.
	Outbox interface {
		ByKey(ctx context.Context, key string) (*notify.Message, error)
	}
	Audit    Auditor
	Now      func() time.Time
	MaxBytes int64 // the largest message taken in; DefaultMaxBytes when 0
	// Changed, when set, is told after a mailbox was saved: the poller looks at it at once rather
	// than at its next rescan (Poller.Wake).
	Changed func()
}
