package store

import (
	"context"
	"slices"
	"strings"
)

// rowsUpdate is one UPDATE of many rows, each to values of its own:
//
//	WITH v (id, [version,] cols…) AS (VALUES (…), (…), …)
//	UPDATE table SET col = v.col, … [, version = table.version + 1] FROM v
//	WHERE table.id = v.id [AND table.version = v.version] RETURNING table.id
//
// One statement instead of one per row: on SQLite parsing a statement per row was most of the cost
// of writing many rows (the re-plan's clocks), on PostgreSQL each statement is a round trip.
type rowsUpdate struct {
	table string
	cols  []string // the columns set from each row, after its id (and version)
	// times are those of cols that hold instants: PostgreSQL types VALUES that bun writes as text
	// as text, so they are cast (SQLite keeps the text bun writes everywhere).
	times []string
	// version: each row carries the version it was read at, after its id; a row changed since is
	// left as it is, the others get the next version.
	version bool
}

// exec writes rows — each its id, its version when u.version, then the values of u.cols in order —
// and returns the ids of the rows it wrote.
func (u rowsUpdate) exec(ctx context.Context, db *DB, rows [][]any) ([]int64, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	names := []string{"id"}
	if u.version {
		names = append(names, "version")
	}
	names = append(names, u.cols...)
	set := make([]string, 0, len(u.cols)+1)
	for _, c := range u.cols {
		v := "v." + c
		if db.IsPostgres() && slices.Contains(u.times, c) {
			v = "CAST(" + v + " AS TIMESTAMPTZ)"
		}
		set = append(set, c+" = "+v)
	}
	where := u.table + ".id = v.id"
	if u.version {
		set = append(set, "version = "+u.table+".version + 1")
		where += " AND " + u.table + ".version = v.version"
	}
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ") + ")"
	tuples := make([]string, len(rows))
	args := make([]any, 0, len(rows)*len(names))
	for i, r := range rows {
		tuples[i] = tuple
		args = append(args, r...)
	}
	var ids []int64
	err := db.w(ctx).NewRaw(`WITH v (`+strings.Join(names, ", ")+`) AS (VALUES `+strings.Join(tuples, ", ")+`)
		UPDATE `+u.table+` SET `+strings.Join(set, ", ")+` FROM v WHERE `+where+`
		RETURNING `+u.table+`.id`, args...).Scan(ctx, &ids)
	return ids, err
}
