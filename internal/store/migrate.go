package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun/migrate"

	"opsdesk/internal/store/migrations"
)

// migrationLockKey is the PostgreSQL advisory lock that lets one replica migrate while the others wait.
const migrationLockKey = 0x6f70736465736b // "opsdesk"

// MigrationStatus is one migration and whether it is applied.
type MigrationStatus struct {
	Name, Title string
	Applied     bool
	AppliedAt   time.Time
}

func (db *DB) migrator() *migrate.Migrator {
	return migrate.NewMigrator(db.W, migrations.All(), migrate.WithMarkAppliedOnSuccess(true))
}

// Migrate applies every pending migration and returns the names applied. Replicas that start at once
// are safe: on PostgreSQL they queue on an advisory lock; on SQLite the single writer and bun's lock
// table serialise them.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	var applied []string
	err := db.withMigrationLock(ctx, func() error {
		m := db.migrator()
		if err := m.Init(ctx); err != nil {
			return fmt.Errorf("migrate init: %w", err)
		}
		group, err := m.Migrate(ctx)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		for _, mg := range group.Migrations {
			applied = append(applied, mg.Name+"_"+mg.Comment)
		}
		return nil
	})
	return applied, err
}

// MigrationStatus lists every known migration with its state.
func (db *DB) MigrationStatus(ctx context.Context) ([]MigrationStatus, error) {
	m := db.migrator()
	if err := db.withMigrationLock(ctx, func() error { return m.Init(ctx) }); err != nil {
		return nil, err
	}
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]MigrationStatus, 0, len(ms))
	for _, mg := range ms {
		out = append(out, MigrationStatus{Name: mg.Name, Title: mg.Comment, Applied: mg.IsApplied(), AppliedAt: mg.MigratedAt})
	}
	return out, nil
}

func (db *DB) withMigrationLock(ctx context.Context, fn func() error) error {
	if db.IsPostgres() {
		conn, err := db.W.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", migrationLockKey); err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", migrationLockKey)
		return fn()
	}
	m := db.migrator()
	if err := m.Init(ctx); err != nil {
		return err
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		err := m.Lock(ctx)
		if err == nil {
			break
		}
		if !strings.Contains(err.Error(), "locked") || time.Now().After(deadline) {
			return fmt.Errorf("migration lock (another opsdesk migrating?): %w", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	defer m.Unlock(context.WithoutCancel(ctx))
	return fn()
}
