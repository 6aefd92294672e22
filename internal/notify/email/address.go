package email

import (
	"net/mail"
	"strings"
)

// fallbackDomain names the Message-ID domain when the sender address has none, so that the id
// stays well-formed; ".invalid" is reserved (RFC 2606) and can never collide with a real host.
const fallbackDomain = "opsdesk.invalid"

// MessageID is the Message-ID header value of the outbox message with the given idempotency key,
// sent from the address from: "<key@domain-of-from>". A reply names it in In-Reply-To/References,
// which is how mail-in finds the message (and so the ticket) a reply answers.
func MessageID(key, from string) string {
	return "<" + key + "@" + domainOf(from) + ">"
}

// KeyFromMessageID is the inverse of MessageID: the key of "<key@domain>" (angle brackets and
// surrounding space optional), or "" when id does not have that shape. The domain is not checked,
// so replies to mail sent before the sender address changed still resolve.
func KeyFromMessageID(id string) string {
	id = strings.TrimSpace(id)
	id = strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
	at := strings.LastIndexByte(id, '@')
	if at <= 0 || at == len(id)-1 {
		return ""
	}
	return id[:at]
}

// ReplyTo is the Reply-To address for a message about the ticket numbered ref under the channel
// configuration cfg: cfg["reply_to"] as configured, or — with plus_addressing "true" and a ref —
// "local+ref@domain" built from reply_to (or from, when reply_to is empty), so that mail-in can
// tell the ticket from the address alone even when a client drops In-Reply-To. "" means no
// Reply-To header: replies go to From.
func ReplyTo(cfg map[string]string, ref string) string {
	base := strings.TrimSpace(cfg["reply_to"])
	if cfg["plus_addressing"] != "true" || ref == "" || !isTag(ref) {
		return base
	}
	if base == "" {
		base = strings.TrimSpace(cfg["from"])
	}
	at := strings.LastIndexByte(base, '@')
	if at <= 0 {
		return strings.TrimSpace(cfg["reply_to"])
	}
	return base[:at] + "+" + ref + base[at:]
}

// domainOf is the lower-cased domain of an address ("Name <a@b>" or "a@b").
func domainOf(addr string) string {
	if a, err := mail.ParseAddress(addr); err == nil {
		addr = a.Address
	}
	at := strings.LastIndexByte(addr, '@')
	if at < 0 || at == len(addr)-1 {
		return fallbackDomain
	}
	return strings.ToLower(strings.TrimSpace(addr[at+1:]))
}

// isTag reports whether s can go into the local part of an address unquoted and survive mail
// systems that are strict about it: letters, digits and "-_.", as ticket numbers are.
func isTag(s string) bool {
	for _, r := range s {
		if !isAlnum(r) && r != '-' && r != '_' && r != '.' {
			return false
		}
	}
	return s != ""
}

// isKey reports whether a message key can be the left part of a Message-ID as it is (RFC 5322
// dot-atom-text); the key is never altered, since mail-in looks it up unchanged.
func isKey(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		if !isAlnum(r) && !strings.ContainsRune(".!#$%&'*+-/=?^_`{|}~", r) {
			return false
		}
	}
	return true
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}
