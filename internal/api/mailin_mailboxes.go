package api

import (
	"context"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/mailin"
)

// mailboxOut maps a mailbox; a stored password shows only as the mask, whatever the service left in m
// (SaveMailbox leaves the password it saved).
func mailboxOut(m *mailin.Mailbox) apigen.Mailbox {
	password := ""
	if m.Password != "" {
		password = mailin.Mask
	}
	return apigen.Mailbox{Id: m.ID, Name: m.Name, Enabled: m.Enabled, Host: m.Host, Port: m.Port, Tls: m.TLS,
		Username: m.Username, Password: password, Folder: m.Folder, Address: m.Address, PollSeconds: m.PollSeconds,
		LastPolledAt: timeOrNil(m.LastPolledAt), LastError: m.LastError, Version: m.Version}
}

func mailboxIn(id int64, b *apigen.MailboxInput) *mailin.Mailbox {
	return &mailin.Mailbox{ID: id, Name: b.Name, Enabled: or(b.Enabled, true), Host: b.Host, Port: b.Port,
		TLS: string(b.Tls), Username: b.Username, Password: or(b.Password, ""), Folder: or(b.Folder, ""),
		Address: b.Address, PollSeconds: or(b.PollSeconds, 0)}
}

// ListMailboxes lists the mailboxes.
func (s *server) ListMailboxes(ctx context.Context, _ apigen.ListMailboxesRequestObject) (apigen.ListMailboxesResponseObject, error) {
	ms, err := s.d.Mail.Mailboxes(ctx)
	if err != nil {
		return nil, err
	}
	out := apigen.ListMailboxes200JSONResponse{Items: make([]apigen.Mailbox, len(ms))}
	for i, m := range ms {
		out.Items[i] = mailboxOut(m)
	}
	return out, nil
}

// GetMailbox returns one mailbox.
func (s *server) GetMailbox(ctx context.Context, req apigen.GetMailboxRequestObject) (apigen.GetMailboxResponseObject, error) {
	m, err := s.d.Mail.Mailbox(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return apigen.GetMailbox200JSONResponse{Body: mailboxOut(m), Headers: apigen.GetMailbox200ResponseHeaders{ETag: etag(m.Version)}}, nil
}

// CreateMailbox adds a mailbox.
func (s *server) CreateMailbox(ctx context.Context, req apigen.CreateMailboxRequestObject) (apigen.CreateMailboxResponseObject, error) {
	m := mailboxIn(0, req.Body)
	if err := s.d.Mail.SaveMailbox(ctx, m); err != nil {
		return nil, err
	}
	return apigen.CreateMailbox201JSONResponse{Body: mailboxOut(m), Headers: apigen.CreateMailbox201ResponseHeaders{ETag: etag(m.Version)}}, nil
}

// UpdateMailbox replaces a mailbox at the version the editor saw.
func (s *server) UpdateMailbox(ctx context.Context, req apigen.UpdateMailboxRequestObject) (apigen.UpdateMailboxResponseObject, error) {
	v, err := versionOf(req.Params.IfMatch, req.Body.Version)
	if err != nil {
		return nil, err
	}
	m := mailboxIn(req.Id, req.Body)
	m.Version = v
	if err := s.d.Mail.SaveMailbox(ctx, m); err != nil {
		return nil, err
	}
	return apigen.UpdateMailbox200JSONResponse{Body: mailboxOut(m), Headers: apigen.UpdateMailbox200ResponseHeaders{ETag: etag(m.Version)}}, nil
}

// DeleteMailbox removes a mailbox.
func (s *server) DeleteMailbox(ctx context.Context, req apigen.DeleteMailboxRequestObject) (apigen.DeleteMailboxResponseObject, error) {
	if err := s.d.Mail.DeleteMailbox(ctx, req.Id); err != nil {
		return nil, err
	}
	return apigen.DeleteMailbox204Response{}, nil
}
