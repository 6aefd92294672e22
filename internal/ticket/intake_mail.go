package ticket

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// The mail intake (邮件受理, package mailin) is opsdesk itself logging what came in by e-mail: no one
// is signed in, so these entry points run trusted (visibility rules for a person do not apply) with
// the sender as the actor. Who the sender is, and whether the mail is a reply they may make, the
// intake decides before calling; the rules of Create, Comment and the attachment checks still apply.

// MailFile is a file that came with a mail.
type MailFile struct {
	Name string // as the mail named it; CleanName cleans it
	Data []byte
}

// CheckMailFile reports whether a mail's file can be kept on a ticket under the attachment rules
// (size, name, type), so that the intake can note the files it cannot keep instead of failing the
// mail.
func (s *Service) CheckMailFile(f MailFile) error {
	_, _, err := s.mailFile(f)
	return err
}

func (s *Service) mailFile(f MailFile) (name, ctype string, err error) {
	if s.Files == nil || s.Sniff == nil {
		return "", "", errs.E(errs.Invalid, "err.attachment.type", errs.Field("file", "err.attachment.type"))
	}
	switch {
	case int64(len(f.Data)) > s.maxAttachment():
		return "", "", tooLarge()
	case len(f.Data) == 0:
		return "", "", errs.E(errs.Invalid, "err.attachment.empty", errs.Field("file", "err.attachment.empty"))
	}
	if name, err = CleanName(f.Name); err != nil {
		return "", "", err
	}
	ctype, err = FileType(name, s.Sniff(f.Data), f.Data)
	return name, ctype, err
}

// IsMailParty reports whether a mail from the user from (UserID 0 for a stranger) at address addr
// may speak on t: its requester, first-contact owner, assignee or a watcher, or its external
// contact by the contact's address. Anyone else replying to the ticket's mail is forging a reply.
func IsMailParty(t *Ticket, from *actor.Actor, addr string) bool {
	if from != nil && from.UserID != 0 && involved(from, t) {
		return true
	}
	return t.ContactEmail != "" && addr != "" && strings.EqualFold(strings.TrimSpace(t.ContactEmail), strings.TrimSpace(addr))
}

// mailActor is the actor a mail acts as: the sender's identity without their permissions, so that
// the ticket is the sender's own (an agent mailing in does not become its first-contact owner).
func mailActor(from *actor.Actor) *actor.Actor {
	return &actor.Actor{UserID: from.UserID, Username: from.Username, Name: from.Name, OrgUnitID: from.OrgUnitID,
		OrgPath: from.OrgPath, ServicePath: from.ServicePath, Source: from.Source, Lang: from.Lang, Perms: map[string]bool{}}
}

// OpenByMail opens a ticket for a mail, on the e-mail channel, with its files. From a user (from's
// UserID) the ticket is theirs; from a stranger (UserID 0) its requester is the external contact
// n.ContactName and n.ContactEmail, in the organisation scope of from (the desk's). Nobody becomes
// its first-contact owner: the agent who takes it does. Every file must pass CheckMailFile. The
// ticket and its files commit together, in the caller's transaction when there is one.
func (s *Service) OpenByMail(ctx context.Context, from *actor.Actor, n NewTicket, files []MailFile) (*Ticket, error) {
	if from == nil {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	if from.UserID != 0 {
		n.RequesterID, n.ContactName, n.ContactEmail = from.UserID, "", ""
	} else {
		n.RequesterID = 0
	}
	n.Channel, n.GroupID, n.AssigneeID = Email, 0, 0
	ctx = trusted(actor.NewContext(ctx, mailActor(from)))
	var t *Ticket
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if t, err = s.Create(ctx, n); err != nil {
			return err
		}
		return s.keepMailFiles(ctx, t, 0, files)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// ReplyByMail adds a mail as a public reply on a ticket by its sender (a user, or the ticket's
// external contact when from's UserID is 0), with its files attached to the reply. The sender must
// be a party of the ticket (IsMailParty); the ticket must still take replies (not closed).
func (s *Service) ReplyByMail(ctx context.Context, from *actor.Actor, addr string, ticketID int64, body string, files []MailFile) (*Comment, error) {
	if from == nil {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	ctx = trusted(actor.NewContext(ctx, mailActor(from)))
	var c *Comment
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		t, err := s.Store.Get(ctx, ticketID)
		if err != nil {
			return err
		}
		if !IsMailParty(t, from, addr) {
			return errs.E(errs.Forbidden, "err.forbidden")
		}
		if c, err = s.Comment(ctx, ticketID, body, false, 0); err != nil {
			return err
		}
		return s.keepMailFiles(ctx, t, c.ID, files)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// keepMailFiles stores a mail's files on t (on its comment commentID when not 0), each with its
// history step and audit entry, in the caller's transaction.
func (s *Service) keepMailFiles(ctx context.Context, t *Ticket, commentID int64, files []MailFile) error {
	uploader := actor.FromContext(ctx).UserID
	for _, f := range files {
		name, ctype, err := s.mailFile(f)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(f.Data)
		att := &Attachment{TicketID: t.ID, CommentID: commentID, Name: name, ContentType: ctype, Size: int64(len(f.Data)),
			SHA256: hex.EncodeToString(sum[:]), UploaderID: uploader, CreatedAt: s.Now()}
		if err := s.Files.AddAttachment(ctx, att, f.Data); err != nil {
			return err
		}
		if err := s.event(ctx, t, Event{Kind: EvAttached, Reason: att.Name}); err != nil {
			return err
		}
		err = s.recordTarget(ctx, "ticket.attach", "ticket", strconv.FormatInt(t.ID, 10), nil, map[string]any{
			"attachment_id": att.ID, "name": att.Name, "content_type": att.ContentType, "size": att.Size,
			"sha256": att.SHA256, "comment_id": att.CommentID, "internal": false, "channel": "email"})
		if err != nil {
			return err
		}
	}
	return nil
}
