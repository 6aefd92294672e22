package mailin

import (
	"fmt"
	"regexp"
	"strings"
)

// The rules that keep mail out of the tickets. Each returns the outcome and the reason, or "" when
// it does not apply. They read only the message (and the mailbox), so a table test covers them.

// loopOf recognises our own mail coming back: it carries the key opsdesk puts on every mail it
// sends, or it comes from the desk's own address.
func loopOf(p *parsed, own string) (Outcome, string) {
	if k := strings.TrimSpace(p.header.Get("X-Opsdesk-Key")); k != "" {
		return OutLoop, "our own mail (X-Opsdesk-Key " + k + ")"
	}
	if own != "" && strings.EqualFold(p.from, strings.TrimSpace(own)) {
		return OutLoop, "from the desk's own address " + own
	}
	return "", ""
}

// bounceOf recognises delivery status notifications (RFC 3464), and mail from the mail system
// itself: MAILER-DAEMON, postmaster, or the null reverse path "<>".
func bounceOf(p *parsed) (Outcome, string) {
	local, _, _ := strings.Cut(p.from, "@")
	switch {
	case p.report:
		return OutBounce, "delivery status notification"
	case local == "mailer-daemon" || local == "postmaster":
		return OutBounce, "from " + p.from
	}
	for _, v := range p.header.Values("Return-Path") {
		if strings.TrimSpace(v) == "<>" {
			return OutBounce, "null Return-Path <>"
		}
	}
	return "", ""
}

// autoOf recognises automatic answers (out-of-office, auto-responders, lists) by the headers
// RFC 3834 and the common mail systems set.
func autoOf(p *parsed) (Outcome, string) {
	h := p.header
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return OutAutoReply, "Auto-Submitted: " + v
	}
	switch v := strings.ToLower(strings.TrimSpace(h.Get("Precedence"))); v {
	case "bulk", "junk", "list", "auto_reply":
		return OutAutoReply, "Precedence: " + v
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"} {
		if h.Has(k) {
			return OutAutoReply, k + ": " + strings.TrimSpace(h.Get(k))
		}
	}
	return "", ""
}

// Flooding: more than FloodLimit mails from one sender within FloodWindow are a loop with some
// other automatic system; they are recorded, not turned into tickets.
const (
	FloodLimit  = 20
	FloodWindow = 10 * 60 // seconds
)

func floodReason(from string, n int) string {
	return fmt.Sprintf("%d mails from %s within %d minutes", n+1, from, FloodWindow/60)
}

// numberRE matches a ticket number of any type: INC-2026-000123.
var numberRE = regexp.MustCompile(`\b(INC|REQ|CON|CMP)-\d{4}-\d{6,}\b`)

// subjectRE matches a ticket number in brackets, as the notification mails put it in the subject.
var subjectRE = regexp.MustCompile(`\[((?:INC|REQ|CON|CMP)-\d{4}-\d{6,})\]`)

// numberInSubject returns the ticket number in a subject's brackets, or "".
func numberInSubject(subject string) string {
	if m := subjectRE.FindStringSubmatch(strings.ToUpper(subject)); m != nil {
		return m[1]
	}
	return ""
}

// numberInTag returns the ticket number of a plus-tagged address (desk+INC-2026-000123@corp), or "".
func numberInTag(addrs []string) string {
	for _, a := range addrs {
		local, _, _ := strings.Cut(a, "@")
		if _, tag, ok := strings.Cut(local, "+"); ok {
			if m := numberRE.FindString(strings.ToUpper(tag)); m != "" && m == strings.ToUpper(tag) {
				return m
			}
		}
	}
	return ""
}
