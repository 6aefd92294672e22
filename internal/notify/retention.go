package notify

import (
	"context"
	"time"
)

// SentRetention is how long a sent message stays in the outbox: long enough for administrators to
// answer "was I told?" and for an e-mail reply's In-Reply-To to find its ticket (the mail intake
// looks the key up here; after this, the ticket number in the subject still does), short enough
// that the outbox does not grow without end.
const SentRetention = 180 * 24 * time.Hour

// purgeBatch bounds one purge statement, so that the writer is not held for long.
const purgeBatch = 5000

// Purge deletes the messages sent more than SentRetention before now, in batches; dead and pending
// messages are never purged. It returns how many went.
func (s *Sender) Purge(ctx context.Context) (int, error) {
	before := s.now().Add(-SentRetention)
	total := 0
	for {
		n, err := s.Store.PurgeSent(ctx, before, purgeBatch)
		total += n
		if err != nil || n < purgeBatch {
			return total, err
		}
	}
}
