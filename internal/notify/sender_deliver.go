package notify

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// deliver sends ms with the worker pool. A message starts only while its send can end before
// leaseEnd and ctx is live; the others are put back.
func (s *Sender) deliver(ctx context.Context, chans map[int64]*Channel, ms []*Message, leaseEnd time.Time) outcome {
	results := make([]error, len(ms))
	started := make([]bool, len(ms))
	cut := make([]bool, len(ms)) // the send failed because ctx ended under it
	timeout := min(or(s.SendTimeout, DefaultSendTimeout), or(s.Lease, DefaultLease)/2)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(or(s.Workers, DefaultWorkers), len(ms)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if ctx.Err() != nil || s.now().Add(timeout).After(leaseEnd) {
					continue
				}
				started[i] = true
				results[i] = s.send(ctx, chans, ms[i], timeout)
				cut[i] = results[i] != nil && ctx.Err() != nil
			}
		}()
	}
	for i := range ms {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	var out outcome
	now := s.now()
	for i, m := range ms {
		switch err := results[i]; {
		case !started[i]:
			out.putBack = append(out.putBack, m)
		case err == nil:
			out.sent = append(out.sent, m.ID)
		case cut[i]:
			// Our own shutdown cut the send short: not the receiver's failure. The receiver may
			// have it already; the repeat carries the same key.
			out.putBack = append(out.putBack, m)
		default:
			s.fail(m, err, now)
			out.failed = append(out.failed, m)
			out.failures = append(out.failures, err)
		}
	}
	return out
}

// channels loads every channel by id.
func (s *Sender) channels(ctx context.Context) (map[int64]*Channel, error) {
	cs, err := s.Store.Channels(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]*Channel, len(cs))
	for _, c := range cs {
		m[c.ID] = c
	}
	return m, nil
}

// send delivers one message through its channel's driver. A channel deleted, disabled or of a
// kind without a driver is a permanent failure: waiting does not mend it, and an administrator
// retries the dead message once the channel is fixed.
func (s *Sender) send(ctx context.Context, chans map[int64]*Channel, m *Message, timeout time.Duration) error {
	ch := chans[m.ChannelID]
	switch {
	case ch == nil:
		return Permanent(fmt.Errorf("notify: channel %d no longer exists", m.ChannelID))
	case !ch.Enabled:
		return Permanent(fmt.Errorf("notify: channel %q (%d) is disabled", ch.Name, ch.ID))
	case ch.Kind != m.Kind:
		return Permanent(fmt.Errorf("notify: channel %q (%d) is of kind %s, the message of kind %s", ch.Name, ch.ID, ch.Kind, m.Kind))
	}
	d := s.Drivers[m.Kind]
	if d == nil {
		return Permanent(fmt.Errorf("notify: no driver for channel kind %s", m.Kind))
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return sendSafely(ctx, d, ch, m)
}

// sendSafely turns a driver's panic into a failure of its message, so that one bad message cannot
// take down the sender and, with it, every replica that claims it next.
func sendSafely(ctx context.Context, d Driver, ch *Channel, m *Message) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = Permanent(fmt.Errorf("notify: driver panicked: %v", p))
		}
	}()
	return d.Send(ctx, ch, m)
}

// fail records err as m's attempt at now: dead when permanent or out of attempts, else pending
// again after the back-off.
func (s *Sender) fail(m *Message, err error, now time.Time) {
	m.Attempts++
	m.LastError = truncate(err.Error(), maxErrorLen)
	var perm *PermanentError
	if errors.As(err, &perm) || m.Attempts >= or(s.MaxAttempts, DefaultMaxAttempts) {
		m.Status, m.NextAt = Dead, now
		return
	}
	m.Status = Pending
	m.NextAt = now.Add(Backoff(m.Attempts, or(s.BaseBackoff, DefaultBaseBackoff), or(s.MaxBackoff, DefaultMaxBackoff), rand.Float64()))
}

// Backoff is the wait after a message's attempts-th failure: base doubled for each failure before
// it, at most max, then scaled into [half, whole] by r in [0, 1), so that messages that failed
// together (a receiver down) do not come back all at once.
func Backoff(attempts int, base, max time.Duration, r float64) time.Duration {
	d := base
	for i := 1; i < attempts && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	return d/2 + time.Duration(r*float64(d/2))
}
