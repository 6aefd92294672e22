package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// slaTimer0011 is one SLA clock of one ticket (sla.Timer). next_at is the next threshold still to
// fire, NULL when paused, stopped or done: the engine reads due timers through a partial index on
// it instead of scanning open tickets.
type slaTimer0011 struct {
	bun.BaseModel `bun:"table:sla_timers"`
	ID            int64       `bun:",pk,autoincrement"`
	TicketID      int64       `bun:",notnull"`
	Ticket        *ticket0003 `bun:"rel:belongs-to,join:ticket_id=id,on_delete:cascade"`
	Metric        string      `bun:",notnull"`
	PolicyID      int64       `bun:",notnull"`
	StartedAt     time.Time   `bun:",notnull"`
	TargetSecs    int64       `bun:",notnull"`
	WarnShare     float64     `bun:",notnull"`
	PausesJSON    string      `bun:"pauses_json,type:text,notnull,default:'[]'"`
	StoppedAt     *time.Time
	DueAt         time.Time `bun:",notnull"`
	WarnAt        time.Time `bun:",notnull"`
	Warned        bool      `bun:",notnull,default:false"`
	Breached      bool      `bun:",notnull,default:false"`
	NextAt        *time.Time
	State         string `bun:",notnull"`
	Version       int    `bun:",notnull,default:1"`
}

func register0011(ms *migrate.Migrations) {
	ms.MustRegister(inTx(up0011), inTx(down0011))
}

func up0011(ctx context.Context, tx bun.Tx) error {
	if err := createTables(ctx, tx, (*slaTimer0011)(nil)); err != nil {
		return err
	}
	ts := "TIMESTAMP" // the type bun gives time.Time on each engine
	if isPG(tx) {
		ts = "TIMESTAMPTZ"
	}
	return exec(ctx, tx,
		`CREATE UNIQUE INDEX sla_timers_ticket_metric ON sla_timers (ticket_id, metric)`,
		`CREATE INDEX sla_timers_next ON sla_timers (next_at) WHERE next_at IS NOT NULL`,
		// The resolution due time and the worst state of a ticket's clocks, on the ticket, so that
		// queues sort and filter by them ("breaching soon").
		`ALTER TABLE tickets ADD COLUMN sla_due `+ts,
		`ALTER TABLE tickets ADD COLUMN sla_state TEXT NOT NULL DEFAULT ''`,
		`CREATE INDEX tickets_sla_due ON tickets (sla_due) WHERE sla_due IS NOT NULL`,
	)
}

func down0011(ctx context.Context, tx bun.Tx) error {
	return exec(ctx, tx, `DROP INDEX IF EXISTS tickets_sla_due`, `ALTER TABLE tickets DROP COLUMN sla_state`,
		`ALTER TABLE tickets DROP COLUMN sla_due`, `DROP TABLE IF EXISTS sla_timers`)
}
