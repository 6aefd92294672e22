package email

import (
	"errors"
	"net/textproto"

	"github.com/wneessen/go-mail"

	"opsdesk/internal/notify"
)

// classify decides whether a failed conversation is worth retrying. The rule is the SMTP one:
// a 5xx reply (unknown mailbox 550, bad credentials 535, message refused 554…) is permanent, and
// so is a configuration the server cannot work with; a 4xx reply (greylisting 451, mailbox busy
// 450, temporary auth failure 454) and every network or TLS fault (refused, timed out, reset,
// certificate not yet renewed) are retried with back-off.
func classify(err error) error {
	if err == nil {
		return nil
	}
	if isPermanent(err) {
		return notify.Permanent(err)
	}
	return err
}

func isPermanent(err error) bool {
	if errors.Is(err, errNoMechanism) || errors.Is(err, errConfig) {
		return true
	}
	// A reply to MAIL, RCPT or DATA arrives as a go-mail SendError carrying the reply code.
	var se *mail.SendError
	if errors.As(err, &se) && se.ErrorCode() >= 500 {
		return true
	}
	// A reply during the handshake (EHLO, STARTTLS, AUTH) arrives as the bare protocol error.
	var pe *textproto.Error
	return errors.As(err, &pe) && pe.Code >= 500 && pe.Code < 600
}
