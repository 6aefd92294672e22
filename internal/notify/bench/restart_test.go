package bench

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"opsdesk/internal/notify"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// TestSenderStopMidBatch stops a sender in the middle of a batch: the receiver hangs from its
// 40th request on, and once the workers all hang, the sender's context is cancelled. A new sender
// then delivers the rest. Every message arrives; none twice, except those in flight at the stop,
// whose repeat carries the same key and body.
func TestSenderStopMidBatch(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			storetest.Run(t, func(t *testing.T, db *store.DB) {
				f := newFixture(t, db)
				keys := f.enqueue(t, f.ch, 120)
				f.rcv.blockAt = 40

				first := f.sender()
				first.Batch, first.Workers = 200, workers
				ctx, cancel := context.WithCancel(context.Background())
				type result struct {
					sent, failed int
					err          error
				}
				done := make(chan result, 1)
				go func() {
					n, k, err := first.RunOnce(ctx)
					done <- result{n, k, err}
				}()
				inFlight := map[string]bool{}
				for range workers { // every worker is now stuck in a send
					select {
					case k := <-f.rcv.hung:
						inFlight[k] = true
					case <-time.After(30 * time.Second):
						t.Fatal("the receiver never hung")
					}
				}
				cancel()
				var r result
				select {
				case r = <-done:
				case <-time.After(30 * time.Second):
					t.Fatal("the stopped sender did not return")
				}
				if r.err != nil || r.sent != 39 || r.failed != 0 {
					t.Fatalf("stopped sender: sent %d failed %d err %v, want 39, 0, nil", r.sent, r.failed, r.err)
				}
				f.rcv.mu.Lock()
				f.rcv.blockAt = 0
				f.rcv.mu.Unlock()

				// What was not delivered went back due at once, its attempts uncounted.
				for k := range inFlight {
					if m := f.message(t, k); m.Status != notify.Pending || m.Attempts != 0 || m.NextAt.After(f.clk.Now()) {
						t.Fatalf("in-flight message after the stop: %+v", m)
					}
				}
				second := f.sender()
				second.Batch, second.Workers = 50, workers
				sent, failed := drain(t, second)
				if sent != len(keys)-39 || failed != 0 {
					t.Fatalf("restarted sender: sent %d failed %d, want %d and 0", sent, failed, len(keys)-39)
				}
				checkOnce(t, f, keys, inFlight)
			})
		})
	}
}

// crashedStore is a store whose process dies right after sending: nothing of the batch's outcome
// is recorded.
type crashedStore struct{ notify.Store }

var errCrashed = errors.New("the process died")

func (crashedStore) Delivered(context.Context, []int64, time.Time) error { return errCrashed }
func (crashedStore) Failed(context.Context, *notify.Message) error       { return errCrashed }

// TestSenderCrashMidBatch kills a sender in the middle of a batch without recording anything. The
// messages stay leased: a new sender takes them only after the lease, and then delivers all of
// them; those the dead sender had sent arrive again, with the same key and body, and no other does.
func TestSenderCrashMidBatch(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		keys := f.enqueue(t, f.ch, 120)
		f.rcv.blockAt = 40
		const workers = 4
		crashed := f.sender()
		crashed.Store = crashedStore{f.st}
		crashed.Batch, crashed.Workers = 80, workers
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, _, err := crashed.RunOnce(ctx)
			done <- err
		}()
		for range workers {
			select {
			case <-f.rcv.hung:
			case <-time.After(30 * time.Second):
				t.Fatal("the receiver never hung")
			}
		}
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, errCrashed) {
				t.Fatalf("crashed sender: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the crashed sender did not return")
		}
		f.rcv.mu.Lock()
		f.rcv.blockAt = 0
		reached := map[string]bool{} // everything the crashed sender got to the receiver
		for k := range f.rcv.got {
			reached[k] = true
		}
		f.rcv.mu.Unlock()

		restarted := f.sender()
		restarted.Batch, restarted.Workers = 50, workers
		f.clk.Advance(notify.DefaultLease - time.Second)
		sent, _ := drain(t, restarted)
		if sent != 40 { // only the 40 the crashed sender never claimed
			t.Fatalf("before the lease ended: sent %d, want 40", sent)
		}
		f.clk.Advance(time.Second)
		sent, failed := drain(t, restarted)
		if sent != 80 || failed != 0 {
			t.Fatalf("after the lease: sent %d failed %d, want 80 and 0", sent, failed)
		}
		checkOnce(t, f, keys, reached)
	})
}

// checkOnce asserts that every key arrived and was recorded sent, and that only keys in mayRepeat
// arrived more than once, at most twice, with the body of their first arrival.
func checkOnce(t *testing.T, f *fixture, keys []string, mayRepeat map[string]bool) {
	t.Helper()
	got := f.rcv.counts()
	repeats := 0
	for _, k := range keys {
		switch n := got[k]; {
		case n == 0:
			t.Errorf("key %s never arrived", k)
		case n == 2 && mayRepeat[k]:
			repeats++
		case n != 1:
			t.Errorf("key %s arrived %d times (may repeat: %v)", k, n, mayRepeat[k])
		}
	}
	if len(got) != len(keys) || f.rcv.mismatch != 0 || f.rcv.badSig != 0 {
		t.Errorf("%d keys arrived for %d messages; %d repeats differ from the first; %d bad signatures",
			len(got), len(keys), f.rcv.mismatch, f.rcv.badSig)
	}
	counts, err := f.st.OutboxCounts(context.Background())
	if err != nil || counts[notify.Sent] != len(keys) || len(counts) != 1 {
		t.Errorf("outbox counts %v, %v; want all %d sent", counts, err, len(keys))
	}
	t.Logf("%d of %d allowed repeats happened", repeats, len(mayRepeat))
}
