package ticket

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// Attachment is a file attached to a ticket (附件), on its own or to one of the ticket's comments.
// Its content is stored apart from these details, so that a list never reads the bytes.
type Attachment struct {
	ID          int64
	TicketID    int64
	CommentID   int64  // 0: attached to the ticket itself
	Internal    bool   // attached to an internal note: requesters never see it
	Name        string // cleaned by CleanName
	ContentType string // decided by FileType from the content, never text/html
	Size        int64
	SHA256      string // hex digest of the content
	UploaderID  int64
	CreatedAt   time.Time
}

// FileStore persists attachments; store.Tickets implements it.
type FileStore interface {
	// AddAttachment stores the details and the content and sets a.ID.
	AddAttachment(ctx context.Context, a *Attachment, content []byte) error
	// Attachments lists a ticket's attachments in upload order, without their content.
	Attachments(ctx context.Context, ticketID int64, withInternal bool) ([]*Attachment, error)
	// Attachment returns one attachment of a ticket; errs.NotFound when it is not one of ticketID's.
	Attachment(ctx context.Context, ticketID, id int64) (*Attachment, error)
	AttachmentContent(ctx context.Context, id int64) ([]byte, error)
}

// EvAttached is the history step of a file attached; its reason is the file name, left empty for a
// file on an internal note because requesters read the history through the API.
const EvAttached EventKind = "attached"

// DefaultMaxAttachment is the largest attachment when Service.MaxAttachment is not set (20 MiB, the
// default of attachments.max_mb).
const DefaultMaxAttachment = 20 << 20

// Upload is a file someone attaches.
type Upload struct {
	CommentID int64     // 0: the ticket itself; else one of the uploader's own comments on the ticket
	Name      string    // as the client sent it; CleanName cleans it
	Body      io.Reader // read up to the limit and one byte more, never further
}

func (s *Service) maxAttachment() int64 {
	if s.MaxAttachment > 0 {
		return s.MaxAttachment
	}
	return DefaultMaxAttachment
}

// MaxAttachmentBytes is the largest file Attach accepts, for forms to show and transports to bound
// their request bodies with.
func (s *Service) MaxAttachmentBytes() int64 { return s.maxAttachment() }

// canAttach: whoever may comment on the ticket may attach a file, while the conversation is open
// (until the ticket is closed or cancelled).
func canAttach(t *Ticket) error {
	if !t.Status.IsOpen() && t.Status != Resolved {
		return errs.E(errs.Invalid, "err.ticket.closed", errs.Field("file", "err.ticket.closed"))
	}
	return nil
}

// Attach stores a file on a ticket, or on one of the uploader's comments on it, for someone who may
// comment on the ticket. The content is read up to the limit (a larger file is refused and nothing
// is stored), its type is decided by FileType, and the file, its history step and the audit entry
// commit together.
func (s *Service) Attach(ctx context.Context, ticketID int64, up Upload) (*Attachment, error) {
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	if s.Files == nil || s.Sniff == nil {
		return nil, errors.New("ticket: attachments are not configured (Files, Sniff)")
	}
	// Check visibility before reading the body: a stranger learns nothing and costs nothing.
	t, err := s.Get(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	if err := canAttach(t); err != nil {
		return nil, err
	}
	name, err := CleanName(up.Name)
	if err != nil {
		return nil, err
	}
	data, err := readLimited(up.Body, s.maxAttachment())
	if err != nil {
		return nil, err
	}
	ctype, err := FileType(name, s.Sniff(data), data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	att := &Attachment{TicketID: ticketID, CommentID: up.CommentID, Name: name, ContentType: ctype,
		Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), UploaderID: a.UserID, CreatedAt: s.Now()}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		t, err := s.Store.Get(ctx, ticketID)
		if err != nil || !CanView(a, t) {
			return errs.E(errs.NotFound, "err.not_found")
		}
		if err := canAttach(t); err != nil {
			return err
		}
		if up.CommentID != 0 {
			if att.Internal, err = s.ownComment(ctx, a, t, up.CommentID); err != nil {
				return err
			}
		}
		if err := s.Files.AddAttachment(ctx, att, data); err != nil {
			return err
		}
		ev := Event{Kind: EvAttached}
		if !att.Internal {
			ev.Reason = att.Name
		}
		if err := s.event(ctx, t, ev); err != nil {
			return err
		}
		return s.recordTarget(ctx, "ticket.attach", "ticket", strconv.FormatInt(t.ID, 10), nil, map[string]any{
			"attachment_id": att.ID, "name": att.Name, "content_type": att.ContentType, "size": att.Size,
			"sha256": att.SHA256, "comment_id": att.CommentID, "internal": att.Internal})
	})
	if err != nil {
		return nil, err
	}
	return att, nil
}

// ownComment checks that commentID is the actor's own comment on t and reports whether it is an
// internal note: a file goes with the words of the one who attaches it.
func (s *Service) ownComment(ctx context.Context, a *actor.Actor, t *Ticket, commentID int64) (internal bool, err error) {
	comments, err := s.Store.Comments(ctx, t.ID, CanSeeInternal(a, t))
	if err != nil {
		return false, err
	}
	for _, c := range comments {
		if c.ID == commentID && c.AuthorID == a.UserID {
			return c.Internal, nil
		}
	}
	return false, errs.E(errs.Invalid, "err.attachment.comment", errs.Field("comment_id", "err.attachment.comment"))
}

// readLimited reads all of r when it holds at most limit bytes; a longer body is refused after
// reading limit+1 bytes, an empty one too.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	if r == nil {
		return nil, errs.E(errs.Invalid, "err.attachment.empty", errs.Field("file", "err.required"))
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		if isBodyLimit(err) {
			return nil, tooLarge()
		}
		return nil, errs.E(errs.Invalid, "err.attachment.read", errs.Field("file", "err.attachment.read"), err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge()
	}
	if len(data) == 0 {
		return nil, errs.E(errs.Invalid, "err.attachment.empty", errs.Field("file", "err.attachment.empty"))
	}
	return data, nil
}

func tooLarge() error {
	return errs.E(errs.Invalid, "err.attachment.too_large", errs.Field("file", "err.attachment.too_large"))
}

// isBodyLimit recognises the transports' request body limit (*http.MaxBytesError, by its message,
// so that the domain does not import net/http).
func isBodyLimit(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if strings.HasSuffix(err.Error(), "http: request body too large") {
			return true
		}
	}
	return false
}

// IsTooLarge reports whether err refused a file over the size limit (transports answer 413).
func IsTooLarge(err error) bool {
	msg, _ := errs.Info(err)
	return msg == "err.attachment.too_large"
}

// Attachments lists what the actor may see of a ticket's attachments: requesters never see the files
// of internal notes.
func (s *Service) Attachments(ctx context.Context, ticketID int64) ([]*Attachment, error) {
	t, err := s.Get(ctx, ticketID)
	if err != nil {
		return nil, err
	}
	if s.Files == nil {
		return nil, nil
	}
	return s.Files.Attachments(ctx, ticketID, CanSeeInternal(actor.FromContext(ctx), t))
}

// OpenAttachment returns an attachment of a ticket and its content for someone who may see both; any
// other attachment does not exist for the actor.
func (s *Service) OpenAttachment(ctx context.Context, ticketID, id int64) (*Attachment, []byte, error) {
	t, err := s.Get(ctx, ticketID)
	if err != nil {
		return nil, nil, err
	}
	if s.Files == nil {
		return nil, nil, errs.E(errs.NotFound, "err.not_found")
	}
	att, err := s.Files.Attachment(ctx, ticketID, id)
	if err != nil {
		return nil, nil, err
	}
	if att.Internal && !CanSeeInternal(actor.FromContext(ctx), t) {
		return nil, nil, errs.E(errs.NotFound, "err.not_found")
	}
	data, err := s.Files.AttachmentContent(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return att, data, nil
}
