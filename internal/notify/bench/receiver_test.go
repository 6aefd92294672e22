package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"opsdesk/internal/notify"
	"opsdesk/internal/notify/webhook"
	"opsdesk/internal/store"
)

const secret = "s3cret"

// receiver is a generic-webhook endpoint on 127.0.0.1 that checks each request's signature and
// records what arrived under which idempotency key. A request counts as received on arrival, even
// if the sender gives up on it afterwards: the receiver may have acted on it, which is the worst
// case for repeats.
type receiver struct {
	srv *httptest.Server

	mu       sync.Mutex
	got      map[string]int    // idempotency key → requests received
	bodies   map[string]string // idempotency key → the first body received
	total    int
	badSig   int
	mismatch int                         // a repeat whose body differs from the first
	status   func(key string, n int) int // answer to the n-th request of key; nil: 200
	blockAt  int                         // when > 0, the blockAt-th request and all later ones hang
	blocked  map[string]bool             // keys of hanging requests
	hung     chan string                 // each hanging request's key
	release  chan struct{}               // closed at the end: hanging requests return 503
	done     chan struct{}               // closed when want requests have arrived
	want     int
}

func newReceiver(t testing.TB) *receiver {
	r := &receiver{got: map[string]int{}, bodies: map[string]string{}, blocked: map[string]bool{},
		hung: make(chan string, 1024), release: make(chan struct{}), done: make(chan struct{})}
	r.srv = httptest.NewServer(r) // listens on 127.0.0.1
	t.Cleanup(r.srv.Close)
	t.Cleanup(func() { close(r.release) }) // runs first: lets hanging handlers end before Close waits
	return r
}

// expect arms done to close once n requests have arrived in all.
func (r *receiver) expect(n int) <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.want, r.done = n, make(chan struct{})
	if r.total >= n {
		close(r.done)
	}
	return r.done
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return
	}
	key := req.Header.Get(webhook.HeaderIdempotencyKey)
	if webhook.VerifyRequest(secret, req.Header, body, time.Now(), 0) != nil || key == "" {
		r.mu.Lock()
		r.badSig++
		r.mu.Unlock()
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	r.mu.Lock()
	r.got[key]++
	n := r.got[key]
	if first, ok := r.bodies[key]; !ok {
		r.bodies[key] = string(body)
	} else if first != string(body) {
		r.mismatch++
	}
	r.total++
	if r.total == r.want {
		close(r.done)
	}
	hang := r.blockAt > 0 && r.total >= r.blockAt
	if hang {
		r.blocked[key] = true
	}
	status := http.StatusOK
	if r.status != nil {
		status = r.status(key, n)
	}
	r.mu.Unlock()
	if hang {
		r.hung <- key
		select {
		case <-req.Context().Done(): // the sender gave up on it
		case <-r.release:
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(status)
}

// counts returns a copy of the requests received per key.
func (r *receiver) counts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.got))
	for k, v := range r.got {
		out[k] = v
	}
	return out
}

// clock is a settable time for the sender and the store.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fixture is a store with a webhook channel pointing at a receiver.
type fixture struct {
	db  *store.DB
	st  store.Notify
	rcv *receiver
	clk *clock
	ch  *notify.Channel
	drv *webhook.Driver
}

func newFixture(t testing.TB, db *store.DB) *fixture {
	t.Helper()
	clk := &clock{now: t0}
	db.Now = clk.Now
	f := &fixture{db: db, st: store.Notify{DB: db}, rcv: newReceiver(t), clk: clk}
	f.ch = &notify.Channel{Kind: notify.Webhook, Name: "CMDB", Enabled: true,
		Config: map[string]string{"url": f.rcv.srv.URL + "/hook", "secret": secret}}
	if err := f.st.SaveChannel(context.Background(), f.ch); err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{MaxIdleConnsPerHost: 64, MaxIdleConns: 64}
	t.Cleanup(tr.CloseIdleConnections)
	f.drv = &webhook.Driver{Client: &http.Client{Transport: tr, Timeout: 10 * time.Second}}
	return f
}

// sender returns a sender of the fixture's drivers and clock.
func (f *fixture) sender() *notify.Sender {
	return &notify.Sender{Store: f.st, Drivers: map[notify.Kind]notify.Driver{notify.Webhook: f.drv}, Now: f.clk.Now,
		Log: discard}
}

// enqueue queues n generic webhook messages for channel ch and returns their keys in order.
func (f *fixture) enqueue(t testing.TB, ch *notify.Channel, n int) []string {
	t.Helper()
	ms := make([]*notify.Message, n)
	keys := make([]string, n)
	for i := range ms {
		ms[i] = &notify.Message{ChannelID: ch.ID, Kind: ch.Kind, Event: notify.TicketCreated, TicketID: int64(i + 1),
			Ref: fmt.Sprintf("INC-2026-%06d", i+1), Subject: "新工单",
			Payload: fmt.Sprintf(`{"event":"ticket.created","ticket":{"number":"INC-2026-%06d"}}`, i+1)}
	}
	err := f.st.InTx(context.Background(), func(ctx context.Context) error { return f.st.Enqueue(ctx, ms) })
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range ms {
		keys[i] = m.Key
	}
	return keys
}

// message returns the stored message of key.
func (f *fixture) message(t testing.TB, key string) *notify.Message {
	t.Helper()
	m, err := f.st.ByKey(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// drain runs s until a round claims nothing, and returns the totals.
func drain(t testing.TB, s *notify.Sender) (sent, failed int) {
	t.Helper()
	for {
		n, k, err := s.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n+k == 0 {
			return sent, failed
		}
		sent, failed = sent+n, failed+k
	}
}

// within waits for ch, failing the test after a generous bound rather than hanging.
func within(t testing.TB, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(30 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}
