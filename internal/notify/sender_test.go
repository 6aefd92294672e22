package notify

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	base, max := 30*time.Second, time.Hour
	tests := []struct {
		name     string
		attempts int
		r        float64
		want     time.Duration
	}{
		{"first failure, least jitter", 1, 0, 15 * time.Second},
		{"first failure, most jitter", 1, 0.999999999, 30 * time.Second},
		{"second doubles", 2, 0, 30 * time.Second},
		{"fifth", 5, 0.5, 6 * time.Minute},
		{"capped at max", 8, 0, 30 * time.Minute},
		{"capped at max, whole", 30, 0.999999999, time.Hour},
		{"huge count does not overflow", 1000, 0.5, 45 * time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Backoff(tc.attempts, base, max, tc.r)
			if got.Round(time.Second) != tc.want {
				t.Fatalf("Backoff(%d, r=%v) = %v, want %v", tc.attempts, tc.r, got, tc.want)
			}
		})
	}
}

func TestFailDecides(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	s := &Sender{MaxAttempts: 3}
	tests := []struct {
		name     string
		attempts int
		err      error
		want     Status
	}{
		{"retryable", 0, errors.New("503"), Pending},
		{"permanent at once", 0, Permanent(errors.New("400")), Dead},
		{"wrapped permanent", 0, errors.Join(errors.New("x"), Permanent(errors.New("410"))), Dead},
		{"last attempt", 2, errors.New("503"), Dead},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &Message{Attempts: tc.attempts}
			s.fail(m, tc.err, now)
			if m.Status != tc.want || m.Attempts != tc.attempts+1 || m.LastError != tc.err.Error() {
				t.Fatalf("got %+v, want status %s", m, tc.want)
			}
			if wait := m.NextAt.Sub(now); tc.want == Pending && (wait < DefaultBaseBackoff/2 || wait > DefaultBaseBackoff) {
				t.Fatalf("next attempt in %v", wait)
			}
		})
	}
	m := &Message{}
	s.fail(m, errors.New(strings.Repeat("错", 2000)), now)
	if len(m.LastError) > maxErrorLen+len("…") || !strings.HasSuffix(m.LastError, "…") || !utf8Valid(m.LastError) {
		t.Fatalf("long error kept as %d bytes", len(m.LastError))
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestWakeNeverBlocks(t *testing.T) {
	var s Sender
	for range 3 {
		s.Wake()
	}
	select {
	case <-s.wakeCh():
	default:
		t.Fatal("no wake-up pending")
	}
	select {
	case <-s.wakeCh():
		t.Fatal("wake-ups did not fold into one")
	default:
	}
}
