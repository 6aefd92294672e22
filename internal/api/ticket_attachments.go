package api

import (
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/ticket"
)

// isUpload reports whether op takes a multipart file upload, which validate streams to the handler
// instead of reading and checking the body as JSON.
func isUpload(op operation) bool {
	return op.op.RequestBody != nil && op.op.RequestBody.Value != nil &&
		op.op.RequestBody.Value.Content.Get("multipart/form-data") != nil
}

// uploadLimit bounds an upload's whole body: the largest file plus room for the other parts.
func (s *server) uploadLimit() int64 { return s.d.Tickets.MaxAttachmentBytes() + maxBody }

// toAttachment maps an attachment with its uploader's name.
func toAttachment(a *ticket.Attachment, n *ticket.Names) apigen.Attachment {
	return apigen.Attachment{Id: a.ID, TicketId: a.TicketID, CommentId: a.CommentID, Internal: a.Internal, Name: a.Name,
		ContentType: a.ContentType, Size: a.Size, Sha256: a.SHA256, UploaderId: a.UploaderID,
		UploaderName: n.User(a.UploaderID), CreatedAt: a.CreatedAt.UTC()}
}

// ListTicketAttachments lists the files of a ticket the caller may see.
func (s *server) ListTicketAttachments(ctx context.Context, req apigen.ListTicketAttachmentsRequestObject) (apigen.ListTicketAttachmentsResponseObject, error) {
	list, err := s.d.Tickets.Attachments(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, a := range list {
		ids[i] = a.UploaderID
	}
	n, err := s.d.Tickets.Names(ctx, nil, ids, nil)
	if err != nil {
		return nil, err
	}
	out := apigen.ListTicketAttachments200JSONResponse{Items: make([]apigen.Attachment, len(list))}
	for i, a := range list {
		out.Items[i] = toAttachment(a, n)
	}
	return out, nil
}

// UploadTicketAttachment streams the file part to the service, which reads it up to the limit.
// comment_id, when sent, must come before file; parts after file are ignored.
func (s *server) UploadTicketAttachment(ctx context.Context, req apigen.UploadTicketAttachmentRequestObject) (apigen.UploadTicketAttachmentResponseObject, error) {
	// Read what is left (bounded by validate's limit), so that a client still sending gets the
	// answer instead of a reset connection.
	defer func() {
		for {
			p, err := req.Body.NextPart()
			if err != nil {
				return
			}
			io.Copy(io.Discard, p)
		}
	}()
	var commentID int64
	for {
		part, err := req.Body.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, badRequest("err.invalid", "file", "err.required", nil)
		}
		if err != nil {
			return nil, uploadFailed(err)
		}
		switch part.FormName() {
		case "comment_id":
			v, err := io.ReadAll(io.LimitReader(part, 32))
			if err != nil {
				return nil, uploadFailed(err)
			}
			commentID, err = strconv.ParseInt(strings.TrimSpace(string(v)), 10, 64)
			if err != nil || commentID < 0 {
				return nil, badRequest("err.invalid", "comment_id", "api.error.type", err)
			}
		case "file":
			return s.attach(ctx, req.Id, commentID, part)
		default:
			return nil, badRequest("err.invalid", part.FormName(), "err.unknown_field", nil)
		}
	}
}

func (s *server) attach(ctx context.Context, ticketID, commentID int64, part *multipart.Part) (apigen.UploadTicketAttachmentResponseObject, error) {
	a, err := s.d.Tickets.Attach(ctx, ticketID, ticket.Upload{CommentID: commentID, Name: part.FileName(), Body: part})
	if ticket.IsTooLarge(err) {
		return nil, &requestError{Status: http.StatusRequestEntityTooLarge, Msg: "err.attachment.too_large",
			Fields: map[string]string{"file": "err.attachment.too_large"}, Err: err}
	}
	if err != nil {
		return nil, err
	}
	n, err := s.d.Tickets.Names(ctx, nil, []int64{a.UploaderID}, nil)
	if err != nil {
		return nil, err
	}
	return apigen.UploadTicketAttachment201JSONResponse(toAttachment(a, n)), nil
}

// uploadFailed is a multipart body that could not be read: over the body limit (413) or malformed (400).
func uploadFailed(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &requestError{Status: http.StatusRequestEntityTooLarge, Msg: "err.attachment.too_large",
			Fields: map[string]string{"file": "err.attachment.too_large"}, Err: err}
	}
	return badRequest("err.invalid", "file", "err.attachment.read", err)
}

// DownloadTicketAttachment sends a file the caller may see.
func (s *server) DownloadTicketAttachment(ctx context.Context, req apigen.DownloadTicketAttachmentRequestObject) (apigen.DownloadTicketAttachmentResponseObject, error) {
	a, data, err := s.d.Tickets.OpenAttachment(ctx, req.Id, req.Aid)
	if err != nil {
		return nil, err
	}
	return attachmentDownload{a: a, data: data}, nil
}

// attachmentDownload writes a file so that no browser runs it: the sniffed type (never HTML), as an
// attachment, without sniffing, and sandboxed should it be opened anyway.
type attachmentDownload struct {
	a    *ticket.Attachment
	data []byte
}

// VisitDownloadTicketAttachmentResponse implements apigen.DownloadTicketAttachmentResponseObject.
func (d attachmentDownload) VisitDownloadTicketAttachmentResponse(w http.ResponseWriter) error {
	h := w.Header()
	h.Set("Content-Type", d.a.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(d.data)))
	h.Set("Content-Disposition", d.a.Disposition())
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(d.data)
	return err
}
