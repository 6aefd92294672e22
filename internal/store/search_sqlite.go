package store

import (
	"context"
	"strings"

	"github.com/uptrace/bun"
)

// SQLite keeps the search terms in the contentless FTS5 table ticket_fts, rowid = ticket id.

func (s Tickets) indexSQLite(ctx context.Context, id int64, terms string) error {
	if deferFTS(ctx, id, terms) { // written with the group commit's batch (groupcommit.go)
		return nil
	}
	_, err := s.w(ctx).NewRaw("INSERT OR REPLACE INTO ticket_fts (rowid, terms) VALUES (?, ?)", id, terms).Exec(ctx)
	return err
}

// matchSQLite restricts q to tickets whose terms contain every query term. Terms are quoted, so
// FTS5 operators in user input are plain text.
func matchSQLite(q *bun.SelectQuery, terms []string) {
	q.Where("t.id IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ?)", ftsQuery(terms))
}

// ftsQuery is the FTS5 query for every term, each quoted.
func ftsQuery(terms []string) string {
	quoted := make([]string, len(terms))
	for i, t := range terms {
		quoted[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	return strings.Join(quoted, " AND ")
}
