package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"opsdesk/internal/errs"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

func newTicket(db *store.DB, subject, desc string, prio ticket.Priority, at time.Time) *ticket.Ticket {
	return &ticket.Ticket{Type: ticket.Incident, Status: ticket.New, Channel: ticket.Phone, Subject: subject,
		Description: desc, Urgency: 2, Impact: 2, Priority: prio, OrgPath: "/1/", CreatedAt: at, UpdatedAt: at}
}

func TestTicketSearchAndQueues(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.Tickets{DB: db}
		base := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
		subjects := []struct {
			subj, desc string
			prio       ticket.Priority
		}{
			{"打印机卡纸", "三楼财务部的打印机无法打印", 3},
			{"网络中断", "办公室无线网络连不上", 1},
			{"邮件收不到", "Outlook 提示 0x800CCC0E", 2},
			{"申请VPN账号", "出差需要访问 OA", 4},
			{"打印驱动安装", "新电脑需要安装打印驱动", 3},
		}
		var ids []int64
		for i, x := range subjects {
			tk := newTicket(db, x.subj, x.desc, x.prio, base.Add(time.Duration(i)*time.Minute))
			tk.Number = ticket.FormatNumber(tk.Type, 2026, int64(i+1))
			if err := s.Create(ctx, tk); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, tk.ID)
		}
		search := func(q string, st ...ticket.Status) []string {
			list, err := s.List(ctx, ticket.Filter{Query: q, Statuses: st})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, x := range list {
				out = append(out, x.Subject)
			}
			return out
		}
		if got := search("打印"); len(got) != 2 || got[0] != "打印机卡纸" {
			t.Errorf("打印: %v", got)
		}
		if got := search("网络"); len(got) != 1 {
			t.Errorf("网络: %v", got)
		}
		if got := search("outlook"); len(got) != 1 || got[0] != "邮件收不到" {
			t.Errorf("outlook: %v", got)
		}
		if got := search(`"); DROP TABLE tickets; --`); len(got) != 0 {
			t.Errorf("injection-looking query: %v", got)
		}
		if got := search("打印", ticket.Closed); len(got) != 0 {
			t.Errorf("status filter ignored: %v", got)
		}
		// A reply's words become searchable.
		if err := s.AddComment(ctx, &ticket.Comment{TicketID: ids[3], Body: "已开通，请用邮件中的初始密码登录", CreatedAt: base}); err != nil {
			t.Fatal(err)
		}
		if got := search("初始密码"); len(got) != 1 || got[0] != "申请VPN账号" {
			t.Errorf("reply search: %v", got)
		}
		// Queue order: priority, then age; keyset pages continue where the last one stopped.
		page1, _ := s.List(ctx, ticket.Filter{Limit: 2})
		last := page1[len(page1)-1]
		page2, _ := s.List(ctx, ticket.Filter{Limit: 2, After: &ticket.Cursor{Priority: last.Priority, CreatedAt: last.CreatedAt, ID: last.ID}})
		order := []string{page1[0].Subject, page1[1].Subject, page2[0].Subject, page2[1].Subject}
		want := []string{"网络中断", "邮件收不到", "打印机卡纸", "打印驱动安装"}
		if fmt.Sprint(order) != fmt.Sprint(want) {
			t.Errorf("queue order %v, want %v", order, want)
		}
		// Optimistic concurrency.
		tk, _ := s.Get(ctx, ids[0])
		stale := *tk
		tk.Status = ticket.Assigned
		if err := s.Update(ctx, tk); err != nil {
			t.Fatal(err)
		}
		if err := s.Update(ctx, &stale); errs.KindOf(err) != errs.Conflict {
			t.Errorf("stale update: %v", err)
		}
		if _, err := s.Get(ctx, 999999); errs.KindOf(err) != errs.NotFound {
			t.Errorf("missing ticket: %v", err)
		}
	})
}

func TestTicketNumbersUnderConcurrency(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := store.Tickets{DB: db}
		var mu sync.Mutex
		seen := map[int64]bool{}
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 10 {
					var n int64
					err := db.InTx(context.Background(), func(ctx context.Context) error {
						var err error
						n, err = s.NextNumber(ctx, ticket.Incident, 2026)
						return err
					})
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					if seen[n] {
						t.Errorf("number %d handed out twice", n)
					}
					seen[n] = true
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(seen) != 80 {
			t.Fatalf("%d numbers", len(seen))
		}
	})
}

// TestBreachingSkipsPaused: a pending ticket's clock is paused, so its stored due time is only a
// projection and it does not show among the tickets about to breach.
func TestBreachingSkipsPaused(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, timers := store.Tickets{DB: db}, store.SLA{DB: db}
		now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
		var ids []int64
		for i, st := range []ticket.Status{ticket.Assigned, ticket.Pending} {
			tk := newTicket(db, "打印机", "卡纸", 3, now)
			tk.Status, tk.Number = st, fmt.Sprintf("INC-2026-9%05d", i)
			if err := s.Create(ctx, tk); err != nil {
				t.Fatal(err)
			}
			if err := timers.SetTicketSLA(ctx, tk.ID, now.Add(time.Hour), sla.Within); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, tk.ID)
		}
		list, err := s.List(ctx, ticket.Filter{SLADueBefore: now.Add(4 * time.Hour)})
		if err != nil || len(list) != 1 || list[0].ID != ids[0] {
			t.Fatalf("breaching list %v (%v), want only the assigned ticket %d", list, err, ids[0])
		}
	})
}
