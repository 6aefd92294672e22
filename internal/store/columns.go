package store

import (
	"context"
	"strings"
)

// Columns returns "table.column" for every column of opsdesk's tables except the full-text index, to
// compare the schema that migrations produce on the two engines.
func (db *DB) Columns(ctx context.Context) (map[string]bool, error) {
	var rows []struct {
		Table  string `bun:"t"`
		Column string `bun:"c"`
	}
	q := `SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p
	      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'bun_%'`
	if db.IsPostgres() {
		q = `SELECT table_name AS t, column_name AS c FROM information_schema.columns
		     WHERE table_schema = current_schema() AND table_name NOT LIKE 'bun_%'`
	}
	if err := db.R.NewRaw(q).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, r := range rows {
		// The full-text index is the one place the engines differ by design (search_*.go).
		if strings.HasPrefix(r.Table, "ticket_fts") || r.Table+"."+r.Column == "tickets.search" {
			continue
		}
		out[r.Table+"."+r.Column] = true
	}
	return out, nil
}
