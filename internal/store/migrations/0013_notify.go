package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// notifyChannel0013 is a configured way out (notify.Channel): the SMTP server, a group bot or a
// webhook. group_id has no foreign key on purpose: a channel limited to a group that is later
// deleted simply matches no ticket, and deleting a group must not fail because a bot names it.
type notifyChannel0013 struct {
	bun.BaseModel `bun:"table:notify_channels"`
	ID            int64     `bun:",pk,autoincrement"`
	Kind          string    `bun:",notnull"`
	Name          string    `bun:",notnull,unique"`
	Enabled       bool      `bun:",notnull,default:true"`
	EventsJSON    string    `bun:"events_json,type:text,notnull,default:'[]'"`
	GroupID       *int64    `bun:"group_id"`
	ConfigJSON    string    `bun:"config_json,type:text,notnull,default:'{}'"`
	Version       int       `bun:",notnull,default:1"`
	CreatedAt     time.Time `bun:",notnull"`
	UpdatedAt     time.Time `bun:",notnull"`
}

// notifyOutbox0013 is one delivery (notify.Message), written in the transaction of the change that
// causes it. channel_id has no foreign key: deleting a channel must not silently drop the messages
// queued for it; the sender parks them dead with a clear error instead. idem_key is the idempotency
// key every attempt carries.
type notifyOutbox0013 struct {
	bun.BaseModel `bun:"table:notify_outbox"`
	ID            int64     `bun:",pk,autoincrement"`
	ChannelID     int64     `bun:",notnull"`
	Kind          string    `bun:",notnull"`
	Event         string    `bun:",notnull"`
	TicketID      *int64    `bun:"ticket_id"`
	Ref           string    `bun:",notnull,default:''"`
	Link          string    `bun:",notnull,default:''"`
	UserID        *int64    `bun:"user_id"`
	ToAddr        string    `bun:",notnull,default:''"`
	Subject       string    `bun:",notnull,default:''"`
	TextBody      string    `bun:",type:text,notnull,default:''"`
	HTMLBody      string    `bun:"html_body,type:text,notnull,default:''"`
	Payload       string    `bun:",type:text,notnull,default:''"`
	IdemKey       string    `bun:",notnull,unique"`
	Status        string    `bun:",notnull"`
	Attempts      int       `bun:",notnull,default:0"`
	NextAt        time.Time `bun:",notnull"`
	LastError     string    `bun:",type:text,notnull,default:''"`
	CreatedAt     time.Time `bun:",notnull"`
	SentAt        *time.Time
}

// notification0013 is one entry of a person's in-app inbox (notify.Notification).
type notification0013 struct {
	bun.BaseModel `bun:"table:notifications"`
	ID            int64     `bun:",pk,autoincrement"`
	UserID        int64     `bun:",notnull"`
	User          *user0001 `bun:"rel:belongs-to,join:user_id=id,on_delete:cascade"`
	Event         string    `bun:",notnull"`
	TicketID      *int64    `bun:"ticket_id"`
	Title         string    `bun:",notnull"`
	Body          string    `bun:",type:text,notnull,default:''"`
	Link          string    `bun:",notnull,default:''"`
	CreatedAt     time.Time `bun:",notnull"`
	ReadAt        *time.Time
}

// notifyPref0013 switches one event on one channel kind for one person (notify.Preference).
type notifyPref0013 struct {
	bun.BaseModel `bun:"table:notify_prefs"`
	UserID        int64     `bun:",pk"`
	User          *user0001 `bun:"rel:belongs-to,join:user_id=id,on_delete:cascade"`
	Event         string    `bun:",pk"`
	Kind          string    `bun:",pk"`
	Enabled       bool      `bun:",notnull"`
}

func register0013(ms *migrate.Migrations) {
	ms.MustRegister(inTx(up0013), inTx(down0013))
}

func up0013(ctx context.Context, tx bun.Tx) error {
	if err := createTables(ctx, tx, (*notifyChannel0013)(nil), (*notifyOutbox0013)(nil),
		(*notification0013)(nil), (*notifyPref0013)(nil)); err != nil {
		return err
	}
	return exec(ctx, tx,
		// The sender claims due messages through this partial index and never scans the history of
		// sent ones.
		`CREATE INDEX notify_outbox_due ON notify_outbox (next_at, id) WHERE status = 'pending'`,
		// The administrators' lists by status, newest first, and the counts.
		`CREATE INDEX notify_outbox_status ON notify_outbox (status, id)`,
		`CREATE INDEX notifications_user ON notifications (user_id, id)`,
		`CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL`,
	)
}

func down0013(ctx context.Context, tx bun.Tx) error {
	return exec(ctx, tx, `DROP TABLE IF EXISTS notify_prefs`, `DROP TABLE IF EXISTS notifications`,
		`DROP TABLE IF EXISTS notify_outbox`, `DROP TABLE IF EXISTS notify_channels`)
}
