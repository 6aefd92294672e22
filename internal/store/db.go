// Package store is the only package that speaks SQL. It implements the domain packages' Store
// interfaces with bun on two engines: embedded SQLite (modernc, pure Go) and PostgreSQL (pgx).
package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"opsdesk/internal/config"
)

// Engines.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB holds the connections. On SQLite, W is a single connection, so that writers queue in the process
// instead of failing with SQLITE_BUSY, and R is a pool of read-only connections that WAL lets run
// beside the writer. On PostgreSQL both are the same pool.
type DB struct {
	W, R   *bun.DB
	Driver string
	Path   string // the SQLite file; empty on PostgreSQL
	Now    func() time.Time
	gc     *groupCommit // SQLite: InTx batches concurrent transactions (groupcommit.go)
}

// Open connects to the configured database. It does not migrate; call Migrate.
func Open(ctx context.Context, cfg config.Config) (*DB, error) {
	switch cfg.DB.Driver {
	case Postgres:
		return openPostgres(ctx, cfg.DB.DSN, cfg.DB.MaxOpenConns)
	case SQLite, "":
		return openSQLite(ctx, cfg.SQLitePath(), cfg.DB.MaxOpenConns)
	}
	return nil, fmt.Errorf("store: unknown driver %q", cfg.DB.Driver)
}

func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(ON)"} {
		q.Add("_pragma", p)
	}
	if readOnly {
		// Each reader keeps its own page cache, so 8 readers at the writer's 16 MB held 150 MB more
		// under load; pages it misses come from the operating system's file cache.
		q.Add("_pragma", "cache_size(-4000)")
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "cache_size(-16000)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(ctx context.Context, path string, readers int) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: data directory: %w", err)
		}
	}
	w, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	// The writer must create the file and switch it to WAL before readers open it.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(max(readers, 2))
	r.SetMaxIdleConns(max(readers, 2))
	wdb, rdb := bun.NewDB(w, sqlitedialect.New()), bun.NewDB(r, sqlitedialect.New())
	return &DB{W: wdb, R: rdb, Driver: SQLite, Path: path, Now: time.Now, gc: newGroupCommit(wdb)}, nil
}

func openPostgres(ctx context.Context, dsn string, maxConns int) (*DB, error) {
	sqldb, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	_ = stdlib.GetDefaultDriver()
	sqldb.SetMaxOpenConns(maxConns)
	sqldb.SetMaxIdleConns(maxConns)
	sqldb.SetConnMaxLifetime(30 * time.Minute)
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("store: connect to postgres: %w", err)
	}
	db := bun.NewDB(sqldb, pgdialect.New())
	return &DB{W: db, R: db, Driver: Postgres, Now: time.Now}, nil
}

// Close closes both handles.
func (db *DB) Close() error {
	err := db.W.Close()
	if db.R != db.W {
		if e := db.R.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks that the database answers; /readyz uses it.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.R.NewRaw("SELECT 1").Scan(ctx, &one)
}

// IsPostgres reports the engine, for the few queries that differ.
func (db *DB) IsPostgres() bool { return db.Driver == Postgres }
