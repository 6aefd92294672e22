package store

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// ClaimPlan explains the claim statement of db's engine (claimSQL) without running it. On
// PostgreSQL sequential scans are off for it, so that the plan shows whether an index can serve
// the claim at all rather than what the planner prefers for a small table.
func ClaimPlan(ctx context.Context, db *DB, now time.Time) (string, error) {
	var plan []string
	err := db.W.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		args := []any{now.Add(time.Minute), now, 200}
		if !db.IsPostgres() {
			var rows []struct {
				ID      int    `bun:"id"`
				Parent  int    `bun:"parent"`
				NotUsed int    `bun:"notused"`
				Detail  string `bun:"detail"`
			}
			if err := tx.NewRaw("EXPLAIN QUERY PLAN "+claimSQL(false), args...).Scan(ctx, &rows); err != nil {
				return err
			}
			for _, r := range rows {
				plan = append(plan, r.Detail)
			}
			return nil
		}
		if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
			return err
		}
		return tx.NewRaw("EXPLAIN "+claimSQL(true), args...).Scan(ctx, &plan)
	})
	return strings.Join(plan, "\n"), err
}
