package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/config"
	"opsdesk/internal/loadtest"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// Benchmarks of the ticket hot paths on a seeded database.
//
//	go test ./internal/store/ -run '^$' -bench Tickets -benchtime 2s
//
// OPSDESK_BENCH_TICKETS sets the size of the database seeded for the run (default 20000, with 3
// replies each), once per engine. OPSDESK_BENCH_DB instead names an existing database, a SQLite file
// or a postgres:// URL seeded with `opsdesk bench seed`, so that a million tickets are seeded once and
// benchmarked many times; the create benchmark adds tickets to it.

const (
	envBenchTickets = "OPSDESK_BENCH_TICKETS"
	envBenchDB      = "OPSDESK_BENCH_DB"
	// OPSDESK_BENCH_EXPLAIN=1 logs the SQL and query plan of every list benchmark (run with -v).
	envBenchExplain = "OPSDESK_BENCH_EXPLAIN"
)

var openStatuses = []ticket.Status{ticket.New, ticket.Assigned, ticket.InProgress, ticket.Pending}

type benchDB struct {
	name       string
	db         *store.DB
	minID      int64
	maxID      int64
	queueGroup int64 // the group with the most open tickets
}

func BenchmarkTickets(b *testing.B) {
	for _, x := range benchDBs(b) {
		b.Run(x.name, func(b *testing.B) { ticketBenchmarks(b, x) })
	}
}

func ticketBenchmarks(b *testing.B, x benchDB) {
	ctx := context.Background()
	s := store.Tickets{DB: x.db}
	rnd := rand.New(rand.NewPCG(1, 2))
	b.Run("create", func(b *testing.B) {
		g := loadtest.NewGenerator(loadtest.Directory{}, 1, 0, time.Now(), sla.Shanghai, 3)
		for b.Loop() {
			now := time.Now()
			subject, desc := g.Text()
			t := &ticket.Ticket{Type: ticket.Incident, Status: ticket.New, Channel: ticket.Portal, Subject: subject,
				Description: desc, Urgency: 2, Impact: 2, Priority: 3, OrgPath: "/1/", CreatedAt: now, UpdatedAt: now}
			err := s.InTx(ctx, func(ctx context.Context) error {
				year := now.In(sla.Shanghai).Year()
				seq, err := s.NextNumber(ctx, t.Type, year)
				if err != nil {
					return err
				}
				t.Number = ticket.FormatNumber(t.Type, year, seq)
				return s.Create(ctx, t)
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("get", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Get(ctx, x.minID+rnd.Int64N(x.maxID-x.minID+1)); err != nil {
				b.Fatal(err)
			}
		}
	})
	list := func(name string, f ticket.Filter) {
		b.Run(name, func(b *testing.B) {
			if os.Getenv(envBenchExplain) != "" {
				explain(b, x.db, func(ctx context.Context) error { _, err := s.List(ctx, f); return err })
			}
			n := 0
			for b.Loop() {
				got, err := s.List(ctx, f)
				if err != nil {
					b.Fatal(err)
				}
				n = len(got)
			}
			b.ReportMetric(float64(n), "rows")
		})
	}
	list("queue-group", ticket.Filter{GroupID: x.queueGroup, Statuses: openStatuses, Sort: ticket.ByPriority, Limit: 50})
	list("status-new-newest", ticket.Filter{Statuses: []ticket.Status{ticket.New}, Sort: ticket.ByNewest, Limit: 50})
	list("status-closed-newest", ticket.Filter{Statuses: []ticket.Status{ticket.Closed}, Sort: ticket.ByNewest, Limit: 50})
	// 打印 (print) is in about one generated ticket in seven: many matches, as in a real desk.
	list("search-closed-newest", ticket.Filter{Query: "打印", Statuses: []ticket.Status{ticket.Closed}, Sort: ticket.ByNewest, Limit: 50})
	list("search-open-queue", ticket.Filter{Query: "打印", Statuses: openStatuses, Sort: ticket.ByPriority, Limit: 50})
	list("search-open-newest", ticket.Filter{Query: "打印", Statuses: openStatuses, Sort: ticket.ByNewest, Limit: 50})
	list("search-cancelled-newest", ticket.Filter{Query: "打印", Statuses: []ticket.Status{ticket.Cancelled}, Sort: ticket.ByNewest, Limit: 50})
}

// benchDBs opens OPSDESK_BENCH_DB, or seeds a fresh database per engine.
func benchDBs(b *testing.B) []benchDB {
	b.Helper()
	ctx := context.Background()
	var out []benchDB
	if path := os.Getenv(envBenchDB); path != "" {
		cfg := config.Default()
		cfg.DB.DSN = path
		name := store.SQLite
		if strings.HasPrefix(path, "postgres") {
			cfg.DB.Driver, name = store.Postgres, store.Postgres
		} else if _, err := os.Stat(path); err != nil {
			b.Fatalf("%s: %v", envBenchDB, err)
		}
		db, err := store.Open(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		return []benchDB{describe(b, name, db)}
	}
	n := 20000
	if v := os.Getenv(envBenchTickets); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			b.Fatalf("%s=%q: want a positive number", envBenchTickets, v)
		}
	}
	for _, engine := range storetest.Engines() {
		db := storetest.Open(b, engine)
		start := time.Now()
		seedTickets(b, db, demoDirectory(b, db), n, 3, 2000, time.Now())
		b.Logf("%s: seeded %d tickets with 3 replies in %s", engine, n, time.Since(start).Round(time.Millisecond))
		out = append(out, describe(b, engine, db))
	}
	return out
}

// describe finds the id range and the busiest queue of a seeded database.
func describe(b *testing.B, name string, db *store.DB) benchDB {
	b.Helper()
	ctx := context.Background()
	x := benchDB{name: name, db: db}
	if err := db.R.NewRaw("SELECT min(id), max(id) FROM tickets").Scan(ctx, &x.minID, &x.maxID); err != nil {
		b.Fatal(err)
	}
	err := db.R.NewRaw(`SELECT group_id FROM tickets WHERE status IN ('new', 'assigned', 'in_progress', 'pending')
		AND group_id IS NOT NULL GROUP BY group_id ORDER BY count(*) DESC LIMIT 1`).Scan(ctx, &x.queueGroup)
	if err != nil {
		b.Fatalf("no open ticket in a group: %v", err)
	}
	return x
}

// captureHook remembers the SQL of the queries run while it is on.
type captureHook struct {
	on      atomic.Bool
	mu      sync.Mutex
	queries []string
}

func (h *captureHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (h *captureHook) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	if h.on.Load() {
		h.mu.Lock()
		h.queries = append(h.queries, e.Query)
		h.mu.Unlock()
	}
}

var hooks sync.Map // *bun.DB → *captureHook

// explain runs fn once, capturing its SQL, and logs each statement with its plan: EXPLAIN QUERY
// PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL.
func explain(b *testing.B, db *store.DB, fn func(ctx context.Context) error) {
	b.Helper()
	ctx := context.Background()
	v, loaded := hooks.LoadOrStore(db.R, &captureHook{})
	h := v.(*captureHook)
	if !loaded {
		db.R.AddQueryHook(h)
	}
	h.mu.Lock()
	h.queries = nil
	h.mu.Unlock()
	h.on.Store(true)
	err := fn(ctx)
	h.on.Store(false)
	if err != nil {
		b.Fatal(err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, q := range h.queries {
		prefix := "EXPLAIN QUERY PLAN "
		if db.IsPostgres() {
			prefix = "EXPLAIN (ANALYZE, BUFFERS) "
		}
		rows, err := db.R.DB.QueryContext(ctx, prefix+q)
		if err != nil {
			b.Fatalf("explain %s: %v", q, err)
		}
		cols, _ := rows.Columns()
		var plan []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				b.Fatal(err)
			}
			plan = append(plan, fmt.Sprint(vals[len(vals)-1]))
		}
		rows.Close()
		b.Logf("%s\n  %s", q, strings.Join(plan, "\n  "))
	}
}
