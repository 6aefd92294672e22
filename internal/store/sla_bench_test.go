package store_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// BenchmarkSLA measures the SLA engine at a size given by OPSDESK_BENCH_OPEN open tickets with two
// running clocks each (default 20000; the figure is 1,000,000):
//
//	OPSDESK_BENCH_OPEN=1000000 go test ./internal/store/ -run '^$' -bench SLA -benchtime 20x
//
// tick: one engine tick when nothing is due (its steady state); replan: re-planning every clock
// after a calendar edit, reported as ns per clock.
func BenchmarkSLA(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("OPSDESK_BENCH_OPEN")); err == nil && v > 0 {
		n = v
	}
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			db := storetest.Open(b, engine)
			tr := seedClocks(b, db, n)
			ctx := actor.NewContext(context.Background(), actor.System(actor.SourceJob))
			b.Run("tick", func(b *testing.B) {
				for b.Loop() {
					if fired, err := tr.Tick(ctx); err != nil || fired != 0 {
						b.Fatalf("tick: %d %v", fired, err)
					}
				}
			})
			b.Run("replan", func(b *testing.B) {
				for b.Loop() {
					done, err := tr.Replan(ctx, sla.DefaultName)
					if err != nil || done != 2*n {
						b.Fatalf("replan: %d %v", done, err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(2*n), "ns/clock")
			})
		})
	}
}

// seedClocks inserts n open tickets, each with a first-response and a resolution clock due in the
// future, with multi-row INSERTs, and returns the tracker over them.
func seedClocks(b *testing.B, db *store.DB, n int) *sla.Tracker {
	b.Helper()
	ctx := context.Background()
	au := &audit.Service{Store: store.Audit{DB: db}, Now: time.Now}
	svc := &sla.Service{Store: store.SLA{DB: db}, Audit: au}
	op := actor.System(actor.SourceCLI)
	op.Perms[sla.PermManage] = true
	opCtx := actor.NewContext(ctx, op)
	if err := svc.EnsureDefault(opCtx); err != nil {
		b.Fatal(err)
	}
	p := &sla.Policy{Name: "bench", Calendar: sla.DefaultName, Active: true,
		Targets: [4]sla.Targets{{sla.FirstResponse: time.Hour, sla.Resolution: 8 * time.Hour}, {sla.Resolution: 8 * time.Hour},
			{sla.Resolution: 16 * time.Hour}, {sla.Resolution: 40 * time.Hour}}}
	if err := svc.SavePolicy(opCtx, p); err != nil {
		b.Fatal(err)
	}
	cal, err := svc.Calendar(ctx, sla.DefaultName)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	const chunk = 500
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		var tickets, timers []string
		var targs, marg []any
		for i := lo; i < hi; i++ {
			created := now.Add(-time.Duration(i%600) * time.Minute).UTC()
			tickets = append(tickets, "(?, ?, 'incident', 'assigned', 'portal', ?, 2, 2, 3, '/1/', ?, ?)")
			targs = append(targs, i+1, fmt.Sprintf("INC-2026-%07d", i+1), "bench "+strconv.Itoa(i), created, created)
			for _, m := range []sla.Metric{sla.FirstResponse, sla.Resolution} {
				target := time.Hour
				if m == sla.Resolution {
					target = 16 * time.Hour
				}
				tm := sla.StartTimer(cal, m, p.ID, target+48*time.Hour, 0, now) // far enough: nothing due while benchmarking
				timers = append(timers, "(?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, 'within')")
				marg = append(marg, i+1, string(m), p.ID, tm.StartedAt.UTC(), int64(tm.Target/time.Second), tm.WarnShare,
					tm.DueAt.UTC(), tm.WarnAt.UTC(), tm.NextAt.UTC())
			}
		}
		_, err := db.W.ExecContext(ctx, `INSERT INTO tickets (id, number, type, status, channel, subject, urgency, impact, priority,
			org_path, created_at, updated_at) VALUES `+strings.Join(tickets, ", "), targs...)
		if err != nil {
			b.Fatal(err)
		}
		_, err = db.W.ExecContext(ctx, `INSERT INTO sla_timers (ticket_id, metric, policy_id, started_at, target_secs, warn_share,
			pauses_json, due_at, warn_at, next_at, state) VALUES `+strings.Join(timers, ", "), marg...)
		if err != nil {
			b.Fatal(err)
		}
	}
	if db.IsPostgres() {
		db.W.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('tickets', 'id'), (SELECT max(id) FROM tickets)); ANALYZE")
	}
	return &sla.Tracker{Service: svc, Timers: store.SLA{DB: db}, Now: time.Now, Event: store.Tickets{DB: db}.AddEvent}
}
