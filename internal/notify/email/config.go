package email

import (
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"

	"opsdesk/internal/notify"
)

// errConfig marks a channel configuration that cannot work; retrying cannot mend it.
var errConfig = errors.New("email: bad channel configuration")

// settings is Channel.Config parsed and checked.
type settings struct {
	host     string
	port     int
	mode     string
	username string
	password string
	from     mail.Address
	insecure bool // skip certificate verification (a lab server with a self-signed certificate)
}

// parseSettings reads the e-mail channel configuration. An empty tls defaults to starttls, the
// safe choice; an empty port defaults to the mode's well-known port.
func parseSettings(cfg map[string]string) (*settings, error) {
	s := &settings{
		host:     strings.TrimSpace(cfg["host"]),
		mode:     strings.ToLower(strings.TrimSpace(cfg["tls"])),
		username: cfg["username"],
		password: cfg["password"],
		insecure: cfg["insecure_skip_verify"] == "true",
	}
	if s.host == "" {
		return nil, fmt.Errorf("%w: host is empty", errConfig)
	}
	switch s.mode {
	case "":
		s.mode = notify.TLSStart
	case notify.TLSImplicit, notify.TLSStart, notify.TLSNone:
	default:
		return nil, fmt.Errorf("%w: tls %q is not tls, starttls or none", errConfig, s.mode)
	}
	s.port = map[string]int{notify.TLSImplicit: 465, notify.TLSStart: 587, notify.TLSNone: 25}[s.mode]
	if p := strings.TrimSpace(cfg["port"]); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("%w: port %q is not a number from 1 to 65535", errConfig, p)
		}
		s.port = n
	}
	from, err := mail.ParseAddress(strings.TrimSpace(cfg["from"]))
	if err != nil {
		return nil, fmt.Errorf("%w: from %q: %v", errConfig, cfg["from"], err)
	}
	s.from = mail.Address{Name: strings.TrimSpace(cfg["from_name"]), Address: from.Address}
	if s.from.Name == "" {
		s.from.Name = from.Name
	}
	if rt := strings.TrimSpace(cfg["reply_to"]); rt != "" {
		if _, err := mail.ParseAddress(rt); err != nil {
			return nil, fmt.Errorf("%w: reply_to %q: %v", errConfig, rt, err)
		}
	}
	return s, nil
}
