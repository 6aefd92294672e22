package api

import (
	"context"
	"net/http"
	"strconv"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/mailin"
)

func mailOut(m *mailin.Mail) apigen.Mail {
	return apigen.Mail{Id: m.ID, MailboxId: m.MailboxID, MessageId: m.MessageID, From: m.From, Subject: m.Subject,
		Size: m.Size, ReceivedAt: m.ReceivedAt.UTC(), Outcome: apigen.MailOutcome(m.Outcome), TicketId: m.TicketID,
		Reason: m.Reason}
}

// ListMail lists the mail that came in, newest first.
func (s *server) ListMail(ctx context.Context, req apigen.ListMailRequestObject) (apigen.ListMailResponseObject, error) {
	f := mailin.MailFilter{MailboxID: or(req.Params.MailboxId, 0), Limit: or(req.Params.Limit, 0)}
	if req.Params.Outcome != nil {
		f.Outcome = mailin.Outcome(*req.Params.Outcome)
	}
	ms, err := s.d.Mail.Mails(ctx, f)
	if err != nil {
		return nil, err
	}
	out := apigen.ListMail200JSONResponse{Items: make([]apigen.Mail, len(ms))}
	for i, m := range ms {
		out.Items[i] = mailOut(m)
	}
	return out, nil
}

// DownloadMailRaw sends the message as it came in.
func (s *server) DownloadMailRaw(ctx context.Context, req apigen.DownloadMailRawRequestObject) (apigen.DownloadMailRawResponseObject, error) {
	raw, err := s.d.Mail.Raw(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return rawMail{id: req.Id, data: raw}, nil
}

// rawMail writes a received message as an .eml download that no browser renders: it was written by
// a stranger.
type rawMail struct {
	id   int64
	data []byte
}

// VisitDownloadMailRawResponse implements apigen.DownloadMailRawResponseObject.
func (d rawMail) VisitDownloadMailRawResponse(w http.ResponseWriter) error {
	writeRawMail(w, d.id, d.data)
	return nil
}

// writeRawMail sends a received message as mail-<id>.eml.
func writeRawMail(w http.ResponseWriter, id int64, data []byte) {
	h := w.Header()
	h.Set("Content-Type", "message/rfc822")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", `attachment; filename="mail-`+strconv.FormatInt(id, 10)+`.eml"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}

// ReleaseMail opens a ticket from a held mail.
func (s *server) ReleaseMail(ctx context.Context, req apigen.ReleaseMailRequestObject) (apigen.ReleaseMailResponseObject, error) {
	m, err := s.d.Mail.Release(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return apigen.ReleaseMail200JSONResponse(mailOut(m)), nil
}

// DiscardMail rejects a held mail.
func (s *server) DiscardMail(ctx context.Context, req apigen.DiscardMailRequestObject) (apigen.DiscardMailResponseObject, error) {
	if err := s.d.Mail.Discard(ctx, req.Id); err != nil {
		return nil, err
	}
	return apigen.DiscardMail204Response{}, nil
}
