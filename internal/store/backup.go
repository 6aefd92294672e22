package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ErrBackupPostgres explains how PostgreSQL installations are backed up: with the database's own tools.
var ErrBackupPostgres = errors.New("opsdesk backup copies the embedded SQLite database only; for PostgreSQL use " +
	"pg_dump -Fc -f opsdesk.dump \"$OPSDESK_DB_DSN\" (restore with pg_restore --clean -d \"$OPSDESK_DB_DSN\" opsdesk.dump)")

// Backup writes a consistent snapshot of the live SQLite database to out with VACUUM INTO, which
// runs inside a read transaction: the server keeps working while it copies.
func (db *DB) Backup(ctx context.Context, out string) error {
	if db.IsPostgres() {
		return ErrBackupPostgres
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("backup: %s already exists", out)
	}
	if dir := filepath.Dir(out); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
	}
	// A connection of its own: the read pool is query-only, and the writer must stay free for requests.
	conn, err := sql.Open("sqlite", sqliteDSN(db.Path, false))
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.ExecContext(ctx, "VACUUM INTO ?", out)
	return err
}

// Restore replaces the SQLite database at target with the backup at from, after checking that the
// backup is an intact opsdesk database. The server must be stopped. The copy goes to a temporary file
// first and is renamed into place, so that a failure leaves the old database as it was.
func Restore(ctx context.Context, from, target string) error {
	if err := checkBackup(ctx, from); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), ".restore-*.db")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	src, err := os.Open(from)
	if err != nil {
		tmp.Close()
		return err
	}
	_, err = io.Copy(tmp, src)
	src.Close()
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(target + suffix); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return os.Rename(tmp.Name(), target)
}

// checkBackup opens the file read-only and runs SQLite's integrity check and a look for opsdesk's tables.
func checkBackup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer conn.Close()
	var ok string
	if err := conn.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil {
		return fmt.Errorf("restore: %s is not a SQLite database: %w", path, err)
	}
	if ok != "ok" {
		return fmt.Errorf("restore: %s failed the integrity check: %s", path, ok)
	}
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('users', 'audit_log', 'bun_migrations')").Scan(&n); err != nil || n != 3 {
		return fmt.Errorf("restore: %s is not an opsdesk database", path)
	}
	return nil
}
