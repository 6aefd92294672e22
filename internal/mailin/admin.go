package mailin

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
	"opsdesk/internal/notify"
)

// Mask stands for a stored password when a mailbox is read back; saving it keeps the password. It
// is the notification channels' mask, so that every secret in the admin pages reads the same.
const Mask = notify.Masked

// need returns the actor when it may configure the mail intake; a refusal is audited in a
// transaction of its own, so that it stays although the call fails.
func (s *Service) need(ctx context.Context, action string) (*actor.Actor, error) {
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	if !a.Can(PermConfigure) {
		_ = s.Store.InTx(context.WithoutCancel(ctx), func(ctx context.Context) error {
			return s.Audit.Record(ctx, audit.Entry{Action: action, TargetType: "mailin", Result: audit.ResultDenied})
		})
		return nil, errs.E(errs.Forbidden, "err.forbidden")
	}
	return a, nil
}

func masked(m *Mailbox) *Mailbox {
	c := *m
	if c.Password != "" {
		c.Password = Mask
	}
	return &c
}

// snapshot is the audit view of a mailbox: never its password.
func snapshot(m *Mailbox) map[string]any {
	return map[string]any{"name": m.Name, "enabled": m.Enabled, "host": m.Host, "port": m.Port, "tls": m.TLS,
		"username": m.Username, "folder": m.Folder, "address": m.Address, "poll_seconds": m.PollSeconds}
}

// Mailboxes lists the mailboxes with their poll state, passwords masked.
func (s *Service) Mailboxes(ctx context.Context) ([]*Mailbox, error) {
	if _, err := s.need(ctx, "mailin.mailbox.list"); err != nil {
		return nil, err
	}
	ms, err := s.Store.Mailboxes(ctx)
	if err != nil {
		return nil, err
	}
	for i, m := range ms {
		ms[i] = masked(m)
	}
	return ms, nil
}

// Mailbox returns one mailbox, password masked.
func (s *Service) Mailbox(ctx context.Context, id int64) (*Mailbox, error) {
	if _, err := s.need(ctx, "mailin.mailbox.read"); err != nil {
		return nil, err
	}
	m, err := s.Store.Mailbox(ctx, id)
	if err != nil {
		return nil, err
	}
	return masked(m), nil
}

// SaveMailbox checks and saves a mailbox: a new one when ID is 0, else the one at m.Version. An
// empty or masked password keeps the stored one. A new server, user or folder is another mailbox:
// its poll position starts over (UIDs of one folder mean nothing in another, and two folders may
// share a UIDVALIDITY), and Message-IDs keep mail taken in before from counting twice.
func (s *Service) SaveMailbox(ctx context.Context, m *Mailbox) error {
	if _, err := s.need(ctx, "mailin.mailbox.save"); err != nil {
		return err
	}
	keepPassword := m.Password == "" || m.Password == Mask
	if err := m.check(m.ID == 0 && keepPassword); err != nil {
		return err
	}
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		var before any
		var old *Mailbox
		action := "mailin.mailbox.create"
		if m.ID != 0 {
			var err error
			if old, err = s.Store.Mailbox(ctx, m.ID); err != nil {
				return err
			}
			if keepPassword {
				m.Password = old.Password
			}
			before, action = snapshot(old), "mailin.mailbox.update"
		}
		if err := s.Store.SaveMailbox(ctx, m); err != nil {
			return err
		}
		m.UIDValidity, m.LastUID, m.LastPolledAt, m.LastError = 0, 0, time.Time{}, ""
		if old != nil {
			m.UIDValidity, m.LastUID, m.LastPolledAt, m.LastError = old.UIDValidity, old.LastUID, old.LastPolledAt, old.LastError
			if old.Host != m.Host || old.Port != m.Port || old.Username != m.Username || old.Folder != m.Folder {
				m.UIDValidity, m.LastUID = 0, 0
				if err := s.Store.SavePollState(ctx, m); err != nil {
					return err
				}
			}
		}
		return s.Audit.Record(ctx, audit.Entry{Action: action, TargetType: "mailin_mailbox", TargetID: strconv.FormatInt(m.ID, 10),
			Before: audit.Snapshot(before), After: audit.Snapshot(snapshot(m))})
	})
	if m.Password != "" {
		m.Password = Mask // the caller gets the mailbox back as a reader would, without the secret
	}
	if err == nil && s.Changed != nil {
		s.Changed()
	}
	return err
}

// DeleteMailbox deletes a mailbox; the records of its mail stay.
func (s *Service) DeleteMailbox(ctx context.Context, id int64) error {
	if _, err := s.need(ctx, "mailin.mailbox.delete"); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		old, err := s.Store.Mailbox(ctx, id)
		if err != nil {
			return err
		}
		if err := s.Store.DeleteMailbox(ctx, id); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{Action: "mailin.mailbox.delete", TargetType: "mailin_mailbox",
			TargetID: strconv.FormatInt(id, 10), Before: audit.Snapshot(snapshot(old))})
	})
}

// Mails lists mail records, newest first: 100 unless f.Limit says otherwise, at most 1000.
func (s *Service) Mails(ctx context.Context, f MailFilter) ([]*Mail, error) {
	if _, err := s.need(ctx, "mailin.mail.list"); err != nil {
		return nil, err
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	f.Limit = min(f.Limit, 1000)
	return s.Store.Mails(ctx, f)
}

// Raw returns a mail as it came in (only the header of one rejected as too large).
func (s *Service) Raw(ctx context.Context, id int64) ([]byte, error) {
	if _, err := s.need(ctx, "mailin.mail.raw"); err != nil {
		return nil, err
	}
	return s.Store.Raw(ctx, id)
}

// Release opens a new ticket from a held mail (a forged reply, a mail that could not be taken in)
// after an administrator reviewed it. Its sender becomes the requester as for any new mail; the
// ticket the mail claimed is not touched.
func (s *Service) Release(ctx context.Context, id int64) (*Mail, error) {
	a, err := s.need(ctx, "mailin.mail.release")
	if err != nil {
		return nil, err
	}
	var out *Mail
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		m, err := s.held(ctx, id)
		if err != nil {
			return err
		}
		raw, err := s.Store.Raw(ctx, id)
		if err != nil {
			return err
		}
		p, err := parse(raw)
		if err != nil {
			return errs.E(errs.Invalid, "err.mailin.unparseable", err)
		}
		sender, err := s.sender(ctx, p)
		if err != nil {
			return err
		}
		before := *m
		if err := s.open(ctx, sender, p, m, nil); err != nil {
			return err
		}
		m.Reason = joinReason(m.Reason, []string{fmt.Sprintf("released by %s (was: %s)", a.Username, before.Reason)})
		if err := s.Store.SetOutcome(ctx, m, OutHeld); err != nil {
			return err
		}
		out = m
		return s.Audit.Record(ctx, audit.Entry{Action: "mailin.mail.release", TargetType: "mailin_mail",
			TargetID: strconv.FormatInt(id, 10), Before: audit.Snapshot(mailView(&before)), After: audit.Snapshot(mailView(m))})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Discard rejects a held mail: it stays recorded, and nothing is made of it.
func (s *Service) Discard(ctx context.Context, id int64) error {
	a, err := s.need(ctx, "mailin.mail.discard")
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		m, err := s.held(ctx, id)
		if err != nil {
			return err
		}
		before := *m
		m.Outcome = OutRejected
		m.Reason = joinReason("discarded by "+a.Username, []string{"was: " + before.Reason})
		if err := s.Store.SetOutcome(ctx, m, OutHeld); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{Action: "mailin.mail.discard", TargetType: "mailin_mail",
			TargetID: strconv.FormatInt(id, 10), Before: audit.Snapshot(mailView(&before)), After: audit.Snapshot(mailView(m))})
	})
}

// held loads a mail that waits for an administrator.
func (s *Service) held(ctx context.Context, id int64) (*Mail, error) {
	m, err := s.Store.Mail(ctx, id)
	if err != nil {
		return nil, err
	}
	if m.Outcome != OutHeld {
		return nil, errs.E(errs.Conflict, "err.mailin.not_held")
	}
	return m, nil
}

func mailView(m *Mail) map[string]any {
	return map[string]any{"message_id": m.MessageID, "from": m.From, "subject": m.Subject, "outcome": m.Outcome,
		"ticket_id": m.TicketID, "reason": m.Reason}
}
