package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// ticketView0009 is a saved queue filter (保存的视图): an agent names the workspace's current filter
// and finds it again as a tab; shared with a support group, its members see it too. The filter's
// values are plain columns, not references: a view whose category or group disappears simply
// shows nothing for it.
type ticketView0009 struct {
	bun.BaseModel `bun:"table:ticket_views"`
	ID            int64      `bun:",pk,autoincrement"`
	OwnerID       int64      `bun:",notnull"`
	Owner         *user0001  `bun:"rel:belongs-to,join:owner_id=id,on_delete:cascade"`
	ShareGroupID  *int64     `bun:"share_group_id"`
	ShareGroup    *group0001 `bun:"rel:belongs-to,join:share_group_id=id,on_delete:set null"`
	Name          string     `bun:",notnull"`
	Tab           string     `bun:",notnull"`
	Status        string     `bun:",notnull,default:''"`
	Priority      int        `bun:",notnull,default:0"`
	Type          string     `bun:",notnull,default:''"`
	GroupID       int64      `bun:",notnull,default:0"`
	CategoryID    int64      `bun:",notnull,default:0"`
	Q             string     `bun:"q,notnull,default:''"`
	Sort          string     `bun:",notnull,default:''"`
	CreatedAt     time.Time  `bun:",notnull"`
	UpdatedAt     time.Time  `bun:",notnull"`
}

func register0009(ms *migrate.Migrations) {
	ms.MustRegister(inTx(up0009), inTx(down0009))
}

func up0009(ctx context.Context, tx bun.Tx) error {
	if err := createTables(ctx, tx, (*ticketView0009)(nil)); err != nil {
		return err
	}
	return exec(ctx, tx,
		// A name is unique per owner; the index also lists one's own views.
		`CREATE UNIQUE INDEX ticket_views_owner_name ON ticket_views (owner_id, name)`,
		`CREATE INDEX ticket_views_share_group ON ticket_views (share_group_id) WHERE share_group_id IS NOT NULL`,
	)
}

func down0009(ctx context.Context, tx bun.Tx) error {
	return exec(ctx, tx, `DROP TABLE ticket_views`)
}
