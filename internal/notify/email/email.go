// Package email delivers outbox messages by SMTP (邮件通知): a multipart/alternative mail whose
// Message-ID carries the message's idempotency key and whose Reply-To can carry the ticket
// number, so that replies find their way back to the ticket.
package email

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"opsdesk/internal/notify"
)

// DefaultTimeout bounds one delivery (connect, TLS, AUTH, MAIL…DATA) when Driver.Timeout is 0.
const DefaultTimeout = 30 * time.Second

// Driver sends notify.Email messages through the SMTP server of the channel configuration.
// The zero value works; a Driver is safe for concurrent use (each Send opens its own connection).
type Driver struct {
	// Timeout bounds each SMTP conversation; 0 means DefaultTimeout. go-mail heeds the context of
	// Send only while connecting, so this is what stops a server that stalls later.
	Timeout time.Duration
	// Now stamps the Date header; nil means the current time.
	Now func() time.Time
	// RootCAs verifies the server certificate; nil means the system pool. Tests and intranets
	// with a private CA set it; Config["insecure_skip_verify"] is the blunt alternative.
	RootCAs *x509.CertPool
	// HELO is the name given in EHLO; empty means the host name of this machine.
	HELO string
}

var _ notify.Driver = (*Driver)(nil)

// Send delivers m to m.To. Errors wrapped by notify.Permanent mean retrying cannot help: a bad
// configuration, an address that does not parse, or a 5xx reply of the server.
func (d *Driver) Send(ctx context.Context, ch *notify.Channel, m *notify.Message) error {
	s, err := parseSettings(ch.Config)
	if err != nil {
		return notify.Permanent(err)
	}
	msg, err := d.compose(s, ch.Config, m)
	if err != nil {
		return notify.Permanent(err)
	}
	c, err := d.client(s)
	if err != nil {
		return notify.Permanent(fmt.Errorf("%w: %v", errConfig, err))
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		if msg.IsDelivered() {
			// The server accepted DATA; a failing QUIT afterwards must not cause a second copy.
			return nil
		}
		return classify(fmt.Errorf("email: smtp %s:%d: %w", s.host, s.port, err))
	}
	return nil
}

// compose builds the mail: text and HTML as alternatives, the headers that let replies and
// auto-responders behave, and the idempotency key as Message-ID.
func (d *Driver) compose(s *settings, cfg map[string]string, m *notify.Message) (*mail.Msg, error) {
	if !isKey(m.Key) {
		return nil, fmt.Errorf("email: message key %q cannot form a Message-ID", m.Key)
	}
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	msg.FromMailAddress(&s.from)
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("email: recipient %q: %w", m.To, err)
	}
	if rt := ReplyTo(cfg, m.Ref); rt != "" {
		// The display name names the ticket too, so that the number travels with a reply even where
		// the mail server cannot take plus addresses (servicedesk+INC-…@).
		name := strings.TrimSpace(strings.TrimSpace(cfg["from_name"]) + " " + m.Ref)
		if err := msg.ReplyToFormat(name, rt); err != nil {
			return nil, fmt.Errorf("email: reply-to %q: %w", rt, err)
		}
	}
	msg.Subject(m.Subject)
	// go-mail adds the angle brackets (and would generate a random id if none were set).
	msg.SetMessageIDWithValue(strings.Trim(MessageID(m.Key, s.from.Address), "<>"))
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(mail.HeaderXAutoResponseSuppress, "All")
	msg.SetGenHeader("X-Opsdesk-Key", m.Key)
	if m.Ref != "" {
		msg.SetGenHeader("X-Opsdesk-Ticket", m.Ref)
	}
	msg.SetGenHeader(mail.HeaderXMailer, "opsdesk")
	if d.Now != nil {
		msg.SetDateWithValue(d.Now())
	} else {
		msg.SetDate()
	}
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// client configures go-mail for one conversation. There is never a fallback to a weaker mode or
// another port: the administrator's choice of TLS is a security decision.
func (d *Driver) client(s *settings) (*mail.Client, error) {
	timeout := d.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	opts := []mail.Option{
		mail.WithPort(s.port),
		mail.WithTimeout(timeout),
		mail.WithoutRset(), // one message per connection: RSET after DATA only risks a false failure
		mail.WithTLSConfig(&tls.Config{
			ServerName:         s.host,
			MinVersion:         tls.VersionTLS12,
			RootCAs:            d.RootCAs,
			InsecureSkipVerify: s.insecure, //nolint:gosec // explicit per-channel lab setting
		}),
	}
	switch s.mode {
	case notify.TLSImplicit:
		opts = append(opts, mail.WithSSL())
	case notify.TLSStart:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case notify.TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	}
	if d.HELO != "" {
		opts = append(opts, mail.WithHELO(d.HELO))
	}
	if s.username != "" {
		opts = append(opts, mail.WithSMTPAuthCustom(newAuth(s)))
	}
	return mail.NewClient(s.host, opts...)
}
