package migrations

import (
	"context"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// 0015 gives SLA policies their actions at warning and at breach (sla.Actions): JSON of
// {"warning": {…}, "breach": {…}}, each with notify, reassign_group_id, reassign_user_id,
// raise_tier and report_up. Policies that existed before keep doing what the engine did for them:
// notify at both thresholds, nothing else. Group and user ids carry no foreign key: a group deleted
// later makes the action fail visibly in the ticket's history, it must not block deleting the group.
func register0015(ms *migrate.Migrations) {
	ms.MustRegister(inTx(up0015), inTx(down0015))
}

func up0015(ctx context.Context, tx bun.Tx) error {
	return exec(ctx, tx,
		`ALTER TABLE sla_policies ADD COLUMN actions_json TEXT NOT NULL DEFAULT '{"warning":{"notify":true},"breach":{"notify":true}}'`)
}

func down0015(ctx context.Context, tx bun.Tx) error {
	return exec(ctx, tx, `ALTER TABLE sla_policies DROP COLUMN actions_json`)
}
