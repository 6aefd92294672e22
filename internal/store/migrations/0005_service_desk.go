package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// ticketEvent0005 is one step of a ticket's visible history (流转记录): hand-overs, escalations,
// urges, status changes with their reasons. The audit log keeps the same facts for the auditor; this
// table is what agents, owners and requesters read on the ticket page and what reports count.
type ticketEvent0005 struct {
	bun.BaseModel `bun:"table:ticket_events"`
	ID            int64       `bun:",pk,autoincrement"`
	TicketID      int64       `bun:",notnull"`
	Ticket        *ticket0003 `bun:"rel:belongs-to,join:ticket_id=id,on_delete:cascade"`
	Kind          string      `bun:",notnull"`
	ActorID       *int64      `bun:"actor_id"`
	Actor         *user0001   `bun:"rel:belongs-to,join:actor_id=id"`
	FromGroupID   int64       `bun:",notnull,default:0"`
	ToGroupID     int64       `bun:",notnull,default:0"`
	FromUserID    int64       `bun:",notnull,default:0"`
	ToUserID      int64       `bun:",notnull,default:0"`
	FromStatus    string      `bun:",notnull,default:''"`
	ToStatus      string      `bun:",notnull,default:''"`
	Reason        string      `bun:",type:text,notnull,default:''"`
	Flagged       bool        `bun:",notnull,default:false"` // an emergency skip (越级) to review afterwards
	At            time.Time   `bun:",notnull"`
}

// ticketWatcher0005 follows a ticket; on a confidential ticket the watchers are the named people
// who may see it.
type ticketWatcher0005 struct {
	bun.BaseModel `bun:"table:ticket_watchers"`
	TicketID      int64       `bun:",pk"`
	Ticket        *ticket0003 `bun:"rel:belongs-to,join:ticket_id=id,on_delete:cascade"`
	UserID        int64       `bun:",pk"`
	User          *user0001   `bun:"rel:belongs-to,join:user_id=id,on_delete:cascade"`
	AddedAt       time.Time   `bun:",notnull"`
}

// ticketSurvey0005 is the satisfaction survey of a ticket (满意度调查): one per ticket, answered in
// the portal or through a one-time link whose token is kept only as a hash.
type ticketSurvey0005 struct {
	bun.BaseModel `bun:"table:ticket_surveys"`
	TicketID      int64       `bun:",pk"`
	Ticket        *ticket0003 `bun:"rel:belongs-to,join:ticket_id=id,on_delete:cascade"`
	TokenHash     string      `bun:",notnull,unique"`
	Score         int         `bun:",notnull,default:0"`
	Comment       string      `bun:",type:text,notnull,default:''"`
	RequestedAt   time.Time   `bun:",notnull"`
	AnsweredAt    *time.Time
}

// dispatchRule0005 routes a new ticket to a group (派单规则); rules are tried in sort order and the
// first whose every set condition matches wins.
type dispatchRule0005 struct {
	bun.BaseModel `bun:"table:dispatch_rules"`
	ID            int64               `bun:",pk,autoincrement"`
	Sort          int                 `bun:",notnull,default:0"`
	Name          string              `bun:",notnull"`
	CategoryID    *int64              `bun:"category_id"`
	Category      *ticketCategory0003 `bun:"rel:belongs-to,join:category_id=id,on_delete:cascade"`
	Channel       string              `bun:",notnull,default:''"`
	Location      string              `bun:",notnull,default:''"`
	Keyword       string              `bun:",notnull,default:''"`
	GroupID       int64               `bun:",notnull"`
	Group         *group0001          `bun:"rel:belongs-to,join:group_id=id,on_delete:cascade"`
	Active        bool                `bun:",notnull,default:true"`
	Version       int                 `bun:",notnull,default:1"`
}

func register0005(ms *migrate.Migrations) {
	ms.MustRegister(inTx(up0005), inTx(down0005))
}

// seedCategories0005 is the shipped category tree; administrators edit it afterwards.
var seedCategories0005 = []struct {
	name, en string
	subs     [][2]string
}{
	{"软件", "Software", [][2]string{{"办公软件", "Office software"}, {"业务系统", "Business applications"}, {"操作系统", "Operating system"}, {"邮件", "E-mail"}, {"账号与权限", "Accounts and access"}}},
	{"硬件", "Hardware", [][2]string{{"台式机/笔记本", "Desktops and laptops"}, {"打印机/复印机", "Printers and copiers"}, {"服务器", "Servers"}, {"外设", "Peripherals"}}},
	{"网络", "Network", [][2]string{{"有线网络", "Wired network"}, {"无线网络", "Wi-Fi"}, {"VPN", "VPN"}, {"网络安全", "Network security"}}},
	{"其他", "Other", [][2]string{{"咨询", "Questions"}, {"其他", "Other"}}},
}

func up0005(ctx context.Context, tx bun.Tx) error {
	err := exec(ctx, tx,
		`ALTER TABLE tickets ADD COLUMN tier INTEGER NOT NULL DEFAULT 1`,
		`ALTER TABLE tickets ADD COLUMN urge_count INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE tickets ADD COLUMN reopen_count INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE tickets ADD COLUMN skip_flag BOOLEAN NOT NULL DEFAULT FALSE`,
		`ALTER TABLE tickets ADD COLUMN cause TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE tickets ADD COLUMN solution TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE tickets ADD COLUMN workaround TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE tickets ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE tickets ADD COLUMN minutes_spent INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE tickets ADD COLUMN service_mode TEXT NOT NULL DEFAULT 'remote'`,
		`ALTER TABLE ticket_comments ADD COLUMN minutes INTEGER NOT NULL DEFAULT 0`,
	)
	if err != nil {
		return err
	}
	if err := createTables(ctx, tx, (*ticketEvent0005)(nil), (*ticketWatcher0005)(nil), (*ticketSurvey0005)(nil), (*dispatchRule0005)(nil)); err != nil {
		return err
	}
	err = exec(ctx, tx,
		`CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id)`,
		`CREATE INDEX ticket_events_flagged ON ticket_events (kind, at) WHERE flagged`,
		`CREATE INDEX ticket_watchers_user ON ticket_watchers (user_id)`,
		// The auto-confirm job finds resolved tickets by the time they were resolved.
		`CREATE INDEX tickets_resolved ON tickets (status, resolved_at)`,
	)
	if err != nil {
		return err
	}
	for i, c := range seedCategories0005 {
		parent := &ticketCategory0003{Name: c.name, NameEN: c.en, Sort: (i + 1) * 10, Active: true}
		if _, err := tx.NewInsert().Model(parent).Returning("id").Exec(ctx); err != nil {
			return err
		}
		for j, s := range c.subs {
			child := &ticketCategory0003{ParentID: &parent.ID, Name: s[0], NameEN: s[1], Sort: (j + 1) * 10, Active: true}
			if _, err := tx.NewInsert().Model(child).Exec(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

func down0005(ctx context.Context, tx bun.Tx) error {
	stmts := []string{"DELETE FROM ticket_categories", "DROP INDEX IF EXISTS tickets_resolved"}
	for _, t := range []string{"dispatch_rules", "ticket_surveys", "ticket_watchers", "ticket_events"} {
		stmts = append(stmts, "DROP TABLE IF EXISTS "+t)
	}
	for _, c := range []string{"tier", "urge_count", "reopen_count", "skip_flag", "cause", "solution", "workaround",
		"cancel_reason", "minutes_spent", "service_mode"} {
		stmts = append(stmts, "ALTER TABLE tickets DROP COLUMN "+c)
	}
	return exec(ctx, tx, append(stmts, "ALTER TABLE ticket_comments DROP COLUMN minutes")...)
}
