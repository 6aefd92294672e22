package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"opsdesk/internal/notify"
)

const genericSecret = "whsec-5d1f0c"

const genericPayload = `{"event":"ticket.assigned","ticket":{"id":123,"number":"INC-2026-000123","title":"打印机无法连接"}}`

func TestGeneric_PostsSignedPayload(t *testing.T) {
	r := newReceiver(t, http.StatusNoContent, "")
	m := testMessage()
	m.Payload = genericPayload
	if err := send(testDriver(), notify.Webhook, map[string]string{"url": r.srv.URL + "/hooks/opsdesk", "secret": genericSecret}, m); err != nil {
		t.Fatal(err)
	}
	c := r.one(t)
	if string(c.body) != genericPayload {
		t.Errorf("body = %s, want the payload byte for byte", c.body)
	}
	ts := strconv.FormatInt(testNow.Unix(), 10)
	for h, want := range map[string]string{
		"Content-Type": "application/json", "X-Opsdesk-Event": "ticket.assigned",
		"Idempotency-Key": m.Key, "X-Opsdesk-Timestamp": ts,
	} {
		if got := c.header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	// Recomputed here as docs/NOTIFY_CHANNELS.md tells a receiver to.
	mac := hmac.New(sha256.New, []byte(genericSecret))
	mac.Write([]byte(ts + "." + string(c.body)))
	if got, want := c.header.Get("X-Opsdesk-Signature"), "sha256="+hex.EncodeToString(mac.Sum(nil)); got != want {
		t.Errorf("signature = %q, want %q", got, want)
	}
	if err := VerifyRequest(genericSecret, c.header, c.body, testNow, 0); err != nil {
		t.Errorf("VerifyRequest: %v", err)
	}
}

func TestGeneric_WithoutSecretIsUnsigned(t *testing.T) {
	r := newReceiver(t, http.StatusOK, "ok")
	m := testMessage()
	m.Payload = genericPayload
	if err := send(testDriver(), notify.Webhook, map[string]string{"url": r.srv.URL}, m); err != nil {
		t.Fatal(err)
	}
	if sig := r.one(t).header.Get("X-Opsdesk-Signature"); sig != "" {
		t.Errorf("signature %q without a secret", sig)
	}
}

func TestGeneric_Statuses(t *testing.T) {
	tests := []struct {
		status    int
		permanent bool
	}{
		{400, true}, {401, true}, {403, true}, {404, true}, {410, true}, {422, true},
		{408, false}, {429, false}, {500, false}, {502, false}, {503, false},
	}
	for _, tc := range tests {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			r := newReceiver(t, tc.status, `{"error":"x"}`)
			m := testMessage()
			m.Payload = genericPayload
			err := send(testDriver(), notify.Webhook, map[string]string{"url": r.srv.URL, "secret": genericSecret}, m)
			checkErr(t, err, tc.permanent)
			r.one(t)
		})
	}
}

// A redirect is not followed: re-posting a signed message to wherever a 302 points is not what
// the administrator configured.
func TestGeneric_RedirectIsNotFollowed(t *testing.T) {
	target := newReceiver(t, http.StatusOK, "")
	srv := httptest.NewServer(http.RedirectHandler(target.srv.URL, http.StatusTemporaryRedirect))
	t.Cleanup(srv.Close)
	m := testMessage()
	m.Payload = genericPayload
	checkErr(t, send(testDriver(), notify.Webhook, map[string]string{"url": srv.URL}, m), true)
	target.none(t)
}

func TestGeneric_InvalidPayloadIsNotSent(t *testing.T) {
	r := newReceiver(t, http.StatusOK, "")
	for _, p := range []string{"", "{", "ticket assigned"} {
		m := testMessage()
		m.Payload = p
		checkErr(t, send(testDriver(), notify.Webhook, map[string]string{"url": r.srv.URL}, m), true)
	}
	r.none(t)
}

func TestSignAndVerify(t *testing.T) {
	body := []byte(genericPayload)
	ts := testNow.Unix()
	sig := Sign(genericSecret, ts, body)
	if !Verify(genericSecret, ts, body, sig) {
		t.Fatal("Verify refuses Sign's own signature")
	}
	header := func(ts int64, sig string) http.Header {
		h := http.Header{}
		h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
		h.Set(HeaderSignature, sig)
		return h
	}
	tests := []struct {
		name   string
		secret string
		h      http.Header
		body   string
		want   error
	}{
		{"valid", genericSecret, header(ts, sig), genericPayload, nil},
		{"valid at the edge of the skew", genericSecret, header(ts-300, Sign(genericSecret, ts-300, body)), genericPayload, nil},
		{"tampered body", genericSecret, header(ts, sig), genericPayload + " ", ErrBadSignature},
		{"wrong secret", "other", header(ts, sig), genericPayload, ErrBadSignature},
		{"timestamp swapped", genericSecret, header(ts+1, sig), genericPayload, ErrBadSignature},
		{"upper-case hex", genericSecret, header(ts, "SHA256="+sig[7:]), genericPayload, ErrBadSignature},
		{"stale", genericSecret, header(ts-301, Sign(genericSecret, ts-301, body)), genericPayload, ErrStale},
		{"from the future", genericSecret, header(ts+301, Sign(genericSecret, ts+301, body)), genericPayload, ErrStale},
		{"unsigned", genericSecret, http.Header{}, genericPayload, ErrNoSignature},
		{"bad timestamp", genericSecret, http.Header{HeaderTimestamp: {"x"}, HeaderSignature: {sig}}, genericPayload, ErrBadSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := VerifyRequest(tc.secret, tc.h, []byte(tc.body), testNow, 0); got != tc.want {
				t.Errorf("VerifyRequest = %v, want %v", got, tc.want)
			}
		})
	}
	// A fixed vector, so that the docs' shell example can be checked against it.
	if got := Sign("secret", 1700000000, []byte(`{"a":1}`)); got != fmt.Sprintf("sha256=%s", fixedVector) {
		t.Errorf("Sign fixed vector = %s", got)
	}
}

// fixedVector is HMAC-SHA256("secret", `1700000000.{"a":1}`) as computed by Python's hmac module
// and by `printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret`.
const fixedVector = "49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686"
