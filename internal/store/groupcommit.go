package store

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/uptrace/bun"
)

// groupCommit batches SQLite write transactions. SQLite has one writer, and a commit costs about as
// much as the work of a small transaction (the WAL write of every page touched: shared index pages,
// the FTS5 segment, the audit chain's head). Transactions that arrive while the writer is busy wait
// in a queue; the next leader runs all of them one after another inside one BEGIN IMMEDIATE … COMMIT,
// each inside its own SAVEPOINT, so that a failing one rolls back only itself. Every caller learns
// its result only after the shared COMMIT succeeded; when it fails, every caller of the batch gets
// the error. Nothing is acknowledged before it is committed.
type groupCommit struct {
	db       *bun.DB
	maxBatch int

	mu      sync.Mutex
	queue   []*gcReq
	leading bool // a goroutine is running batches
}

type gcReq struct {
	ctx  context.Context
	fn   func(ctx context.Context) error
	done chan gcResult
	fts  []ftsRow // search terms fn wrote, kept for the batch's one FTS5 insert (deferFTS)
}

// ftsRow is a ticket's search terms for ticket_fts.
type ftsRow struct {
	id    int64
	terms string
}

type gcReqKey struct{}

// deferFTS keeps a ticket's search terms for the end of the batch when ctx runs in one. FTS5
// writes its pending terms as a new segment, and merges segments, at every SAVEPOINT and COMMIT: one
// request per savepoint would cost one segment and one merge step per ticket. Written by the batch in
// one statement after the savepoints, they make one segment per batch. A search inside the same
// transaction does not see them yet; none does.
func deferFTS(ctx context.Context, id int64, terms string) bool {
	r, ok := ctx.Value(gcReqKey{}).(*gcReq)
	if ok {
		r.fts = append(r.fts, ftsRow{id, terms})
	}
	return ok
}

type gcResult struct {
	err   error
	panic any // fn panicked: re-raised in the caller's goroutine
}

func newGroupCommit(db *bun.DB) *groupCommit {
	return &groupCommit{db: db, maxBatch: 64}
}

// run queues fn and waits for the result of the batch it is committed in.
func (g *groupCommit) run(ctx context.Context, fn func(ctx context.Context) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	req := &gcReq{ctx: ctx, fn: fn, done: make(chan gcResult, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, req)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if lead {
		g.lead()
	}
	res := <-req.done
	if res.panic != nil {
		panic(res.panic)
	}
	return res.err
}

// lead runs one batch, then hands the queue on: while requests wait, a new goroutine leads the next
// batch, so that the caller that led returns as soon as its own batch is committed.
func (g *groupCommit) lead() {
	g.mu.Lock()
	n := min(len(g.queue), g.maxBatch)
	batch := append([]*gcReq(nil), g.queue[:n]...)
	g.queue = append(g.queue[:0], g.queue[n:]...)
	g.mu.Unlock()
	rest := g.batch(batch)
	g.mu.Lock()
	// Requests the transaction broke before they ran go first in the next batch.
	g.queue = append(rest, g.queue...)
	more := len(g.queue) > 0
	g.leading = more
	g.mu.Unlock()
	if more {
		go g.lead()
	}
}

// batch runs reqs in one transaction and answers each of them, except those it could not run
// because the transaction broke, which it returns.
func (g *groupCommit) batch(reqs []*gcReq) (rest []*gcReq) {
	// The transaction outlives any single request: none of their cancellations may end it.
	tx, err := g.db.BeginTx(context.Background(), nil)
	if err != nil {
		for _, r := range reqs {
			r.done <- gcResult{err: err}
		}
		return nil
	}
	results := make([]gcResult, len(reqs))
	var fts []ftsRow
	alone := len(reqs) == 1 // no savepoint needed: a failure rolls back the transaction
	for i, r := range reqs {
		res, broken := runSavepoint(tx, r, !alone)
		results[i] = res
		if alone && (res.err != nil || res.panic != nil) && broken == nil {
			_ = tx.Rollback()
			r.done <- res
			return nil
		}
		if broken != nil {
			// The savepoint could not be rolled back or released: the transaction is no longer
			// usable (SQLite rolls it back itself after some errors). Those run so far fail with it.
			_ = tx.Rollback()
			for j := 0; j <= i; j++ {
				if results[j].panic == nil && (results[j].err == nil || j == i) {
					results[j].err = broken
				}
				reqs[j].done <- results[j]
			}
			return reqs[i+1:]
		}
		if res.err == nil && res.panic == nil {
			fts = append(fts, r.fts...)
		}
	}
	err = writeFTS(tx, fts)
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		_ = tx.Rollback()
		for i := range results {
			if results[i].panic == nil && results[i].err == nil {
				results[i].err = fmt.Errorf("store: commit: %w", err)
			}
		}
	}
	for i, r := range reqs {
		r.done <- results[i]
	}
	return nil
}

// runSavepoint runs one request, with sp inside SAVEPOINT … RELEASE, rolling back to the savepoint
// when it fails or panics. broken is set when the transaction itself is lost.
func runSavepoint(tx bun.Tx, r *gcReq, sp bool) (res gcResult, broken error) {
	if err := r.ctx.Err(); err != nil { // gave up while waiting: nothing ran
		return gcResult{err: err}, nil
	}
	bg := context.Background()
	if !sp {
		return call(tx, r), nil
	}
	if _, err := tx.ExecContext(bg, "SAVEPOINT gc"); err != nil {
		return gcResult{err: err}, err
	}
	res = call(tx, r)
	if res.err != nil || res.panic != nil {
		if _, err := tx.ExecContext(bg, "ROLLBACK TO gc"); err != nil {
			return res, fmt.Errorf("store: rollback to savepoint: %w", err)
		}
	}
	if _, err := tx.ExecContext(bg, "RELEASE gc"); err != nil {
		return res, fmt.Errorf("store: release savepoint: %w", err)
	}
	return res, nil
}

// call runs r's function in tx, catching a panic.
func call(tx bun.Tx, r *gcReq) (res gcResult) {
	defer func() {
		if p := recover(); p != nil {
			res.panic = p
		}
	}()
	// Without cancellation: a client that goes away must not interrupt the shared transaction in
	// the middle of a statement (SQLite would roll all of it back).
	ctx := context.WithValue(context.WithoutCancel(r.ctx), txKey{}, tx)
	res.err = r.fn(context.WithValue(ctx, gcReqKey{}, r))
	return res
}

// writeFTS stores the batch's search terms, in the order they were written, so that the last terms
// of a ticket win.
func writeFTS(tx bun.Tx, rows []ftsRow) error {
	const chunk = 200
	for len(rows) > 0 {
		n := min(len(rows), chunk)
		var b strings.Builder
		args := make([]any, 0, 2*n)
		b.WriteString("INSERT OR REPLACE INTO ticket_fts (rowid, terms) VALUES ")
		for i, r := range rows[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?)")
			args = append(args, r.id, r.terms)
		}
		if _, err := tx.ExecContext(context.Background(), b.String(), args...); err != nil {
			return fmt.Errorf("store: search terms: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}
