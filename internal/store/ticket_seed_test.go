package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/demo"
	"opsdesk/internal/iam"
	"opsdesk/internal/loadtest"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// demoDirectory loads the demo organisation into db and returns it as a load-test directory.
func demoDirectory(tb testing.TB, db *store.DB) loadtest.Directory {
	tb.Helper()
	ctx := actor.NewContext(context.Background(), actor.System(actor.SourceJob))
	s := &iam.Service{Store: store.IAM{DB: db}, Audit: &audit.Service{Store: store.Audit{DB: db}, Now: time.Now},
		Now: time.Now, Argon2: iam.CheapArgon2}
	if _, err := s.FirstStart(ctx, demo.Password); err != nil {
		tb.Fatal(err)
	}
	if _, err := demo.Load(ctx, s); err != nil {
		tb.Fatal(err)
	}
	users, _, err := s.Store.Users(ctx, iam.UserFilter{Limit: 1000})
	if err != nil {
		tb.Fatal(err)
	}
	groups, err := s.Store.Groups(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	return loadtest.DirectoryFrom(users, groups)
}

// seedTickets generates n tickets with replies each and stores them in batches of batch.
func seedTickets(tb testing.TB, db *store.DB, dir loadtest.Directory, n, replies, batch int, now time.Time) {
	tb.Helper()
	ctx := context.Background()
	g := loadtest.NewGenerator(dir, n, replies, now, sla.Shanghai, 1)
	for g.Remaining() > 0 {
		ts, cs := g.Batch(batch)
		if err := (store.Tickets{DB: db}).SeedBatch(ctx, sla.Shanghai, ts, cs); err != nil {
			tb.Fatal(err)
		}
	}
}

func TestTicketSeedBatch(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.Tickets{DB: db}
		dir := demoDirectory(t, db)
		if len(dir.Requesters) == 0 || len(dir.Agents) == 0 || len(dir.Groups) == 0 {
			t.Fatalf("demo directory is empty: %+v", dir)
		}
		now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
		const n, replies = 300, 3
		seedTickets(t, db, dir, n, replies, 128, now)

		var tickets, comments int
		if err := db.R.NewRaw("SELECT count(*) FROM tickets").Scan(ctx, &tickets); err != nil {
			t.Fatal(err)
		}
		if err := db.R.NewRaw("SELECT count(*) FROM ticket_comments").Scan(ctx, &comments); err != nil {
			t.Fatal(err)
		}
		if tickets != n || comments != n*replies {
			t.Errorf("got %d tickets and %d comments, want %d and %d", tickets, comments, n, n*replies)
		}

		// Numbers run 1…k without gaps or duplicates for every type and year, and ticket_seq holds k.
		var seq []struct {
			Type  string
			Year  int
			Last  int64
			Count int64
		}
		err := db.R.NewRaw(`SELECT s.type, s.year, s.last,
			(SELECT count(DISTINCT number) FROM tickets t WHERE t.type = s.type AND t.number LIKE '%-' || CAST(s.year AS TEXT) || '-%') AS count
			FROM ticket_seq s ORDER BY s.type, s.year`).Scan(ctx, &seq)
		if err != nil {
			t.Fatal(err)
		}
		total := int64(0)
		for _, x := range seq {
			if x.Last != x.Count {
				t.Errorf("%s %d: ticket_seq.last = %d but %d numbers", x.Type, x.Year, x.Last, x.Count)
			}
			total += x.Count
		}
		if total != n {
			t.Errorf("numbers cover %d tickets, want %d", total, n)
		}

		// Search finds seeded two-character words, also in replies, and combines with a status filter.
		all, err := s.List(ctx, ticket.Filter{Query: "打印", Limit: 500, Sort: ticket.ByNewest})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) == 0 {
			t.Fatal("打印 finds nothing")
		}
		for _, x := range all[:min(len(all), 20)] {
			if !contains(t, s, x, "打印") {
				t.Errorf("%s matched 打印 but neither text nor replies contain it", x.Number)
			}
		}
		closed, err := s.List(ctx, ticket.Filter{Query: "打印", Statuses: []ticket.Status{ticket.Closed}, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(closed) == 0 || len(closed) > len(all) {
			t.Errorf("打印 closed: %d of %d", len(closed), len(all))
		}
		for _, x := range closed {
			if x.Status != ticket.Closed {
				t.Errorf("%s: status %s in a closed-only search", x.Number, x.Status)
			}
		}
		if got, _ := s.List(ctx, ticket.Filter{Query: "远程协助处理完毕", Limit: 5}); len(got) != 0 {
			// the phrase is not in the vocabulary: every bigram must match, not any
			t.Errorf("unknown phrase matched %d tickets", len(got))
		}

		// A ticket created afterwards through the store gets the next number of its type and year.
		year := now.In(sla.Shanghai).Year()
		var last int64
		if err := db.R.NewRaw("SELECT COALESCE(max(last), 0) FROM ticket_seq WHERE type = ? AND year = ?", "incident", year).Scan(ctx, &last); err != nil {
			t.Fatal(err)
		}
		nt := &ticket.Ticket{Type: ticket.Incident, Status: ticket.New, Channel: ticket.Phone, Subject: "打印机又卡纸了",
			Urgency: 2, Impact: 2, Priority: 3, OrgPath: "/1/", CreatedAt: now, UpdatedAt: now}
		err = s.InTx(ctx, func(ctx context.Context) error {
			seq, err := s.NextNumber(ctx, nt.Type, year)
			if err != nil {
				return err
			}
			nt.Number = ticket.FormatNumber(nt.Type, year, seq)
			return s.Create(ctx, nt)
		})
		if err != nil {
			t.Fatalf("create after seeding: %v", err)
		}
		if want := ticket.FormatNumber(ticket.Incident, year, last+1); nt.Number != want {
			t.Errorf("number after seeding = %s, want %s", nt.Number, want)
		}
		var maxID int64
		if err := db.R.NewRaw("SELECT max(id) FROM tickets").Scan(ctx, &maxID); err != nil {
			t.Fatal(err)
		}
		if nt.ID != maxID || nt.ID <= int64(n) {
			t.Errorf("new ticket id %d, max id %d", nt.ID, maxID)
		}
		got, err := s.List(ctx, ticket.Filter{Query: "卡纸", Statuses: []ticket.Status{ticket.New}, Sort: ticket.ByNewest, Limit: 1})
		if err != nil || len(got) != 1 || got[0].ID != nt.ID {
			t.Errorf("new ticket not found by search after seeding: %v %v", got, err)
		}

		// Seeding again continues the numbering instead of colliding.
		seedTickets(t, db, dir, 20, 1, 7, now)
		if err := db.R.NewRaw("SELECT count(*) FROM tickets").Scan(ctx, &tickets); err != nil {
			t.Fatal(err)
		}
		if tickets != n+1+20 {
			t.Errorf("after second seed: %d tickets, want %d", tickets, n+21)
		}
	})
}

// contains reports whether the ticket's subject, description or comments hold word.
func contains(t *testing.T, s store.Tickets, x *ticket.Ticket, word string) bool {
	t.Helper()
	if strings.Contains(x.Subject, word) || strings.Contains(x.Description, word) {
		return true
	}
	cs, err := s.Comments(context.Background(), x.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if strings.Contains(c.Body, word) {
			return true
		}
	}
	return false
}
