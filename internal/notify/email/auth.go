package email

import (
	"errors"
	"slices"

	"github.com/wneessen/go-mail/smtp"

	"opsdesk/internal/notify"
)

// errNoMechanism means the server offers neither PLAIN nor LOGIN, the two mechanisms a password
// can use; that is a configuration mismatch, not a passing fault.
var errNoMechanism = errors.New("email: the server offers neither AUTH PLAIN nor AUTH LOGIN")

// plainOrLogin is an smtp.Auth that takes PLAIN when the server offers it and LOGIN otherwise
// (older Exchange and some domestic mail systems offer only LOGIN). The choice needs the EHLO
// reply, which go-mail only hands to Start, hence this small wrapper.
type plainOrLogin struct {
	plain, login smtp.Auth
	chosen       smtp.Auth
}

// newAuth sends the password in the clear only when the administrator chose tls "none"; with TLS
// go-mail's mechanisms refuse an unencrypted connection, which guards against a downgrade.
func newAuth(s *settings) smtp.Auth {
	inClear := s.mode == notify.TLSNone
	return &plainOrLogin{
		plain: smtp.PlainAuth("", s.username, s.password, s.host, inClear),
		login: smtp.LoginAuth(s.username, s.password, s.host, inClear),
	}
}

func (a *plainOrLogin) Start(server *smtp.ServerInfo) (string, []byte, error) {
	switch {
	case slices.Contains(server.Auth, "PLAIN"):
		a.chosen = a.plain
	case slices.Contains(server.Auth, "LOGIN"):
		a.chosen = a.login
	default:
		return "", nil, errNoMechanism
	}
	return a.chosen.Start(server)
}

func (a *plainOrLogin) Next(fromServer []byte, more bool) ([]byte, error) {
	return a.chosen.Next(fromServer, more)
}
