package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"opsdesk/internal/notify"
)

// sendGeneric posts m.Payload, the JSON the notifier rendered, to any HTTP endpoint, signed with
// the channel secret (see Sign). Any 2xx is success; a receiver that has already seen the
// Idempotency-Key should answer 2xx too, so that a repeat is not retried for ever.
func (d *Driver) sendGeneric(ctx context.Context, cfg map[string]string, m *notify.Message) error {
	u, err := targetURL(notify.Webhook, cfg)
	if err != nil {
		return err
	}
	body := []byte(m.Payload)
	if !json.Valid(body) {
		return notify.Permanent(errors.New("webhook: generic: the message payload is not valid JSON"))
	}
	h := keyHeader(m)
	h.Set(HeaderEvent, string(m.Event))
	ts := d.now().Unix()
	h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	// Without a secret the request goes unsigned: the receiver then has only the URL's secrecy.
	if secret := cfg["secret"]; secret != "" {
		h.Set(HeaderSignature, Sign(secret, ts, body))
	}
	_, err = d.post(ctx, notify.Webhook, u, body, h)
	return err
}
