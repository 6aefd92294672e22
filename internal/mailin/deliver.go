package mailin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

func (s *Service) maxBytes() int64 {
	if s.MaxBytes > 0 {
		return s.MaxBytes
	}
	return DefaultMaxBytes
}

// Deliver takes in one message for a mailbox (0: none, as for a bare SMTP listener) and returns its
// record. Everything it does — the record with the raw bytes, and the ticket or comment it makes —
// commits in one transaction. It is idempotent by Message-ID per mailbox: a message taken in before
// returns the earlier record and changes nothing. A message over MaxBytes is rejected and only its
// header is kept; one that cannot be parsed is held. It fails only when nothing could be recorded.
func (s *Service) Deliver(ctx context.Context, mailboxID int64, raw []byte) (*Mail, error) {
	m, _, err := s.deliver(ctx, mailboxID, raw, len(raw), s.maxBytes())
	return m, err
}

// deliver is Deliver for a message of size bytes of which raw may be only the header (the poller
// does not download the body of a message it will reject as too large), under the limit. fresh
// is false when the message had been taken in before.
func (s *Service) deliver(ctx context.Context, mailboxID int64, raw []byte, size int, limit int64) (m *Mail, fresh bool, err error) {
	own := ""
	if mailboxID != 0 {
		mb, err := s.Store.Mailbox(ctx, mailboxID)
		if err != nil {
			return nil, false, err
		}
		own = mb.Address
	}
	m = &Mail{MailboxID: mailboxID, Size: size, ReceivedAt: s.Now().UTC()}
	keep := raw
	var p *parsed
	if int64(size) > limit {
		keep = headerOf(raw)
		m.Outcome = OutRejected
		m.Reason = fmt.Sprintf("too large: %d bytes, the limit is %d; only the header is kept", size, limit)
		if hp, err := parse(keep); err == nil {
			p = hp
		}
	} else {
		if p, err = parse(raw); err != nil {
			m.Outcome, m.Reason = OutHeld, "unparseable: "+err.Error()
		}
	}
	m.MessageID = digestID(raw)
	if p != nil {
		m.MessageID, m.From, m.Subject = p.messageID, p.from, clip(p.subject, 200)
	}
	out, err := s.record(ctx, m, keep, func(ctx context.Context) error {
		if m.Outcome != "" {
			return nil
		}
		return s.route(ctx, own, p, m)
	})
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return out, out == m, err
	}
	// The ticket work failed and rolled back: hold the mail for an administrator, in a transaction
	// of its own so that nothing of the failed work stays.
	m.ID, m.TicketID, m.Outcome = 0, 0, OutHeld
	m.Reason = joinReason("could not be taken in: "+err.Error(), notesOf(p))
	if out, err2 := s.record(ctx, m, keep, nil); err2 == nil {
		return out, out == m, nil
	}
	return nil, false, err
}

// record runs work and adds the record of m in one transaction, unless the mailbox has the
// Message-ID already: then it returns that record and does nothing.
func (s *Service) record(ctx context.Context, m *Mail, raw []byte, work func(ctx context.Context) error) (*Mail, error) {
	var out *Mail
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		old, err := s.Store.MailByMessageID(ctx, m.MailboxID, m.MessageID)
		if err == nil {
			out = old
			return nil
		}
		if !errs.Is(err, errs.NotFound) {
			return err
		}
		if work != nil {
			if err := work(ctx); err != nil {
				return err
			}
		}
		out = m
		return s.Store.AddMail(ctx, m, raw)
	})
	if errs.Is(err, errs.Conflict) {
		// Taken in at the same moment by another poller: the other record stands.
		if old, err2 := s.Store.MailByMessageID(ctx, m.MailboxID, m.MessageID); err2 == nil {
			return old, nil
		}
	}
	return out, err
}

// route decides what a parsed mail becomes, in the transaction that records it.
func (s *Service) route(ctx context.Context, own string, p *parsed, m *Mail) error {
	notes := notesOf(p)
	for _, rule := range []func() (Outcome, string){
		func() (Outcome, string) { return loopOf(p, own) },
		func() (Outcome, string) { return bounceOf(p) },
		func() (Outcome, string) { return autoOf(p) },
	} {
		if o, why := rule(); o != "" {
			m.Outcome, m.Reason = o, joinReason(why, notes)
			return nil
		}
	}
	n, err := s.Store.CountFrom(ctx, p.from, m.ReceivedAt.Add(-FloodWindow*time.Second))
	if err != nil {
		return err
	}
	if n >= FloodLimit {
		m.Outcome, m.Reason = OutLoop, joinReason(floodReason(p.from, n), notes)
		return nil
	}
	sender, err := s.sender(ctx, p)
	if err != nil {
		return err
	}
	t, how, err := s.findTicket(ctx, p)
	if err != nil {
		return err
	}
	switch {
	case t == nil:
		return s.open(ctx, sender, p, m, notes)
	case !ticket.IsMailParty(t, sender.Actor, p.from):
		m.Outcome, m.TicketID = OutHeld, t.ID
		m.Reason = joinReason(fmt.Sprintf("%s is not a party of %s (found by %s): a forged reply", p.from, t.Number, how), notes)
		return nil
	case !t.Status.IsOpen() && t.Status != ticket.Resolved:
		return s.open(ctx, sender, p, m, append([]string{fmt.Sprintf("a reply to %s, which is %s: a new ticket", t.Number, t.Status)}, notes...))
	}
	return s.reply(ctx, sender, p, m, t, how, notes)
}

// open makes a new ticket of a mail.
func (s *Service) open(ctx context.Context, sender *senderActor, p *parsed, m *Mail, notes []string) error {
	files, skipped := s.files(p)
	desc := clip(p.text, 20000-len([]rune(skipped))-2)
	if skipped != "" {
		desc = strings.TrimSpace(desc + "\n\n" + skipped)
	}
	n := ticket.NewTicket{Type: ticket.Incident, Subject: clip(oneLine(p.subject), 200), Description: desc,
		Urgency: ticket.Medium, Impact: ticket.Low}
	if n.Subject == "" {
		n.Subject = "（无主题 no subject）"
	}
	if sender.UserID == 0 {
		n.ContactName, n.ContactEmail = clip(oneLine(sender.name), 64), p.from
		if n.ContactName == "" {
			n.ContactName = clip(p.from, 64)
		}
	}
	t, err := s.Tickets.OpenByMail(ctx, sender.Actor, n, files)
	if err != nil {
		return err
	}
	m.Outcome, m.TicketID, m.Reason = OutTicket, t.ID, joinReason(t.Number, notes)
	return nil
}

// reply adds a mail as a comment on its ticket: the new words above the quoted history.
func (s *Service) reply(ctx context.Context, sender *senderActor, p *parsed, m *Mail, t *ticket.Ticket, how string, notes []string) error {
	files, skipped := s.files(p)
	body := stripQuoted(p.text)
	if body == "" {
		body = p.text
	}
	if body == "" && len(files) > 0 {
		names := make([]string, len(files))
		for i, f := range files {
			names[i] = f.Name
		}
		body = "（附件 attachments: " + strings.Join(names, ", ") + "）"
	}
	if body == "" {
		body = "（无正文 no text）"
	}
	body = clip(body, 20000-len([]rune(skipped))-2)
	if skipped != "" {
		body += "\n\n" + skipped
	}
	if _, err := s.Tickets.ReplyByMail(ctx, sender.Actor, p.from, t.ID, body, files); err != nil {
		return err
	}
	m.Outcome, m.TicketID, m.Reason = OutComment, t.ID, joinReason(t.Number+" by "+how, notes)
	return nil
}

// files splits a mail's files into those a ticket can keep and a note naming the others.
func (s *Service) files(p *parsed) ([]ticket.MailFile, string) {
	var keep []ticket.MailFile
	var lines []string
	for _, f := range p.files {
		if err := s.Tickets.CheckMailFile(f); err != nil {
			lines = append(lines, fmt.Sprintf("- %s (%d bytes): %s", clip(oneLine(f.Name), 200), len(f.Data), fileProblem(err)))
			continue
		}
		keep = append(keep, f)
	}
	if len(lines) == 0 {
		return keep, ""
	}
	return keep, "附件未保存 attachments not kept:\n" + strings.Join(lines, "\n")
}

// fileProblem says in a few words why a file was not kept; the ticket shows it to everyone, so it
// is written in both languages rather than as a message key.
func fileProblem(err error) string {
	switch msg, _ := errs.Info(err); msg {
	case "err.attachment.too_large":
		return "文件过大 too large"
	case "err.attachment.unsafe":
		return "不安全的文件类型 unsafe file type"
	case "err.attachment.empty":
		return "空文件 empty"
	case "err.attachment.name":
		return "文件名无效 invalid name"
	}
	return "不允许的文件类型 file type not allowed"
}

// headerOf is the header of a message (up to the first blank line), at most 64 KiB.
func headerOf(raw []byte) []byte {
	end := len(raw)
	for _, sep := range [][]byte{[]byte("\r\n\r\n"), []byte("\n\n")} {
		if i := bytes.Index(raw, sep); i >= 0 && i+len(sep) < end {
			end = i + len(sep)
		}
	}
	return bytes.Clone(raw[:min(end, 64<<10)])
}

func notesOf(p *parsed) []string {
	if p == nil {
		return nil
	}
	return p.notes
}

// joinReason puts the reason first and the reading notes after it.
func joinReason(why string, notes []string) string {
	return clip(strings.Join(append([]string{why}, notes...), "; "), 2000)
}

// clip shortens s to at most n characters.
func clip(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// oneLine folds line breaks and drops control characters, for a subject or a name.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)), " ")
}
