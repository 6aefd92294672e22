package migrations

import (
	"context"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// 0006 adds partial indexes over open tickets only, in queue order. At a million tickets most are
// closed; a group's queue and a search narrowed to open work then read a few thousand index entries
// instead of skipping the closed ones (measured on PostgreSQL: group queue 8.5 → 1.3 ms, "打印" among
// open tickets 149 → 1.5 ms; see docs/BENCHMARKS.md).
func register0006(ms *migrate.Migrations) {
	ms.MustRegister(inTx(up0006), inTx(down0006))
}

const openStatuses0006 = `status IN ('new', 'assigned', 'in_progress', 'pending')`

func up0006(ctx context.Context, tx bun.Tx) error {
	return exec(ctx, tx,
		`CREATE INDEX tickets_open_queue ON tickets (group_id, priority, created_at, id) WHERE `+openStatuses0006,
		`CREATE INDEX tickets_open_priority ON tickets (priority, created_at, id) WHERE `+openStatuses0006,
	)
}

func down0006(ctx context.Context, tx bun.Tx) error {
	return exec(ctx, tx, `DROP INDEX tickets_open_queue`, `DROP INDEX tickets_open_priority`)
}
