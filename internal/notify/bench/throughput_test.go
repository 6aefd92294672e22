package bench

import (
	"os"
	"testing"
	"time"

	"opsdesk/internal/notify"
	"opsdesk/internal/notify/webhook"
	"opsdesk/internal/store/storetest"
)

// TestThroughput delivers 10,000 queued messages to the loopback receiver with the sender's
// defaults and the real webhook driver (signing included), on each engine, and requires at least
// 500 messages per second from the first claim to the last outcome recorded. It measures wall
// time, so it runs only when asked: OPSDESK_BENCH=1 go test ./internal/notify/bench -run Throughput -v
func TestThroughput(t *testing.T) {
	if os.Getenv("OPSDESK_BENCH") == "" {
		t.Skip("set OPSDESK_BENCH=1 to measure the sender's throughput")
	}
	const n, floor = 10_000, 500.0
	for _, engine := range storetest.Engines() {
		for _, pooled := range []bool{false, true} {
			name := engine + "/driver=zero"
			if pooled {
				name = engine + "/driver=pooled"
			}
			t.Run(name, func(t *testing.T) {
				f := newFixture(t, storetest.Open(t, engine))
				keys := f.enqueue(t, f.ch, n)
				s := f.sender()
				if !pooled {
					s.Drivers[notify.Webhook] = &webhook.Driver{} // the zero value, as the app runs it: its own pooled client
				}
				start := time.Now()
				sent, failed := drain(t, s)
				elapsed := time.Since(start)
				rate := float64(sent) / elapsed.Seconds()
				t.Logf("%s: %d sent, %d failed in %v: %.0f messages/s", name, sent, failed, elapsed.Round(time.Millisecond), rate)
				if sent != n || failed != 0 {
					t.Fatalf("sent %d failed %d, want %d and 0", sent, failed, n)
				}
				checkOnce(t, f, keys, nil)
				if rate < floor {
					t.Errorf("%.0f messages/s, want at least %.0f", rate, floor)
				}
			})
		}
	}
}
