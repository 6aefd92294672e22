package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// TestInspectionSampleNeverTwice races samplers over the same closed tickets: every ticket ends up
// in exactly one inspection, and a later candidate query finds none left.
func TestInspectionSampleNeverTwice(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.Tickets{DB: db}
		at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		for i := range 6 {
			tk := newTicket(db, "已关闭的工单", "", 3, at)
			tk.Status, tk.ClosedAt, tk.ReopenCount = ticket.Closed, at.Add(time.Duration(i)*time.Hour), i%2
			tk.Number = ticket.FormatNumber(ticket.Incident, 2026, int64(900+i))
			if err := s.Create(ctx, tk); err != nil {
				t.Fatal(err)
			}
		}
		c := ticket.Candidates{From: at, To: at.Add(24 * time.Hour), Rule: ticket.SampleRandom}
		ids, err := s.SampleCandidates(ctx, c)
		if err != nil || len(ids) != 6 {
			t.Fatalf("candidates %v %v", ids, err)
		}
		reopened, err := s.SampleCandidates(ctx, ticket.Candidates{From: c.From, To: c.To, Rule: ticket.SampleReopened})
		if err != nil || len(reopened) != 3 {
			t.Fatalf("reopened candidates %v %v", reopened, err)
		}
		var mu sync.Mutex
		got := map[int64]int{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				var ins []*ticket.Inspection
				for _, id := range ids {
					ins = append(ins, &ticket.Inspection{TicketID: id, Rule: ticket.SampleRandom, SampledAt: at})
				}
				err := db.InTx(ctx, func(ctx context.Context) error {
					out, err := s.AddInspections(ctx, ins)
					mu.Lock()
					defer mu.Unlock()
					for _, in := range out {
						got[in.TicketID]++
					}
					return err
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		for _, id := range ids {
			if got[id] != 1 {
				t.Errorf("ticket %d drawn %d times", id, got[id])
			}
		}
		if left, err := s.SampleCandidates(ctx, c); err != nil || len(left) != 0 {
			t.Fatalf("candidates after sampling %v %v", left, err)
		}
	})
}
