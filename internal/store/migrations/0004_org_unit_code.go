package migrations

import (
	"context"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// 0004 makes an organisation unit's code unique when it is set: codes are what imports and other
// systems match on, so two units with one code would be an ambiguity nobody can resolve later.
// Units without a code (the empty string) stay allowed side by side.
func register0004(ms *migrate.Migrations) {
	ms.MustRegister(inTx(up0004), inTx(down0004))
}

func up0004(ctx context.Context, tx bun.Tx) error {
	return exec(ctx, tx, `CREATE UNIQUE INDEX org_units_code ON org_units (code) WHERE code <> ''`)
}

func down0004(ctx context.Context, tx bun.Tx) error {
	return exec(ctx, tx, `DROP INDEX org_units_code`)
}
