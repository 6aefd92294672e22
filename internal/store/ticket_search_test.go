package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// TestTicketSearchPagesReachEveryMatch pages through searches with a small limit in every sort order,
// with and without a status filter, and checks that the pages together hold every match exactly once
// (the newest-first search walks the full-text index in id order; the others filter by it).
func TestTicketSearchPagesReachEveryMatch(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.Tickets{DB: db}
		base := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
		texts := []string{"打印机卡纸", "网络中断", "打印驱动安装", "邮件收不到", "打印不清楚"}
		statuses := []ticket.Status{ticket.New, ticket.Assigned, ticket.Closed, ticket.InProgress, ticket.Cancelled, ticket.Pending, ticket.Resolved}
		want := map[string][]int64{} // status filter ("" for none) → matching ids
		for i := range 37 {
			// Creation times repeat and go back and forth, so that ties and out-of-order times are covered.
			at := base.Add(time.Duration((i*7)%11) * time.Minute)
			tk := newTicket(db, texts[i%len(texts)], "第"+string(rune('一'+i%5))+"次", ticket.Priority(1+i%4), at)
			tk.Number = ticket.FormatNumber(tk.Type, 2026, int64(i+1))
			tk.Status = statuses[i%len(statuses)]
			if err := s.Create(ctx, tk); err != nil {
				t.Fatal(err)
			}
			if i%len(texts) == 0 || i%len(texts) == 2 || i%len(texts) == 4 {
				want[""] = append(want[""], tk.ID)
				if tk.Status.IsOpen() {
					want["open"] = append(want["open"], tk.ID)
				}
			}
		}
		open := []ticket.Status{ticket.New, ticket.Assigned, ticket.InProgress, ticket.Pending}
		for _, sort := range []ticket.Sort{ticket.ByNewest, ticket.ByPriority, ticket.ByUpdated} {
			for _, filter := range []string{"", "open"} {
				f := ticket.Filter{Query: "打印", Sort: sort, Limit: 4}
				if filter == "open" {
					f.Statuses = open
				}
				var got []int64
				for page := 0; page < 50; page++ {
					list, err := s.List(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					for _, x := range list {
						got = append(got, x.ID)
					}
					if len(list) < f.Limit {
						break
					}
					f.After = list[len(list)-1].Cursor()
				}
				if sort == ticket.ByNewest && !slices.IsSortedFunc(got, func(a, b int64) int { return int(b - a) }) {
					t.Errorf("%s %q: not newest id first: %v", sort, filter, got)
				}
				slices.Sort(got)
				w := slices.Clone(want[filter])
				slices.Sort(w)
				if !slices.Equal(got, w) {
					t.Errorf("%s %q: pages hold %v, want every match once: %v", sort, filter, got, w)
				}
			}
		}
	})
}
