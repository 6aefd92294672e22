package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
)

type txKey struct{}

// InTx runs fn in one transaction. Store methods called with the context fn receives join that
// transaction; a nested InTx joins the outer one. fn's error rolls everything back.
//
// On SQLite, transactions that arrive while the writer is busy are committed together (group
// commit, groupcommit.go): fn runs in its own savepoint of a shared transaction, its error rolls back
// only its own work, and InTx returns only after the shared COMMIT. fn runs on the writer's
// goroutine of the moment and without ctx's cancellation once it started. On PostgreSQL each call
// is its own transaction.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		return fn(ctx)
	}
	if db.gc != nil {
		return db.gc.run(ctx, fn)
	}
	return db.W.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
}

// w returns the handle for writes: the context's transaction or the writer.
func (db *DB) w(ctx context.Context) bun.IDB {
	if tx, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		return tx
	}
	return db.W
}

// r returns the handle for reads: the context's transaction (to see its own writes) or the read pool.
func (db *DB) r(ctx context.Context) bun.IDB {
	if tx, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		return tx
	}
	return db.R
}

// inTx reports whether ctx carries a transaction.
func inTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(bun.Tx)
	return ok
}

// classify maps driver errors to errs kinds: no rows → NotFound, unique → Conflict, foreign key → Invalid.
func classify(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errs.E(errs.NotFound, "err.not_found", err)
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505":
			return errs.E(errs.Conflict, "err."+what+".exists", err)
		case "23503":
			return errs.E(errs.Invalid, "err.reference", err)
		}
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed"):
		return errs.E(errs.Conflict, "err."+what+".exists", err)
	case strings.Contains(msg, "FOREIGN KEY constraint failed"):
		return errs.E(errs.Invalid, "err.reference", err)
	}
	return err
}

// count runs a COUNT query; bun returns int64, the domain counts in int.
func count(ctx context.Context, q *bun.SelectQuery) (int, error) {
	n, err := q.Count(ctx)
	return int(n), err
}
