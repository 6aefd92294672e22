package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"opsdesk/internal/search"
	"opsdesk/internal/ticket"
)

// seedChunk bounds the rows of one multi-row INSERT statement, so that the SQL text bun builds stays
// a few megabytes at most whatever the batch size.
const seedChunk = 500

// ticketFTSRow is a row of SQLite's contentless FTS5 table; rowid is the ticket id.
type ticketFTSRow struct {
	bun.BaseModel `bun:"table:ticket_fts"`
	RowID         int64 `bun:"rowid"`
	Terms         string
}

// tsvectorOf renders as to_tsvector('simple', '<terms>'), so that a multi-row INSERT can fill the
// PostgreSQL search column of every row in the same statement. The terms are escaped by bun.
type tsvectorOf string

var _ schema.QueryAppender = tsvectorOf("")

// AppendQuery implements schema.QueryAppender.
func (v tsvectorOf) AppendQuery(f schema.QueryGen, b []byte) ([]byte, error) {
	return f.AppendQuery(b, "to_tsvector('simple', ?)", string(v)), nil
}

// ticketSearchRow is a ticket row with its PostgreSQL search column.
type ticketSearchRow struct {
	ticketRow `bun:",extend"`
	Search    tsvectorOf
}

// SeedBatch inserts generated tickets with their replies in one transaction, with multi-row INSERTs
// instead of one Create per ticket, for load tests and benchmarks (opsdesk bench seed). It keeps
// everything Create and AddComment keep: the search terms of subject, description and every comment
// (FTS5 on SQLite, tsvector on PostgreSQL), and ticket_seq. A ticket without a number gets the next
// one of its type in the year of its CreatedAt in zone, in slice order, so list the tickets oldest
// first. SeedBatch sets ID, Number and Version of the tickets and TicketID of the comments;
// comments[i] belongs to ts[i] and may be shorter than ts.
func (s Tickets) SeedBatch(ctx context.Context, zone *time.Location, ts []*ticket.Ticket, comments [][]*ticket.Comment) error {
	if len(ts) == 0 {
		return nil
	}
	return s.InTx(ctx, func(ctx context.Context) error {
		if err := s.seedNumbers(ctx, zone, ts); err != nil {
			return err
		}
		ids, err := s.seedIDs(ctx, len(ts))
		if err != nil {
			return err
		}
		rows := make([]*ticketRow, len(ts))
		var crows []*ticketCommentRow
		terms := make([]string, len(ts))
		for i, t := range ts {
			t.ID, t.Version = ids[i], 1
			rows[i] = fromTicket(t)
			parts := []string{t.Subject, t.Description}
			if i < len(comments) {
				for _, c := range comments[i] {
					c.TicketID = t.ID
					if !c.Internal { // as reindex: internal notes stay out of search
						parts = append(parts, c.Body)
					}
					crows = append(crows, &ticketCommentRow{TicketID: t.ID, AuthorID: ptrID(c.AuthorID), Body: c.Body,
						Internal: c.Internal, CreatedAt: c.CreatedAt.UTC()})
				}
			}
			terms[i] = search.Document(parts...)
		}
		if err := s.seedTickets(ctx, rows, terms); err != nil {
			return err
		}
		for lo := 0; lo < len(crows); lo += seedChunk {
			chunk := crows[lo:min(lo+seedChunk, len(crows))]
			if _, err := s.w(ctx).NewInsert().Model(&chunk).Returning("NULL").Exec(ctx); err != nil {
				return classify(err, "comment")
			}
		}
		return nil
	})
}

// seedNumbers numbers the tickets that have none, reserving one range of ticket_seq per type and
// year with the same row lock NextNumber takes.
func (s Tickets) seedNumbers(ctx context.Context, zone *time.Location, ts []*ticket.Ticket) error {
	type key struct {
		typ  ticket.Type
		year int
	}
	need := map[key]int64{}
	var order []key
	for _, t := range ts {
		if t.Number != "" {
			continue
		}
		k := key{t.Type, t.CreatedAt.In(zone).Year()}
		if need[k] == 0 {
			order = append(order, k)
		}
		need[k]++
	}
	next := map[key]int64{}
	for _, k := range order {
		var last int64
		err := s.w(ctx).NewRaw(`INSERT INTO ticket_seq (type, year, last) VALUES (?, ?, ?)
			ON CONFLICT (type, year) DO UPDATE SET last = ticket_seq.last + ? RETURNING last`,
			string(k.typ), k.year, need[k], need[k]).Scan(ctx, &last)
		if err != nil {
			return fmt.Errorf("ticket_seq %s/%d: %w", k.typ, k.year, err)
		}
		next[k] = last - need[k] + 1
	}
	for _, t := range ts {
		if t.Number != "" {
			continue
		}
		k := key{t.Type, t.CreatedAt.In(zone).Year()}
		t.Number = ticket.FormatNumber(t.Type, k.year, next[k])
		next[k]++
	}
	return nil
}

// seedIDs reserves n ticket ids. PostgreSQL draws them from the column's sequence, which is safe
// beside concurrent creators; SQLite continues after the highest id ever handed out, which is safe
// because the transaction holds the database's only write lock.
func (s Tickets) seedIDs(ctx context.Context, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if s.IsPostgres() {
		err := s.w(ctx).NewRaw(`SELECT nextval(pg_get_serial_sequence('tickets', 'id')) FROM generate_series(1, ?)`, n).
			Scan(ctx, &ids)
		return ids, err
	}
	var last int64
	err := s.w(ctx).NewRaw(`SELECT max(COALESCE((SELECT max(id) FROM tickets), 0),
		COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'tickets'), 0))`).Scan(ctx, &last)
	if err != nil {
		return nil, err
	}
	for i := range n {
		ids = append(ids, last+int64(i)+1)
	}
	return ids, nil
}

// seedTickets inserts the rows with their ids and their search terms.
func (s Tickets) seedTickets(ctx context.Context, rows []*ticketRow, terms []string) error {
	for lo := 0; lo < len(rows); lo += seedChunk {
		hi := min(lo+seedChunk, len(rows))
		if s.IsPostgres() {
			chunk := make([]*ticketSearchRow, 0, hi-lo)
			for i := lo; i < hi; i++ {
				chunk = append(chunk, &ticketSearchRow{ticketRow: *rows[i], Search: tsvectorOf(terms[i])})
			}
			if _, err := s.w(ctx).NewInsert().Model(&chunk).Returning("NULL").Exec(ctx); err != nil {
				return classify(err, "ticket")
			}
			continue
		}
		chunk := rows[lo:hi]
		if _, err := s.w(ctx).NewInsert().Model(&chunk).Returning("NULL").Exec(ctx); err != nil {
			return classify(err, "ticket")
		}
		fts := make([]*ticketFTSRow, 0, hi-lo)
		for i := lo; i < hi; i++ {
			fts = append(fts, &ticketFTSRow{RowID: rows[i].ID, Terms: terms[i]})
		}
		if _, err := s.w(ctx).NewInsert().Model(&fts).Returning("NULL").Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}
