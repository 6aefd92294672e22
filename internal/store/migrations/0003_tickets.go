package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// ticketCategory0003 is a node of the category tree (问题分类), e.g. 网络 › 无线.
type ticketCategory0003 struct {
	bun.BaseModel `bun:"table:ticket_categories"`
	ID            int64               `bun:",pk,autoincrement"`
	ParentID      *int64              `bun:"parent_id"`
	Parent        *ticketCategory0003 `bun:"rel:belongs-to,join:parent_id=id"`
	Name          string              `bun:",notnull"`
	NameEN        string              `bun:"name_en,notnull,default:''"`
	Sort          int                 `bun:",notnull,default:0"`
	Active        bool                `bun:",notnull,default:true"`
}

type ticket0003 struct {
	bun.BaseModel  `bun:"table:tickets"`
	ID             int64               `bun:",pk,autoincrement"`
	Number         string              `bun:",notnull,unique"`
	Type           string              `bun:",notnull"`
	Status         string              `bun:",notnull"`
	PendingReason  string              `bun:",notnull,default:''"`
	Channel        string              `bun:",notnull"`
	Subject        string              `bun:",notnull"`
	Description    string              `bun:",type:text,notnull,default:''"`
	CategoryID     *int64              `bun:"category_id"`
	Category       *ticketCategory0003 `bun:"rel:belongs-to,join:category_id=id"`
	Urgency        int                 `bun:",notnull"`
	Impact         int                 `bun:",notnull"`
	Priority       int                 `bun:",notnull"`
	RequesterID    *int64              `bun:"requester_id"`
	Requester      *user0001           `bun:"rel:belongs-to,join:requester_id=id"`
	ContactName    string              `bun:",notnull,default:''"`
	ContactPhone   string              `bun:",notnull,default:''"`
	ContactDept    string              `bun:",notnull,default:''"`
	OwnerID        *int64              `bun:"owner_id"`
	Owner          *user0001           `bun:"rel:belongs-to,join:owner_id=id"`
	GroupID        *int64              `bun:"group_id"`
	Group          *group0001          `bun:"rel:belongs-to,join:group_id=id"`
	AssigneeID     *int64              `bun:"assignee_id"`
	Assignee       *user0001           `bun:"rel:belongs-to,join:assignee_id=id"`
	Location       string              `bun:",notnull,default:''"`
	AffectedSystem string              `bun:",notnull,default:''"`
	Confidential   bool                `bun:",notnull,default:false"`
	OrgPath        string              `bun:",notnull,default:''"`
	CreatedAt      time.Time           `bun:",notnull"`
	UpdatedAt      time.Time           `bun:",notnull"`
	ResolvedAt     *time.Time
	ClosedAt       *time.Time
	Version        int `bun:",notnull,default:1"`
}

// ticketComment0003 is a public reply or an internal note (内部备注) that requesters never see.
type ticketComment0003 struct {
	bun.BaseModel `bun:"table:ticket_comments"`
	ID            int64       `bun:",pk,autoincrement"`
	TicketID      int64       `bun:",notnull"`
	Ticket        *ticket0003 `bun:"rel:belongs-to,join:ticket_id=id,on_delete:cascade"`
	AuthorID      *int64      `bun:"author_id"`
	Author        *user0001   `bun:"rel:belongs-to,join:author_id=id"`
	Body          string      `bun:",type:text,notnull"`
	Internal      bool        `bun:",notnull,default:false"`
	CreatedAt     time.Time   `bun:",notnull"`
}

// ticketSeq0003 numbers tickets per type and year.
type ticketSeq0003 struct {
	bun.BaseModel `bun:"table:ticket_seq"`
	Type          string `bun:",pk"`
	Year          int    `bun:",pk"`
	Last          int64  `bun:",notnull"`
}

func register0003(ms *migrate.Migrations) {
	ms.MustRegister(inTx(up0003), inTx(down0003))
}

func up0003(ctx context.Context, tx bun.Tx) error {
	err := createTables(ctx, tx, (*ticketCategory0003)(nil), (*ticket0003)(nil), (*ticketComment0003)(nil), (*ticketSeq0003)(nil))
	if err != nil {
		return err
	}
	err = exec(ctx, tx,
		// Queues: a group's or an engineer's open work by priority and age; a requester's own tickets.
		`CREATE INDEX tickets_group_queue ON tickets (group_id, status, priority, created_at)`,
		`CREATE INDEX tickets_assignee_queue ON tickets (assignee_id, status, priority, created_at)`,
		`CREATE INDEX tickets_requester ON tickets (requester_id, created_at)`,
		`CREATE INDEX tickets_owner ON tickets (owner_id, created_at)`,
		`CREATE INDEX tickets_status_created ON tickets (status, created_at)`,
		`CREATE INDEX tickets_updated ON tickets (updated_at)`,
		`CREATE INDEX ticket_comments_ticket ON ticket_comments (ticket_id, id)`,
		`CREATE INDEX ticket_categories_parent ON ticket_categories (parent_id)`,
	)
	if err != nil {
		return err
	}
	// Full-text search over CJK bigrams and Latin words (see package search). The terms are computed
	// in Go and stored per ticket: SQLite in a contentless FTS5 table keyed by ticket id, PostgreSQL in
	// a tsvector column with a GIN index.
	if isPG(tx) {
		return exec(ctx, tx,
			`ALTER TABLE tickets ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector`,
			`CREATE INDEX tickets_search ON tickets USING GIN (search)`,
		)
	}
	return exec(ctx, tx,
		`CREATE VIRTUAL TABLE ticket_fts USING fts5(terms, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`,
	)
}

func down0003(ctx context.Context, tx bun.Tx) error {
	stmts := []string{}
	if !isPG(tx) {
		stmts = append(stmts, "DROP TABLE IF EXISTS ticket_fts")
	}
	for _, t := range []string{"ticket_seq", "ticket_comments", "tickets", "ticket_categories"} {
		stmts = append(stmts, "DROP TABLE IF EXISTS "+t)
	}
	return exec(ctx, tx, stmts...)
}
