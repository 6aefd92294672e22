package store_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// TestInTxConcurrentCreates runs many concurrent transactions, as the ticket service's Create does
// (number, insert with search terms, nested InTx, audit entry), some of which fail after writing.
// On SQLite they are group-committed; on PostgreSQL each is its own transaction. Afterwards every
// successful one is there, the failed ones left nothing, and the numbers have no gaps or duplicates.
func TestInTxConcurrentCreates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.Tickets{DB: db}
		au := &audit.Service{Store: store.Audit{DB: db}, Now: time.Now}
		const workers, each = 16, 12
		var (
			mu     sync.Mutex
			ok     = map[string]int64{} // subject → number
			failed []string
			wg     sync.WaitGroup
		)
		at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					subject := fmt.Sprintf("并发工单 %d-%d", w, i)
					fail := (w+i)%4 == 0
					var seq int64
					err := db.InTx(ctx, func(ctx context.Context) error {
						var err error
						if seq, err = s.NextNumber(ctx, ticket.Incident, 2026); err != nil {
							return err
						}
						tk := newTicket(db, subject, "打印机无法打印", 3, at)
						tk.Number = ticket.FormatNumber(tk.Type, 2026, seq)
						if err := s.Create(ctx, tk); err != nil {
							return err
						}
						// A nested InTx joins the batch's transaction.
						if err := db.InTx(ctx, func(ctx context.Context) error {
							return au.Record(ctx, audit.Entry{Action: "ticket.create", TargetType: "ticket", TargetID: strconv.FormatInt(tk.ID, 10)})
						}); err != nil {
							return err
						}
						if fail {
							return errs.E(errs.Invalid, "err.test", errs.Field("subject", "err.invalid"))
						}
						return nil
					})
					mu.Lock()
					switch {
					case fail && errs.KindOf(err) == errs.Invalid:
						failed = append(failed, subject)
					case !fail && err == nil:
						ok[subject] = seq
					default:
						t.Errorf("%s: fail=%v, err=%v", subject, fail, err)
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(ok) == 0 || len(failed) == 0 {
			t.Fatalf("ok %d, failed %d", len(ok), len(failed))
		}
		list := listAll(t, s, ticket.Filter{Sort: ticket.ByNewest})
		if len(list) != len(ok) {
			t.Errorf("%d tickets stored, %d acknowledged", len(list), len(ok))
		}
		numbers := map[string]bool{}
		for _, tk := range list {
			seq, found := ok[tk.Subject]
			if !found {
				t.Errorf("%s stored but not acknowledged (or failed)", tk.Subject)
				continue
			}
			if want := ticket.FormatNumber(ticket.Incident, 2026, seq); tk.Number != want {
				t.Errorf("%s: number %s, acknowledged %s", tk.Subject, tk.Number, want)
			}
			numbers[tk.Number] = true
		}
		for i := 1; i <= len(ok); i++ { // gap-free: the failed ones' numbers were rolled back and reused
			if n := ticket.FormatNumber(ticket.Incident, 2026, int64(i)); !numbers[n] {
				t.Errorf("number %s missing", n)
			}
		}
		// Every failed transaction took its audit entry with it; the chain has no holes.
		n, brk, err := au.Verify(ctx)
		if err != nil || brk != nil || n != int64(len(ok)) {
			t.Errorf("audit chain: %d entries for %d tickets, break %+v, err %v", n, len(ok), brk, err)
		}
		// The search terms of failed ones went too.
		if found := listAll(t, s, ticket.Filter{Query: "打印", Sort: ticket.ByNewest}); len(found) != len(ok) {
			t.Errorf("search finds %d of %d", len(found), len(ok))
		}
	})
}

// listAll pages through a list to its end.
func listAll(t *testing.T, s store.Tickets, f ticket.Filter) []*ticket.Ticket {
	t.Helper()
	var all []*ticket.Ticket
	for {
		page, err := s.List(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if len(page) == 0 {
			return all
		}
		f.After = page[len(page)-1].Cursor()
	}
}

// TestInTxPanicRollsBackOnlyItself: a transaction that panics re-panics in its caller, leaves
// nothing, and does not take concurrent ones with it.
func TestInTxPanicRollsBackOnlyItself(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.Tickets{DB: db}
		at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() {
					if p := recover(); (p != nil) != (i == 3) {
						t.Errorf("%d: recovered %v", i, p)
					}
				}()
				err := db.InTx(ctx, func(ctx context.Context) error {
					tk := newTicket(db, fmt.Sprintf("工单 %d", i), "", 3, at)
					tk.Number = fmt.Sprintf("T-%d", i)
					if err := s.Create(ctx, tk); err != nil {
						return err
					}
					if i == 3 {
						panic("boom")
					}
					return nil
				})
				if err != nil {
					t.Errorf("%d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		list := listAll(t, s, ticket.Filter{Sort: ticket.ByNewest})
		if len(list) != 7 {
			t.Fatalf("%d tickets, want 7", len(list))
		}
		for _, tk := range list {
			if tk.Number == "T-3" {
				t.Error("the panicking transaction's ticket was kept")
			}
		}
	})
}
