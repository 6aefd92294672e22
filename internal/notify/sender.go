package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
	"unicode/utf8"
)

// Sender delivers the outbox: it claims due messages in batches, sends them through the driver of
// their channel's kind with a pool of workers, and records the outcome, retrying failures with
// exponential back-off and jitter until a message is sent or dead. Several senders (replicas) may
// share one outbox: a claim leases messages to one of them.
//
// Delivery is at least once: a message whose outcome was not recorded (a crash between sending and
// recording) is sent again after its lease, with the same idempotency key, which receivers use to
// drop the repeat. Stopping the sender through its context records everything that finished and
// puts back the rest, so that only the sends in flight at that moment may be repeated.
type Sender struct {
	Store   Store
	Drivers map[Kind]Driver
	Now     func() time.Time
	// MaxAttempts is how many attempts a message gets before it is dead (default 8).
	MaxAttempts int
	// BaseBackoff is the wait after the first failure, doubled after each next one up to MaxBackoff
	// (defaults 30s and 1h); each wait is drawn between its half and its whole.
	BaseBackoff, MaxBackoff time.Duration
	// Lease is how long a claim keeps other senders off a message (default 2m). A send starts only
	// when it can end, SendTimeout later, within the lease, so that a slow batch never overlaps a
	// replica's claim of the same message.
	Lease time.Duration
	// SendTimeout bounds one send (default 30s, at most half the lease).
	SendTimeout time.Duration
	// Batch is the most messages one claim takes (default 200); Workers send them (default 16).
	Batch, Workers int
	// Poll is how often Run looks for due messages when nobody wakes it (default 5s).
	Poll time.Duration
	Log  *slog.Logger

	wakeOnce sync.Once
	wake     chan struct{}
}

// Defaults of the Sender's settings.
const (
	DefaultMaxAttempts = 8
	DefaultBaseBackoff = 30 * time.Second
	DefaultMaxBackoff  = time.Hour
	DefaultLease       = 2 * time.Minute
	DefaultSendTimeout = 30 * time.Second
	DefaultBatch       = 200
	DefaultWorkers     = 16
	DefaultPoll        = 5 * time.Second
)

// maxErrorLen bounds the error text kept with a message.
const maxErrorLen = 1000

// Run delivers the outbox until ctx ends: batch after batch while they come full, otherwise once
// woken by Wake or every Poll. It returns nil when ctx ends; failures are logged, not returned.
func (s *Sender) Run(ctx context.Context) error {
	wake := s.wakeCh()
	poll := or(s.Poll, DefaultPoll)
	timer := time.NewTimer(poll)
	defer timer.Stop()
	for {
		n, _, _, err := s.runOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			s.log().Error("notify: sender", "err", err)
		}
		if err == nil && n >= s.batch() {
			continue // more are probably due
		}
		timer.Reset(poll) // since Go 1.23 no stale tick survives a Reset
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-timer.C:
		}
	}
}

// Wake tells Run there is work. It never blocks, and wake-ups while Run is busy fold into one.
func (s *Sender) Wake() {
	select {
	case s.wakeCh() <- struct{}{}:
	default:
	}
}

func (s *Sender) wakeCh() chan struct{} {
	s.wakeOnce.Do(func() { s.wake = make(chan struct{}, 1) })
	return s.wake
}

// RunOnce claims one batch, delivers it and records the outcome: sent counts the messages
// delivered, failed those that failed (to be retried, or dead). When ctx ends meanwhile, the sends
// under way are abandoned, and the messages not delivered are put back, due at once and without
// counting an attempt.
func (s *Sender) RunOnce(ctx context.Context) (sent, failed int, err error) {
	_, sent, failed, err = s.runOnce(ctx)
	return sent, failed, err
}

func (s *Sender) runOnce(ctx context.Context) (claimed, sent, failed int, err error) {
	now := s.now()
	lease := or(s.Lease, DefaultLease)
	ms, err := s.Store.Claim(ctx, now, lease, s.batch())
	if err != nil || len(ms) == 0 {
		return 0, 0, 0, err
	}
	// The outcome is recorded even when ctx ended: what was sent must not be sent again.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	chans, err := s.channels(ctx)
	if err != nil {
		// Without the channels nothing can be sent; the batch goes back for the next round.
		return len(ms), 0, 0, errors.Join(err, s.record(rctx, outcome{putBack: ms}))
	}
	out := s.deliver(ctx, chans, ms, now.Add(lease))
	return len(ms), len(out.sent), len(out.failed), s.record(rctx, out)
}

// recordTimeout bounds the recording of a batch's outcome after ctx ended.
const recordTimeout = 30 * time.Second

// record stores a batch's outcome: the sent messages in one statement, the failed and put-back
// ones in one transaction, and logs the failures.
func (s *Sender) record(ctx context.Context, out outcome) error {
	var errSent, errFailed error
	if len(out.sent) > 0 {
		if errSent = s.Store.Delivered(ctx, out.sent, s.now()); errSent != nil {
			errSent = fmt.Errorf("notify: record %d messages sent: %w", len(out.sent), errSent)
		}
	}
	now := s.now()
	for _, m := range out.putBack {
		m.NextAt = now
	}
	if len(out.failed)+len(out.putBack) > 0 {
		errFailed = s.Store.InTx(ctx, func(ctx context.Context) error {
			for _, m := range append(out.failed, out.putBack...) {
				if err := s.Store.Failed(ctx, m); err != nil {
					return fmt.Errorf("notify: record message %d: %w", m.ID, err)
				}
			}
			return nil
		})
	}
	for i, m := range out.failed {
		level := slog.LevelWarn
		if m.Status == Dead {
			level = slog.LevelError
		}
		s.log().Log(ctx, level, "notify: delivery failed", "message", m.ID, "key", m.Key, "channel", m.ChannelID,
			"kind", m.Kind, "attempts", m.Attempts, "status", m.Status, "next_at", m.NextAt, "err", out.failures[i])
	}
	return errors.Join(errSent, errFailed)
}

func (s *Sender) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Sender) batch() int { return or(s.Batch, DefaultBatch) }

func (s *Sender) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// or returns v, or def when v is not positive.
func or[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// truncate cuts s to at most n bytes at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// outcome sorts a batch: sent ids, failed messages with their next attempt or death already set,
// and messages put back untouched.
type outcome struct {
	sent     []int64
	failed   []*Message
	putBack  []*Message
	failures []error // parallel to failed, for the log
}
