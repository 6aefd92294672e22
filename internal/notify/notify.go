// Package notify tells people what happens: it turns ticket and SLA notices into in-app
// notifications and outbox messages (written in the transaction of the change that causes them),
// and a sender delivers the outbox over e-mail, WeCom, DingTalk, Feishu and signed webhooks with
// retries, back-off and a dead letter.
package notify

import (
	"context"
	"time"
)

// Event names what a notification is about; preferences and channel subscriptions use it.
type Event string

const (
	TicketCreated   Event = "ticket.created"
	TicketAssigned  Event = "ticket.assigned"
	TicketCommented Event = "ticket.commented" // a public reply
	TicketUrged     Event = "ticket.urged"
	TicketEscalated Event = "ticket.escalated" // to a higher line, a skip, or up the manager chain
	TicketResolved  Event = "ticket.resolved"
	TicketReopened  Event = "ticket.reopened" // reopened, or the resolution rejected
	SurveyRequested Event = "ticket.survey"
	SLAWarning      Event = "sla.warning"
	SLABreach       Event = "sla.breach"
)

// Events lists every event, in the order the preference page shows them.
var Events = []Event{TicketCreated, TicketAssigned, TicketCommented, TicketUrged, TicketEscalated,
	TicketResolved, TicketReopened, SurveyRequested, SLAWarning, SLABreach}

// Kind is the kind of a delivery channel.
type Kind string

const (
	InApp    Kind = "inapp" // the notification inbox; never goes through the outbox
	Email    Kind = "email" // SMTP, to a person's address
	WeCom    Kind = "wecom" // 企业微信 group bot
	DingTalk Kind = "dingtalk"
	Feishu   Kind = "feishu"
	Webhook  Kind = "webhook" // generic JSON, signed with HMAC-SHA256
)

// Channel is a configured way out: the SMTP server, or a group bot / webhook that posts to a chat
// or system. Bots and webhooks get the events they subscribe to (optionally only of one support
// group's tickets); e-mail goes to the people concerned who want it.
type Channel struct {
	ID      int64
	Kind    Kind
	Name    string
	Enabled bool
	// Events the channel posts (bots and webhooks); empty means all.
	Events []Event
	// GroupID, when not 0, limits a bot or webhook to the tickets of that support group.
	GroupID int64
	// Config holds the kind's settings (URL, secret, SMTP host…); secrets are never shown back.
	Config  map[string]string
	Version int
}

// Status is where an outbox message stands.
type Status string

const (
	Pending Status = "pending" // waiting for its next attempt
	Sent    Status = "sent"
	Dead    Status = "dead" // gave up after MaxAttempts; an administrator may retry it
)

// Message is one delivery in the outbox: to one person's address, or to one bot/webhook channel.
type Message struct {
	ID        int64
	ChannelID int64
	Kind      Kind
	Event     Event
	TicketID  int64
	Ref       string // the ticket number, e.g. INC-2026-000123 (e-mail Reply-To and subject carry it)
	Link      string // absolute URL of the ticket page
	UserID    int64  // the person it is for; 0 for a bot or webhook
	To        string // the e-mail address, when Kind is Email
	Subject   string
	Text      string // plain text (e-mail body, bot Markdown)
	HTML      string // the HTML body of an e-mail
	Payload   string // the JSON body of a generic webhook
	// Key is the idempotency key: unique per message, sent with every attempt, so that a receiver
	// recognises a repeat after a crash between sending and recording.
	Key       string
	Status    Status
	Attempts  int
	NextAt    time.Time // the next attempt; a claim moves it ahead by the lease
	LastError string
	CreatedAt time.Time
	SentAt    time.Time
}

// Notification is one entry of a person's in-app inbox.
type Notification struct {
	ID        int64
	UserID    int64
	Event     Event
	TicketID  int64
	Title     string
	Body      string
	Link      string
	CreatedAt time.Time
	ReadAt    time.Time // zero while unread
}

// Preference switches one event on one channel kind (InApp or Email) for one person; without a
// stored preference both are on.
type Preference struct {
	UserID  int64
	Event   Event
	Kind    Kind
	Enabled bool
}

// Store persists the outbox, the channels, the inbox and the preferences.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error

	Channels(ctx context.Context) ([]*Channel, error)
	Channel(ctx context.Context, id int64) (*Channel, error) // errs.NotFound when absent
	SaveChannel(ctx context.Context, c *Channel) error       // insert when ID is 0, else update by version
	DeleteChannel(ctx context.Context, id int64) error

	// Enqueue writes messages in the caller's transaction.
	Enqueue(ctx context.Context, ms []*Message) error
	// Claim takes up to limit pending messages whose NextAt has come and moves their NextAt to
	// now+lease, so that no other sender takes them meanwhile (PostgreSQL: FOR UPDATE SKIP LOCKED);
	// a sender that dies leaves them to be claimed again after the lease.
	Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*Message, error)
	// Delivered marks messages sent; Failed records an attempt's error with the next attempt or Dead.
	Delivered(ctx context.Context, ids []int64, at time.Time) error
	Failed(ctx context.Context, m *Message) error
	// Outbox lists messages of a status, newest first, for administrators.
	Outbox(ctx context.Context, status Status, limit int) ([]*Message, error)
	OutboxCounts(ctx context.Context) (map[Status]int, error)
	// ByKey finds a message by its idempotency key (an e-mail reply's In-Reply-To names it);
	// errs.NotFound when absent.
	ByKey(ctx context.Context, key string) (*Message, error)
	// PurgeSent deletes up to limit messages sent before a time (retention.go).
	PurgeSent(ctx context.Context, before time.Time, limit int) (int, error)
	// Retry puts a dead message back to pending now.
	Retry(ctx context.Context, id int64, now time.Time) error

	AddNotifications(ctx context.Context, ns []*Notification) error
	Notifications(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]*Notification, error)
	Unread(ctx context.Context, userID int64) (int, error)
	// MarkRead marks the user's notifications read (all of them when ids is empty).
	MarkRead(ctx context.Context, userID int64, ids []int64, at time.Time) error

	Preferences(ctx context.Context, userID int64) ([]*Preference, error)
	// PreferencesOf lists the preferences of many people by person (one who stored none is missing),
	// for a batch of notices.
	PreferencesOf(ctx context.Context, userIDs []int64) (map[int64][]*Preference, error)
	SavePreferences(ctx context.Context, userID int64, ps []*Preference) error
}

// Driver delivers one message over one kind of channel. It returns an error wrapped by Permanent when
// retrying cannot help (a rejected address, a bad configuration); other errors are retried.
type Driver interface {
	Send(ctx context.Context, ch *Channel, m *Message) error
}

// PermanentError marks a delivery failure that retrying cannot mend.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err as a PermanentError.
func Permanent(err error) error { return &PermanentError{Err: err} }
