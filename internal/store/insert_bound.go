package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// boundColumn is a column insertBound writes, with its PostgreSQL type for the array it is sent as.
type boundColumn struct {
	name   string
	pgType string // bigint, boolean, text or timestamptz
}

// insertBound inserts rows into table in one statement whose values are bound parameters, and
// returns the new rows' ids in the order of rows. bun writes every value into the SQL text, which
// each engine then parses; for the hundreds of outbox rows of an SLA tick, with their HTML and
// text bodies, that was most of the insert's cost. A row's values are int64, *int64 (nil: NULL),
// int, bool, string, time.Time or *time.Time (nil: NULL), in the order of cols.
//
// SQLite gets a multi-row VALUES of "?" (its limit is 32,766 parameters: callers chunk). PostgreSQL
// gets one array per column and unnests them: a statement of len(cols) parameters whatever the rows,
// where a VALUES list of thousands of parameters took it longer to parse and plan than to insert.
func (db *DB) insertBound(ctx context.Context, table string, cols []boundColumn, rows [][]any) ([]int64, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	q, args := db.boundInsert(table, cols, rows)
	q += " RETURNING id"
	var res *sql.Rows
	var err error
	if tx, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		res, err = tx.Tx.QueryContext(ctx, q, args...)
	} else {
		res, err = db.W.DB.QueryContext(ctx, q, args...)
	}
	if err != nil {
		return nil, err
	}
	defer res.Close()
	ids := make([]int64, 0, len(rows))
	for res.Next() {
		var id int64
		if err := res.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, res.Err()
}

// execBound is insertBound for a table whose rows need no id back (the audit log, keyed by seq).
func (db *DB) execBound(ctx context.Context, table string, cols []boundColumn, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	q, args := db.boundInsert(table, cols, rows)
	var err error
	if tx, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		_, err = tx.Tx.ExecContext(ctx, q, args...)
	} else {
		_, err = db.W.DB.ExecContext(ctx, q, args...)
	}
	return err
}

// boundInsert writes the INSERT of rows with bound values and its arguments, for each engine.
func (db *DB) boundInsert(table string, cols []boundColumn, rows [][]any) (string, []any) {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	var q strings.Builder
	q.WriteString("INSERT INTO " + table + " (" + strings.Join(names, ", ") + ") ")
	var args []any
	if db.IsPostgres() {
		q.WriteString("SELECT * FROM unnest(")
		for i, c := range cols {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("$" + strconv.Itoa(i+1) + "::" + c.pgType + "[]")
			args = append(args, pgColumn(c.pgType, rows, i))
		}
		q.WriteString(")")
	} else {
		q.WriteString("VALUES ")
		args = make([]any, 0, len(rows)*len(cols))
		for i, r := range rows {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?" + strings.Repeat(", ?", len(r)-1) + ")")
			for _, v := range r {
				args = append(args, sqliteValue(v))
			}
		}
	}
	return q.String(), args
}

// pgColumn is column i of rows as the typed slice pgx sends as an array of pgType.
func pgColumn(pgType string, rows [][]any, i int) any {
	switch pgType {
	case "bigint":
		out := make([]*int64, len(rows))
		for j, r := range rows {
			switch v := r[i].(type) {
			case int64:
				out[j] = &v
			case int:
				n := int64(v)
				out[j] = &n
			case *int64:
				out[j] = v
			}
		}
		return out
	case "boolean":
		out := make([]bool, len(rows))
		for j, r := range rows {
			out[j], _ = r[i].(bool)
		}
		return out
	case "timestamptz":
		out := make([]*time.Time, len(rows))
		for j, r := range rows {
			switch v := r[i].(type) {
			case time.Time:
				u := v.UTC()
				out[j] = &u
			case *time.Time:
				if v != nil {
					u := v.UTC()
					out[j] = &u
				}
			}
		}
		return out
	}
	out := make([]string, len(rows))
	for j, r := range rows {
		out[j], _ = r[i].(string)
	}
	return out
}

// sqliteValue is v as SQLite is given it: a time as the text bun writes (UTC, microseconds), so
// that the rows compare and read back as the rest — SQLite compares times as text.
func sqliteValue(v any) any {
	switch v := v.(type) {
	case time.Time:
		return v.UTC().Format("2006-01-02 15:04:05.999999-07:00")
	case *time.Time:
		if v == nil {
			return nil
		}
		return v.UTC().Format("2006-01-02 15:04:05.999999-07:00")
	case *int64:
		if v == nil {
			return nil
		}
		return *v
	}
	return v
}
