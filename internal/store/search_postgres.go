package store

import (
	"context"
	"strings"

	"github.com/uptrace/bun"
)

// PostgreSQL keeps the search terms in tickets.search, a tsvector with a GIN index, built with the
// 'simple' configuration so that terms are neither stemmed nor dropped as stop words.

func (s Tickets) indexPostgres(ctx context.Context, id int64, terms string) error {
	_, err := s.w(ctx).NewRaw("UPDATE tickets SET search = to_tsvector('simple', ?) WHERE id = ?", terms, id).Exec(ctx)
	return err
}

// matchPostgres restricts q to tickets whose tsvector holds every query term. Each term is passed as a
// quoted lexeme, so tsquery operators in user input are plain text.
func matchPostgres(q *bun.SelectQuery, terms []string) {
	lexemes := make([]string, len(terms))
	for i, t := range terms {
		lexemes[i] = "'" + strings.ReplaceAll(strings.ReplaceAll(t, `\`, `\\`), "'", "''") + "'"
	}
	q.Where("t.search @@ ?::tsquery", strings.Join(lexemes, " & "))
}

// index stores the search terms of a ticket on either engine.
func (s Tickets) index(ctx context.Context, id int64, terms string) error {
	if s.IsPostgres() {
		return s.indexPostgres(ctx, id, terms)
	}
	return s.indexSQLite(ctx, id, terms)
}
