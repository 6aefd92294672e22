package mailin

import (
	"bytes"
	"context"
	"errors"
	"io"
	"time"

	"github.com/emersion/go-smtp"
)

// NewSMTPServer returns an inbound SMTP listener on addr that takes every message in for mailboxID
// (whose Address is the desk's own, for loop detection), for sites whose mail server forwards to
// opsdesk instead of opsdesk reading a mailbox. It has no authentication: listen on loopback or
// an internal address only. A message over maxBytes (the service's MaxBytes when 0) is answered
// 552 and recorded as rejected with its header. The caller starts it with ListenAndServe (or Serve)
// and stops it with Close.
func NewSMTPServer(s *Service, addr string, mailboxID int64, maxBytes int64) *smtp.Server {
	if maxBytes <= 0 {
		maxBytes = s.maxBytes()
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &smtpSession{s: s, mailboxID: mailboxID, maxBytes: maxBytes}, nil
	}))
	srv.Addr = addr
	srv.Domain = "opsdesk"
	srv.MaxMessageBytes = maxBytes
	srv.MaxRecipients = 100
	srv.ReadTimeout, srv.WriteTimeout = 5*time.Minute, time.Minute
	return srv
}

// smtpSession takes in the messages of one SMTP connection.
type smtpSession struct {
	s         *Service
	mailboxID int64
	maxBytes  int64
	from      string
}

func (ss *smtpSession) Reset()        { ss.from = "" }
func (ss *smtpSession) Logout() error { return nil }

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}

func (ss *smtpSession) Rcpt(string, *smtp.RcptOptions) error { return nil }

// Data records the message with the envelope sender as Return-Path, as a delivery agent does: an
// empty one ("<>") marks a bounce.
func (ss *smtpSession) Data(r io.Reader) error {
	var buf bytes.Buffer
	buf.WriteString("Return-Path: <" + ss.from + ">\r\n")
	limit := ss.maxBytes + int64(buf.Len())
	_, err := io.Copy(&buf, r)
	ctx := context.Background()
	switch {
	case errors.Is(err, smtp.ErrDataTooLarge):
		// Record what was read (its header is kept) as larger than the limit.
		if _, _, derr := ss.s.deliver(ctx, ss.mailboxID, buf.Bytes(), int(limit)+1, limit); derr != nil {
			return tempFail()
		}
		return smtp.ErrDataTooLarge
	case err != nil:
		return err
	}
	if _, _, err := ss.s.deliver(ctx, ss.mailboxID, buf.Bytes(), buf.Len(), limit); err != nil {
		return tempFail() // nothing recorded: the sending server tries again later
	}
	return nil
}

func tempFail() error {
	return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Cannot take the message in now, try again later"}
}
