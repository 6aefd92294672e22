package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// Headers of a generic webhook request.
const (
	HeaderEvent          = "X-Opsdesk-Event"     // the notify.Event, e.g. ticket.assigned
	HeaderTimestamp      = "X-Opsdesk-Timestamp" // unix seconds when the request was signed
	HeaderSignature      = "X-Opsdesk-Signature" // "sha256=" + hex HMAC, see Sign
	HeaderIdempotencyKey = "Idempotency-Key"     // the same for every attempt at one message
)

// DefaultMaxSkew is how far a receiver should let the timestamp be from its clock: enough for
// clock drift and a slow proxy, short enough that a captured request cannot be replayed later.
const DefaultMaxSkew = 5 * time.Minute

// Errors of VerifyRequest.
var (
	ErrNoSignature  = errors.New("webhook: request is not signed")
	ErrBadSignature = errors.New("webhook: signature does not match")
	ErrStale        = errors.New("webhook: timestamp too far from now")
)

// Sign is the X-Opsdesk-Signature value of a generic webhook request: "sha256=" followed by the
// lower-case hex HMAC-SHA256, keyed with the channel secret, of the decimal timestamp, a ".", and
// the exact body bytes. Binding the timestamp stops a captured body from being replayed later
// under a fresh timestamp.
func Sign(secret string, ts int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(ts, 10)))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify reports whether signature is Sign(secret, ts, body), comparing in constant time.
func Verify(secret string, ts int64, body []byte, signature string) bool {
	return hmac.Equal([]byte(Sign(secret, ts, body)), []byte(signature))
}

// VerifyRequest checks the headers of a received generic webhook against its body: the signature
// must match and the timestamp be within maxSkew of now (DefaultMaxSkew when 0). A receiver
// should also drop a repeated Idempotency-Key, which is how it sees the retries of one message.
func VerifyRequest(secret string, h http.Header, body []byte, now time.Time, maxSkew time.Duration) error {
	sig, raw := h.Get(HeaderSignature), h.Get(HeaderTimestamp)
	if sig == "" || raw == "" {
		return ErrNoSignature
	}
	ts, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return ErrBadSignature
	}
	if !Verify(secret, ts, body, sig) {
		return ErrBadSignature
	}
	if maxSkew <= 0 {
		maxSkew = DefaultMaxSkew
	}
	if d := now.Sub(time.Unix(ts, 0)); d > maxSkew || d < -maxSkew {
		return ErrStale
	}
	return nil
}
