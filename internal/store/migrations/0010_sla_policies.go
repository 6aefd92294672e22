package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// slaPolicy0010 holds SLA targets per priority on a calendar, optionally narrowed by ticket type,
// category or requester organisation subtree (see sla.Policy). Targets are JSON: four objects, one
// per priority, of metric → seconds of business time.
type slaPolicy0010 struct {
	bun.BaseModel `bun:"table:sla_policies"`
	ID            int64            `bun:",pk,autoincrement"`
	Name          string           `bun:",notnull,unique"`
	CalendarID    int64            `bun:",notnull"`
	Calendar      *slaCalendar0002 `bun:"rel:belongs-to,join:calendar_id=id"`
	TicketType    string           `bun:",notnull,default:''"`
	CategoryID    int64            `bun:",notnull,default:0"`
	OrgPath       string           `bun:",notnull,default:''"`
	TargetsJSON   string           `bun:"targets_json,type:text,notnull"`
	WarnAt        float64          `bun:",notnull"`
	Active        bool             `bun:",notnull,default:true"`
	Version       int              `bun:",notnull,default:1"`
	CreatedAt     time.Time        `bun:",notnull"`
	UpdatedAt     time.Time        `bun:",notnull"`
}

func register0010(ms *migrate.Migrations) {
	ms.MustRegister(inTx(up0010), inTx(down0010))
}

func up0010(ctx context.Context, tx bun.Tx) error {
	if err := createTables(ctx, tx, (*slaPolicy0010)(nil)); err != nil {
		return err
	}
	return exec(ctx, tx, `CREATE INDEX sla_policies_calendar ON sla_policies (calendar_id)`)
}

func down0010(ctx context.Context, tx bun.Tx) error {
	return exec(ctx, tx, `DROP TABLE IF EXISTS sla_policies`)
}
