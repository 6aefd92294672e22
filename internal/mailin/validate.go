package mailin

import (
	"net"
	"net/mail"
	"regexp"
	"strings"

	"opsdesk/internal/errs"
	"opsdesk/internal/notify"
)

// TLS modes of a mailbox connection: the words of the e-mail channel's setting, so that both forms
// and the API take the same values.
const (
	TLSImplicit = notify.TLSImplicit // TLS from the first byte (IMAPS, port 993)
	TLSStart    = notify.TLSStart    // plain connection upgraded by STARTTLS before login
	TLSNone     = notify.TLSNone     // no encryption: only for a server on the same host or a trusted link
)

// hostRE is a DNS name: labels of letters, digits and hyphens.
var hostRE = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$`)

// check normalises a mailbox (defaults, spaces) and checks every field; needPassword is set for a
// new mailbox saved without one. Nothing is saved when it fails.
func (m *Mailbox) check(needPassword bool) error {
	m.Name, m.Host, m.Username = strings.TrimSpace(m.Name), strings.TrimSpace(m.Host), strings.TrimSpace(m.Username)
	m.TLS, m.Folder = strings.ToLower(strings.TrimSpace(m.TLS)), strings.TrimSpace(m.Folder)
	m.Address = strings.ToLower(strings.TrimSpace(m.Address))
	if m.Folder == "" {
		m.Folder = "INBOX"
	}
	if m.PollSeconds == 0 {
		m.PollSeconds = 60
	}
	var f errs.Fields
	f.Line("name", m.Name, 1, 64)
	if len(m.Host) > 253 || !hostRE.MatchString(m.Host) && net.ParseIP(strings.Trim(m.Host, "[]")) == nil {
		f.Add("host", "err.mailin.host")
	}
	if m.Port < 1 || m.Port > 65535 {
		f.Add("port", "err.mailin.port")
	}
	if m.TLS != TLSImplicit && m.TLS != TLSStart && m.TLS != TLSNone {
		f.Add("tls", "err.mailin.tls")
	}
	f.Line("username", m.Username, 1, 254)
	if needPassword {
		f.Add("password", "err.mailin.password")
	} else if m.Password != Mask {
		f.Line("password", m.Password, 0, 256)
	}
	// IMAP names folders with any character but controls; "*" and "%" are LIST wildcards.
	if len([]rune(m.Folder)) > 200 || strings.ContainsAny(m.Folder, "*%\"\\") || strings.IndexFunc(m.Folder, isControl) >= 0 {
		f.Add("folder", "err.mailin.folder")
	}
	if a, err := mail.ParseAddress(m.Address); err != nil || a.Address != m.Address || len(m.Address) > 254 {
		f.Add("address", "err.mailin.address")
	}
	if m.PollSeconds < 10 || m.PollSeconds > 86400 {
		f.Add("poll_seconds", "err.mailin.poll")
	}
	return f.Err()
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 }
