package bench

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"opsdesk/internal/notify"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

func TestSenderDelivers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		keys := f.enqueue(t, f.ch, 45)
		s := f.sender()
		s.Batch, s.Workers = 20, 4
		sent, failed := drain(t, s)
		if sent != 45 || failed != 0 {
			t.Fatalf("sent %d failed %d, want 45 and 0", sent, failed)
		}
		got := f.rcv.counts()
		for _, k := range keys {
			if got[k] != 1 {
				t.Errorf("key %s received %d times", k, got[k])
			}
		}
		if f.rcv.badSig != 0 || len(got) != 45 {
			t.Fatalf("%d bad signatures, %d keys", f.rcv.badSig, len(got))
		}
		m := f.message(t, keys[7])
		if m.Status != notify.Sent || m.Attempts != 1 || !m.SentAt.Equal(t0) {
			t.Fatalf("stored: %+v", m)
		}
		counts, _ := f.st.OutboxCounts(context.Background())
		if counts[notify.Sent] != 45 || counts[notify.Pending] != 0 {
			t.Fatalf("counts %v", counts)
		}

		// Sent messages stay for the retention period, then the purge removes them.
		f.clk.Advance(notify.SentRetention - time.Minute)
		if n, err := s.Purge(context.Background()); err != nil || n != 0 {
			t.Fatalf("purged %d (%v) within the retention period", n, err)
		}
		f.clk.Advance(2 * time.Minute)
		if n, err := s.Purge(context.Background()); err != nil || n != 45 {
			t.Fatalf("purged %d (%v) after the retention period, want 45", n, err)
		}
	})
}

// TestSenderBacksOff fails a message twice with a retryable answer: each failure is recorded with
// a next attempt inside its back-off window, nothing is sent before it, and the third attempt,
// with the same key, succeeds.
func TestSenderBacksOff(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.rcv.status = func(_ string, n int) int {
			if n <= 2 {
				return http.StatusServiceUnavailable
			}
			return http.StatusOK
		}
		key := f.enqueue(t, f.ch, 1)[0]
		s := f.sender()
		s.BaseBackoff, s.MaxBackoff = time.Minute, time.Hour
		for attempt, window := range []time.Duration{time.Minute, 2 * time.Minute} {
			sent, failed, err := s.RunOnce(context.Background())
			if err != nil || sent != 0 || failed != 1 {
				t.Fatalf("attempt %d: sent %d failed %d err %v", attempt+1, sent, failed, err)
			}
			m := f.message(t, key)
			wait := m.NextAt.Sub(f.clk.Now())
			if m.Status != notify.Pending || m.Attempts != attempt+1 || !strings.Contains(m.LastError, "503") ||
				wait < window/2 || wait > window {
				t.Fatalf("after attempt %d: %+v (waits %v, want within [%v, %v])", attempt+1, m, wait, window/2, window)
			}
			f.clk.Advance(wait - time.Second)
			if sent, failed, _ := s.RunOnce(context.Background()); sent+failed != 0 {
				t.Fatalf("attempted before the back-off ended")
			}
			f.clk.Advance(time.Second)
		}
		if sent, _, err := s.RunOnce(context.Background()); err != nil || sent != 1 {
			t.Fatalf("third attempt: sent %d, %v", sent, err)
		}
		m := f.message(t, key)
		if m.Status != notify.Sent || m.Attempts != 3 || m.LastError != "" {
			t.Fatalf("after success: %+v", m)
		}
		if got := f.rcv.counts()[key]; got != 3 {
			t.Fatalf("received %d times, want 3 with one key", got)
		}
	})
}

func TestSenderDeadAfterMaxAttempts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.rcv.status = func(string, int) int { return http.StatusInternalServerError }
		key := f.enqueue(t, f.ch, 1)[0]
		var logs bytes.Buffer
		var mu sync.Mutex
		s := f.sender()
		s.MaxAttempts, s.BaseBackoff, s.MaxBackoff = 3, time.Second, time.Minute
		s.Log = slog.New(slog.NewTextHandler(&lockedWriter{mu: &mu, w: &logs}, nil))
		for range 5 {
			if _, _, err := s.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			f.clk.Advance(time.Minute)
		}
		m := f.message(t, key)
		if m.Status != notify.Dead || m.Attempts != 3 || !strings.Contains(m.LastError, "500") {
			t.Fatalf("after 3 failures: %+v", m)
		}
		if got := f.rcv.counts()[key]; got != 3 {
			t.Fatalf("received %d times, want 3", got)
		}
		mu.Lock()
		defer mu.Unlock()
		if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), key) {
			t.Fatalf("dead message not logged:\n%s", logs.String())
		}

		// An administrator retries it once the receiver is mended.
		f.rcv.mu.Lock()
		f.rcv.status = nil
		f.rcv.mu.Unlock()
		if err := f.st.Retry(context.Background(), m.ID, f.clk.Now()); err != nil {
			t.Fatal(err)
		}
		if sent, _, err := s.RunOnce(context.Background()); err != nil || sent != 1 {
			t.Fatalf("after retry: sent %d, %v", sent, err)
		}
		if m := f.message(t, key); m.Status != notify.Sent || m.Attempts != 1 {
			t.Fatalf("retried: %+v", m)
		}
	})
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestSenderPermanentFailures: a rejection, a deleted or disabled channel, and a kind without a
// driver kill the message at the first attempt, with an error that says why.
func TestSenderPermanentFailures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		f.rcv.status = func(string, int) int { return http.StatusBadRequest }
		rejected := f.enqueue(t, f.ch, 1)[0]

		gone := &notify.Channel{Kind: notify.Webhook, Name: "gone", Enabled: true, Config: f.ch.Config}
		off := &notify.Channel{Kind: notify.Webhook, Name: "off", Enabled: false, Config: f.ch.Config}
		mail := &notify.Channel{Kind: notify.Email, Name: "smtp", Enabled: true, Config: map[string]string{"host": "mail"}}
		for _, c := range []*notify.Channel{gone, off, mail} {
			if err := f.st.SaveChannel(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		goneKey, offKey, mailKey := f.enqueue(t, gone, 1)[0], f.enqueue(t, off, 1)[0], f.enqueue(t, mail, 1)[0]
		if err := f.st.DeleteChannel(ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		sent, failed := drain(t, f.sender())
		if sent != 0 || failed != 4 {
			t.Fatalf("sent %d failed %d, want 0 and 4", sent, failed)
		}
		for key, want := range map[string]string{rejected: "400", goneKey: "no longer exists", offKey: "disabled",
			mailKey: "no driver for channel kind email"} {
			m := f.message(t, key)
			if m.Status != notify.Dead || m.Attempts != 1 || !strings.Contains(m.LastError, want) {
				t.Errorf("want dead with %q: %+v", want, m)
			}
		}
		if got := f.rcv.counts(); len(got) != 1 || got[rejected] != 1 {
			t.Fatalf("receiver got %v, want only the rejected one once", got)
		}
	})
}

// TestSenderReplicas runs two senders on one outbox at once: every message arrives exactly once.
func TestSenderReplicas(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		keys := f.enqueue(t, f.ch, 600)
		var wg sync.WaitGroup
		sent := make([]int, 2)
		for i := range 2 {
			s := f.sender()
			s.Batch, s.Workers = 25, 4
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					n, k, err := s.RunOnce(context.Background())
					if err != nil {
						t.Error(err)
						return
					}
					if n+k == 0 {
						return
					}
					sent[i] += n
				}
			}()
		}
		wg.Wait()
		got := f.rcv.counts()
		for _, k := range keys {
			if got[k] != 1 {
				t.Errorf("key %s received %d times", k, got[k])
			}
		}
		if sent[0]+sent[1] != len(keys) {
			t.Fatalf("sent %v, want %d in all", sent, len(keys))
		}
		t.Logf("split %v", sent)
	})
}

// TestSenderRunWakes runs the loop with a poll too long to matter: one Wake delivers several full
// batches, because Run goes on while batches come full.
func TestSenderRunWakes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		s := f.sender()
		s.Batch, s.Workers, s.Poll = 10, 3, time.Hour
		ctx, cancel := context.WithCancel(context.Background())
		stopped := make(chan error, 1)
		go func() { stopped <- s.Run(ctx) }()

		keys := f.enqueue(t, f.ch, 35)
		arrived := f.rcv.expect(35)
		s.Wake()
		s.Wake() // never blocks, even while Run is busy
		within(t, arrived, "35 deliveries after one wake-up")
		keys = append(keys, f.enqueue(t, f.ch, 3)...)
		arrived = f.rcv.expect(38)
		s.Wake()
		within(t, arrived, "the next 3 after a second wake-up")
		cancel()
		select {
		case err := <-stopped:
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("Run did not stop")
		}
		got := f.rcv.counts()
		for _, k := range keys {
			if got[k] != 1 {
				t.Errorf("key %s received %d times", k, got[k])
			}
		}
	})
}

// slowDriver makes each send take a minute of the fixture's clock.
type slowDriver struct {
	notify.Driver
	clk *clock
}

func (d slowDriver) Send(ctx context.Context, ch *notify.Channel, m *notify.Message) error {
	d.clk.Advance(time.Minute)
	return d.Driver.Send(ctx, ch, m)
}

// TestSenderStaysWithinLease: a send starts only if it can end within the batch's lease, so that
// a slow batch never overlaps another sender's claim of the same messages. The rest go back, due
// at once, without an attempt counted.
func TestSenderStaysWithinLease(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		keys := f.enqueue(t, f.ch, 5)
		s := f.sender()
		s.Drivers[notify.Webhook] = slowDriver{f.drv, f.clk}
		s.Workers, s.Lease, s.SendTimeout = 1, 2*time.Minute, 30*time.Second
		sent, failed, err := s.RunOnce(context.Background())
		if err != nil || sent != 2 || failed != 0 {
			t.Fatalf("sent %d failed %d err %v, want the 2 that fit in the lease", sent, failed, err)
		}
		for _, k := range keys[2:] {
			if m := f.message(t, k); m.Status != notify.Pending || m.Attempts != 0 || !m.NextAt.Equal(t0.Add(2*time.Minute)) {
				t.Fatalf("put back: %+v", m)
			}
		}
		if got := f.rcv.counts(); len(got) != 2 {
			t.Fatalf("receiver got %d, want 2", len(got))
		}
	})
}
