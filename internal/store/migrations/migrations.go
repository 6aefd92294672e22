// Package migrations lists opsdesk's schema migrations in order, one file each, for both engines.
// A released migration never changes; a fix is a new migration. bun/migrate names each migration after
// the file that registers it (0001_init.go → 0001, "init"), so every file registers itself through a
// function listed in All, in order, rather than from init().
package migrations

import (
	"context"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// All returns the migrations for bun/migrate, in order. Append only.
func All() *migrate.Migrations {
	ms := migrate.NewMigrations()
	register0001(ms)
	register0002(ms)
	register0003(ms)
	register0004(ms)
	register0005(ms)
	register0006(ms)
	register0007(ms)
	register0008(ms)
	register0009(ms)
	register0010(ms)
	register0011(ms)
	register0012(ms)
	register0013(ms)
	register0014(ms)
	register0015(ms)
	return ms
}

// inTx wraps a migration body in a transaction: both engines have transactional DDL, so a failed
// migration leaves nothing half-applied.
func inTx(fn func(ctx context.Context, tx bun.Tx) error) migrate.MigrationFunc {
	return func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, fn)
	}
}

func isPG(db bun.IDB) bool { return db.Dialect().Name().String() == "pg" }

// exec runs statements in order, stopping at the first error.
func exec(ctx context.Context, db bun.IDB, stmts ...string) error {
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// createTables creates a table per model, in order.
func createTables(ctx context.Context, db bun.IDB, models ...any) error {
	for _, m := range models {
		if _, err := db.NewCreateTable().Model(m).WithForeignKeys().Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}
