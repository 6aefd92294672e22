package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// Attachments (附件) on the staff ticket page and in the portal: one upload form posting
// multipart/form-data (no CSRF token: http.CrossOriginProtection guards every POST), the list with
// sizes and download links, and the download itself.

// uploads lets a route's body be as large as an attachment (plus the other form fields).
func uploads(a access) access { a.upload = true; return a }

// bodyLimit is the largest request body a route accepts.
func (h *Handler) bodyLimit(a access) int64 {
	if a.upload {
		return h.d.Tickets.MaxAttachmentBytes() + maxBody
	}
	return maxBody
}

// attachmentsView is the attachments card of a ticket page, staff or portal.
type attachmentsView struct {
	Lang   string
	Items  []attachmentItem
	Action string // where the upload form posts; empty hides the form
	MaxMB  int64
	Error  string // message key of the upload's problem when the form came back
}

// attachmentItem is one attachment in the list.
type attachmentItem struct {
	*ticket.Attachment
	URL  string
	Size string
}

func newAttachmentsView(lang string, list []*ticket.Attachment, base, action string, maxBytes int64, problem string) attachmentsView {
	v := attachmentsView{Lang: lang, Action: action, MaxMB: maxBytes >> 20, Error: problem}
	for _, a := range list {
		v.Items = append(v.Items, attachmentItem{Attachment: a, URL: base + "/attachments/" + strconv.FormatInt(a.ID, 10),
			Size: humanSize(a.Size)})
	}
	return v
}

// humanSize formats a size in bytes for people: 512 B, 12.5 KB, 3.2 MB.
func humanSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// AttachmentsCard is the staff page's attachments card.
func (p *ticketPage) AttachmentsCard() attachmentsView {
	if p.T == nil {
		return attachmentsView{Lang: p.Lang}
	}
	base := ticketURL(p.T.ID, "")
	action := ""
	if p.CanWork && p.Editable {
		action = base + "/attachments"
	}
	problem := ""
	if p.Form == "attach" {
		problem = firstNonEmpty(p.Errors["file"], p.Errors["comment_id"], p.Error)
	}
	return newAttachmentsView(p.Lang, p.Attachments, base, action, p.MaxAttachment, problem)
}

// AttachmentsCard is the portal page's attachments card.
func (p *portalShowPage) AttachmentsCard() attachmentsView {
	if p.Ticket.Ticket == nil {
		return attachmentsView{Lang: p.Lang}
	}
	base := portalURL(p.Ticket.ID)
	action := ""
	if p.CanReply() {
		action = base + "/attachments"
	}
	problem := ""
	if p.Failed == "attach" {
		problem = firstNonEmpty(p.Errors["file"], p.Errors["comment_id"], p.Error)
	}
	return newAttachmentsView(p.Lang, p.Attachments, base, action, p.MaxAttachment, problem)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// ticketAttach stores the file of the staff page's upload form.
func (h *Handler) ticketAttach(r *http.Request, id int64, _ int) error {
	return h.attachFrom(r.Context(), r, id)
}

// portalAttach stores the file of the portal's upload form on the requester's own ticket.
func (h *Handler) portalAttach(w http.ResponseWriter, r *http.Request) error {
	return h.portalAct(w, r, "attach", "web.flash.ticket.attach", func(ctx context.Context, t *ticket.Ticket) error {
		return h.attachFrom(ctx, r, t.ID)
	})
}

// attachFrom streams the file part of a multipart form to the service. comment_id, when present,
// comes before file. The rest of the body is read (bounded by the route's limit), so that the
// browser, still sending, receives the answer instead of a reset connection.
func (h *Handler) attachFrom(ctx context.Context, r *http.Request, id int64) error {
	defer io.Copy(io.Discard, r.Body)
	mr, err := r.MultipartReader()
	if err != nil {
		return errs.E(errs.Invalid, "err.attachment.empty", errs.Field("file", "err.attachment.empty"), err)
	}
	var commentID int64
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return errs.E(errs.Invalid, "err.attachment.empty", errs.Field("file", "err.attachment.empty"))
		}
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return errs.E(errs.Invalid, "err.attachment.too_large", errs.Field("file", "err.attachment.too_large"), err)
			}
			return errs.E(errs.Invalid, "err.attachment.read", errs.Field("file", "err.attachment.read"), err)
		}
		switch part.FormName() {
		case "comment_id":
			v, _ := io.ReadAll(io.LimitReader(part, 32))
			if s := strings.TrimSpace(string(v)); s != "" {
				if commentID, err = strconv.ParseInt(s, 10, 64); err != nil || commentID < 0 {
					return errs.E(errs.Invalid, "err.attachment.comment", errs.Field("comment_id", "err.number"))
				}
			}
		case "file":
			if part.FileName() == "" { // the form was sent without choosing a file
				return errs.E(errs.Invalid, "err.attachment.empty", errs.Field("file", "err.attachment.empty"))
			}
			_, err := h.d.Tickets.Attach(ctx, id, ticket.Upload{CommentID: commentID, Name: part.FileName(), Body: part})
			return err
		}
	}
}

// ticketAttachment downloads an attachment from the staff ticket page.
func (h *Handler) ticketAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	aid, err := pathID(r, "aid")
	if err != nil {
		return err
	}
	a, data, err := h.d.Tickets.OpenAttachment(r.Context(), id, aid)
	if err != nil {
		return err
	}
	sendAttachment(w, a, data)
	return nil
}

// portalAttachment downloads an attachment of the requester's own ticket.
func (h *Handler) portalAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	aid, err := pathID(r, "aid")
	if err != nil {
		return err
	}
	if _, err := h.myTicket(r.Context(), id); err != nil {
		return err
	}
	a, data, err := h.d.Tickets.OpenAttachment(r.Context(), id, aid)
	if err != nil {
		return err
	}
	if a.Internal { // staff who opened their own ticket keep the portal public
		return errs.E(errs.NotFound, "err.not_found")
	}
	sendAttachment(w, a, data)
	return nil
}

// sendAttachment writes a file so that no browser runs it: the sniffed type (never HTML), as an
// attachment, without sniffing, and sandboxed should it be opened anyway.
func sendAttachment(w http.ResponseWriter, a *ticket.Attachment, data []byte) {
	h := w.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", a.Disposition())
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}
