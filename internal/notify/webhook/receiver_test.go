package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"opsdesk/internal/notify"
)

// testNow is the clock of every test: signatures are checked against it exactly.
var testNow = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

func testDriver() *Driver {
	return &Driver{Timeout: 10 * time.Second, Now: func() time.Time { return testNow }}
}

func testMessage() *notify.Message {
	return &notify.Message{
		Event: notify.TicketAssigned, Ref: "INC-2026-000123", Key: "k-7f3a9c",
		Subject: "[INC-2026-000123] 打印机无法连接",
		Text:    "**优先级** P2\n三楼财务室 <font color=\"warning\">超时</font> & 待处理",
		Link:    "https://desk.example.com/tickets/123",
	}
}

// captured is one request as the receiver saw it.
type captured struct {
	method string
	path   string
	query  url.Values
	raw    string // the raw query, to check how the sign is encoded
	header http.Header
	body   []byte
}

// receiver is a loopback HTTP endpoint standing in for a vendor: it records each request and
// answers with the status and body set for the test.
type receiver struct {
	srv    *httptest.Server
	got    chan captured
	status int
	reply  string
}

func newReceiver(t *testing.T, status int, reply string) *receiver {
	t.Helper()
	r := &receiver{got: make(chan captured, 10), status: status, reply: reply}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.got <- captured{method: req.Method, path: req.URL.Path, query: req.URL.Query(),
			raw: req.URL.RawQuery, header: req.Header.Clone(), body: body}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(r.status)
		_, _ = io.WriteString(w, r.reply)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// one returns the single request the receiver got; Send is synchronous, so it is there already.
func (r *receiver) one(t *testing.T) captured {
	t.Helper()
	select {
	case c := <-r.got:
		select {
		case extra := <-r.got:
			t.Fatalf("a second request: %s %s", extra.method, extra.path)
		default:
		}
		return c
	default:
		t.Fatal("the receiver got no request")
	}
	return captured{}
}

func (r *receiver) none(t *testing.T) {
	t.Helper()
	select {
	case c := <-r.got:
		t.Fatalf("the receiver got a request: %s %s", c.method, c.path)
	default:
	}
}

// strict decodes a body into the shape a vendor documents, refusing any field it does not know.
func strict(t *testing.T, body []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("body does not have the documented shape: %v\n%s", err, body)
	}
}

func send(d *Driver, kind notify.Kind, cfg map[string]string, m *notify.Message) error {
	return d.Send(context.Background(), &notify.Channel{Kind: kind, Config: cfg}, m)
}

func permanent(err error) bool {
	var pe *notify.PermanentError
	return errors.As(err, &pe)
}

// checkErr asserts that err is set and retryable or permanent as wanted.
func checkErr(t *testing.T, err error, wantPermanent bool) {
	t.Helper()
	if err == nil {
		t.Fatal("Send succeeded, want an error")
	}
	if permanent(err) != wantPermanent {
		t.Fatalf("permanent = %v, want %v: %v", permanent(err), wantPermanent, err)
	}
}

// closedURL is a loopback URL nobody listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}
