// Package storetest gives every test its own migrated database: SQLite in a temporary directory always,
// and PostgreSQL as well when OPSDESK_TEST_POSTGRES_DSN is set.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"opsdesk/internal/config"
	"opsdesk/internal/store"
)

// EnvPostgres names the variable holding an administrative PostgreSQL URL for tests.
const EnvPostgres = "OPSDESK_TEST_POSTGRES_DSN"

// Engines lists the engines this test run covers.
func Engines() []string {
	if os.Getenv(EnvPostgres) != "" {
		return []string{store.SQLite, store.Postgres}
	}
	return []string{store.SQLite}
}

// Run runs fn once per engine as a subtest named after it.
func Run(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) { fn(t, Open(t, engine)) })
	}
}

// Config returns a configuration whose database is fresh and migrated, for app-level tests.
func Config(t testing.TB, engine string) config.Config {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.HTTP.Addr = "127.0.0.1:0"
	if engine == store.Postgres {
		cfg.DB.Driver = store.Postgres
		cfg.DB.DSN = freshPostgres(t)
	}
	return cfg
}

// Empty returns a configuration whose database exists but has never been migrated.
func Empty(t testing.TB, engine string) config.Config {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	if engine != store.Postgres {
		return cfg
	}
	admin := os.Getenv(EnvPostgres)
	name := "opsdesk_e_" + randomHex(6)
	adm, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer adm.Close()
	if _, err := adm.Exec(fmt.Sprintf(`CREATE DATABASE %s`, name)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if adm, err := sql.Open("pgx", admin); err == nil {
			adm.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
			adm.Close()
		}
	})
	cfg.DB.Driver, cfg.DB.DSN = store.Postgres, withDatabase(admin, name)
	return cfg
}

// Open returns a migrated database on engine, closed at the end of the test.
func Open(t testing.TB, engine string) *store.DB {
	t.Helper()
	cfg := Config(t, engine)
	ctx := context.Background()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if engine == store.SQLite {
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// freshPostgres creates a database for one test by copying a per-package template that was migrated
// once, which is much faster than migrating every time, and drops it when the test ends.
func freshPostgres(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvPostgres)
	templateOnce.Do(func() { templateName, templateErr = makeTemplate(admin) })
	if templateErr != nil {
		t.Fatalf("postgres template: %v", templateErr)
	}
	name := "opsdesk_t_" + randomHex(6)
	adm, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer adm.Close()
	if _, err := adm.Exec(fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, templateName)); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		adm, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer adm.Close()
		adm.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
	})
	return withDatabase(admin, name)
}

func makeTemplate(admin string) (string, error) {
	name := "opsdesk_tpl_" + randomHex(6)
	adm, err := sql.Open("pgx", admin)
	if err != nil {
		return "", err
	}
	defer adm.Close()
	if _, err := adm.Exec(fmt.Sprintf(`CREATE DATABASE %s`, name)); err != nil {
		return "", err
	}
	cfg := config.Default()
	cfg.DB.Driver, cfg.DB.DSN = store.Postgres, withDatabase(admin, name)
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.Migrate(context.Background()); err != nil {
		return "", err
	}
	return name, nil
}

// Main runs the package's tests and then drops the PostgreSQL template it made, if any. Packages
// that use storetest call it from TestMain: os.Exit(storetest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if templateName != "" {
		if adm, err := sql.Open("pgx", os.Getenv(EnvPostgres)); err == nil {
			adm.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, templateName))
			adm.Close()
		}
	}
	return code
}

func withDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil || !strings.HasPrefix(u.Scheme, "postgres") {
		return dsn
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
