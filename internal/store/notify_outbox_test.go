package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"opsdesk/internal/errs"
	"opsdesk/internal/notify"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// outboxMessage is a webhook message for channel 1, due at notifyT0.
func outboxMessage(i int) *notify.Message {
	return &notify.Message{ChannelID: 1, Kind: notify.Webhook, Event: notify.TicketCreated, TicketID: int64(i + 1),
		Ref: fmt.Sprintf("INC-2026-%06d", i+1), Link: "https://desk/t/1", Subject: "新工单", Text: "正文",
		Payload: `{"n":` + fmt.Sprint(i) + `}`, Key: fmt.Sprintf("key-%d", i)}
}

func enqueue(t *testing.T, s store.Notify, ms ...*notify.Message) {
	t.Helper()
	if err := s.InTx(context.Background(), func(ctx context.Context) error { return s.Enqueue(ctx, ms) }); err != nil {
		t.Fatal(err)
	}
}

func ids(ms []*notify.Message) []int64 {
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func TestNotifyOutboxEnqueueClaim(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := notifyStore(db)
		mail := &notify.Message{ChannelID: 2, Kind: notify.Email, Event: notify.TicketAssigned, TicketID: 9, Ref: "INC-2026-000009",
			Link: "https://desk/t/9", UserID: 5, To: "li@corp.cn", Subject: "工单已指派", Text: "文本", HTML: "<p>HTML</p>"}
		later := outboxMessage(1)
		later.NextAt = notifyT0.Add(time.Hour)
		ms := []*notify.Message{outboxMessage(0), mail, later, outboxMessage(3)}
		enqueue(t, s, ms...)
		if mail.Key == "" || mail.Status != notify.Pending || !mail.CreatedAt.Equal(notifyT0) || !mail.NextAt.Equal(notifyT0) {
			t.Fatalf("defaults: %+v", mail)
		}
		dup := []*notify.Message{outboxMessage(10), outboxMessage(0)}
		err := s.InTx(ctx, func(ctx context.Context) error { return s.Enqueue(ctx, dup) })
		if err == nil || errs.KindOf(err) != errs.Internal {
			t.Fatalf("a repeated key: %v", err)
		}
		if _, err := s.ByKey(ctx, "key-10"); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("half of a failed enqueue written: %v", err)
		}

		lease := 2 * time.Minute
		got, err := s.Claim(ctx, notifyT0, lease, 10)
		if err != nil {
			t.Fatal(err)
		}
		want := []*notify.Message{ms[0], mail, ms[3]}
		for _, m := range want {
			m.NextAt = notifyT0.Add(lease)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("claim mismatch (-want +got):\n%s", diff)
		}
		// Leased: nobody gets them until the lease ends, then they come back.
		if again, _ := s.Claim(ctx, notifyT0.Add(time.Minute), lease, 10); len(again) != 0 {
			t.Fatalf("claimed during the lease: %v", ids(again))
		}
		again, err := s.Claim(ctx, notifyT0.Add(lease), lease, 2)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{ms[0].ID, mail.ID}, ids(again)); diff != "" {
			t.Fatalf("re-claim after the lease, limit 2 (-want +got):\n%s", diff)
		}
		if got, _ := s.ByKey(ctx, mail.Key); got.ID != mail.ID || got.To != "li@corp.cn" {
			t.Fatalf("by key: %+v", got)
		}
		if _, err := s.ByKey(ctx, "nope"); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("unknown key: %v", err)
		}
	})
}

// TestNotifyClaimDisjoint runs two claimers against one outbox at once: every message is claimed
// exactly once. On PostgreSQL they are separate connections racing through FOR UPDATE SKIP LOCKED.
func TestNotifyClaimDisjoint(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := notifyStore(db)
		const n = 2000
		ms := make([]*notify.Message, n)
		for i := range ms {
			ms[i] = outboxMessage(i)
		}
		enqueue(t, s, ms...)
		var wg sync.WaitGroup
		claimed := make([][]int64, 2)
		errc := make(chan error, 2)
		start := make(chan struct{})
		for w := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for {
					got, err := s.Claim(context.Background(), notifyT0, time.Hour, 37)
					if err != nil {
						errc <- err
						return
					}
					if len(got) == 0 {
						return
					}
					claimed[w] = append(claimed[w], ids(got)...)
				}
			}()
		}
		close(start)
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		seen := map[int64]int{}
		for w := range claimed {
			for _, id := range claimed[w] {
				seen[id]++
			}
		}
		for id, k := range seen {
			if k != 1 {
				t.Errorf("message %d claimed %d times", id, k)
			}
		}
		if len(seen) != n {
			t.Fatalf("claimed %d messages, want %d (split %d/%d)", len(seen), n, len(claimed[0]), len(claimed[1]))
		}
		t.Logf("split %d/%d", len(claimed[0]), len(claimed[1]))
	})
}

func TestNotifyOutboxOutcome(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := notifyStore(db)
		ms := []*notify.Message{outboxMessage(0), outboxMessage(1), outboxMessage(2), outboxMessage(3)}
		enqueue(t, s, ms...)
		if _, err := s.Claim(ctx, notifyT0, time.Minute, 10); err != nil {
			t.Fatal(err)
		}
		sentAt := notifyT0.Add(10 * time.Second)
		if err := s.Delivered(ctx, []int64{ms[0].ID, ms[1].ID}, sentAt); err != nil {
			t.Fatal(err)
		}
		// A second report (a replica that re-claimed it) keeps the first time.
		if err := s.Delivered(ctx, []int64{ms[0].ID}, sentAt.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, _ := s.ByKey(ctx, ms[0].Key)
		if got.Status != notify.Sent || !got.SentAt.Equal(sentAt) || got.Attempts != 1 {
			t.Fatalf("sent: %+v", got)
		}

		retry := *ms[2]
		retry.Attempts, retry.LastError, retry.NextAt, retry.Status = 1, "503 Service Unavailable", notifyT0.Add(time.Hour), notify.Pending
		if err := s.Failed(ctx, &retry); err != nil {
			t.Fatal(err)
		}
		dead := *ms[3]
		dead.Attempts, dead.LastError, dead.NextAt, dead.Status = 1, "410 Gone", notifyT0, notify.Dead
		if err := s.Failed(ctx, &dead); err != nil {
			t.Fatal(err)
		}
		// A failure reported for a message already sent does not undo it.
		late := *ms[0]
		late.Attempts, late.LastError, late.NextAt, late.Status = 5, "timeout", notifyT0, notify.Dead
		if err := s.Failed(ctx, &late); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.ByKey(ctx, ms[0].Key); got.Status != notify.Sent || got.LastError != "" {
			t.Fatalf("sent message after a late failure: %+v", got)
		}
		gone := retry
		gone.ID = 999999
		if err := s.Failed(ctx, &gone); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("failed of an absent message: %v", err)
		}

		if got, _ := s.Claim(ctx, notifyT0.Add(59*time.Minute), time.Minute, 10); len(got) != 0 {
			t.Fatalf("claimed before the back-off ended: %v", ids(got))
		}
		got2, _ := s.Claim(ctx, notifyT0.Add(time.Hour), time.Minute, 10)
		if len(got2) != 1 || got2[0].ID != ms[2].ID || got2[0].Attempts != 1 || got2[0].LastError != "503 Service Unavailable" {
			t.Fatalf("after the back-off: %+v", got2)
		}

		counts, err := s.OutboxCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[notify.Status]int{notify.Sent: 2, notify.Pending: 1, notify.Dead: 1}, counts); diff != "" {
			t.Fatalf("counts mismatch (-want +got):\n%s", diff)
		}
		sent, _ := s.Outbox(ctx, notify.Sent, 10)
		if diff := cmp.Diff([]int64{ms[1].ID, ms[0].ID}, ids(sent)); diff != "" {
			t.Fatalf("sent list, newest first (-want +got):\n%s", diff)
		}
		all, _ := s.Outbox(ctx, "", 3)
		if diff := cmp.Diff([]int64{ms[3].ID, ms[2].ID, ms[1].ID}, ids(all)); diff != "" {
			t.Fatalf("all, limit 3 (-want +got):\n%s", diff)
		}

		// Retry: only a dead message, which comes back due at once with fresh attempts.
		if err := s.Retry(ctx, ms[2].ID, notifyT0); errs.KindOf(err) != errs.Invalid || !hasMsg(err, "err.notify.not_dead") {
			t.Fatalf("retry of a pending message: %v", err)
		}
		if err := s.Retry(ctx, ms[0].ID, notifyT0); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("retry of a sent message: %v", err)
		}
		if err := s.Retry(ctx, 999999, notifyT0); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("retry of an absent message: %v", err)
		}
		at := notifyT0.Add(2 * time.Hour)
		if err := s.Retry(ctx, ms[3].ID, at); err != nil {
			t.Fatal(err)
		}
		back, _ := s.Claim(ctx, at, time.Minute, 10)
		if !slices.Contains(ids(back), ms[3].ID) {
			t.Fatalf("retried message not claimed: %v", ids(back))
		}
		for _, m := range back {
			if m.ID == ms[3].ID && (m.Attempts != 0 || m.Status != notify.Pending || m.LastError != "410 Gone") {
				t.Fatalf("retried: %+v", m)
			}
		}
	})
}

// TestNotifyClaimUsesIndex checks that the claim reads the partial index of pending messages in
// its order instead of scanning or sorting the outbox, whose sent history grows without bound.
func TestNotifyClaimUsesIndex(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		plan, err := store.ClaimPlan(context.Background(), db, notifyT0)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, "notify_outbox_due") || strings.Contains(plan, "TEMP B-TREE") || strings.Contains(plan, "Sort") {
			t.Fatalf("claim plan:\n%s", plan)
		}
	})
}

func TestNotifyPurgeSent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := notifyStore(db)
		ms := []*notify.Message{outboxMessage(0), outboxMessage(1), outboxMessage(2), outboxMessage(3)}
		enqueue(t, s, ms...)
		if err := s.Delivered(ctx, []int64{ms[0].ID}, notifyT0); err != nil {
			t.Fatal(err)
		}
		if err := s.Delivered(ctx, []int64{ms[1].ID}, notifyT0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		dead := *ms[2]
		dead.Attempts, dead.LastError, dead.Status = 8, "410 Gone", notify.Dead
		if err := s.Failed(ctx, &dead); err != nil {
			t.Fatal(err)
		}
		// Only the message sent before the cut goes; the later one, the dead and the pending stay.
		n, err := s.PurgeSent(ctx, notifyT0.Add(time.Hour), 100)
		if err != nil || n != 1 {
			t.Fatalf("purged %d, %v; want 1", n, err)
		}
		if _, err := s.ByKey(ctx, ms[0].Key); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("the old sent message is still there: %v", err)
		}
		for _, m := range ms[1:] {
			if _, err := s.ByKey(ctx, m.Key); err != nil {
				t.Fatalf("%s was purged: %v", m.Key, err)
			}
		}
	})
}
