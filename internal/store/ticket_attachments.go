package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/ticket"
)

var _ ticket.FileStore = Tickets{}

// ticketAttachmentRow is an attachment's details; the bytes are in ticket_attachment_contents, which
// only AttachmentContent reads.
type ticketAttachmentRow struct {
	bun.BaseModel `bun:"table:ticket_attachments"`
	ID            int64 `bun:",pk,autoincrement"`
	TicketID      int64
	CommentID     *int64
	Internal      bool
	Name          string
	ContentType   string
	Size          int64
	SHA256        string `bun:"sha256"`
	UploaderID    *int64
	CreatedAt     time.Time
}

func toAttachment(r *ticketAttachmentRow) *ticket.Attachment {
	return &ticket.Attachment{ID: r.ID, TicketID: r.TicketID, CommentID: valID(r.CommentID), Internal: r.Internal,
		Name: r.Name, ContentType: r.ContentType, Size: r.Size, SHA256: r.SHA256, UploaderID: valID(r.UploaderID),
		CreatedAt: r.CreatedAt.UTC()}
}

// AddAttachment stores an attachment's details and content, in the caller's transaction.
func (s Tickets) AddAttachment(ctx context.Context, a *ticket.Attachment, content []byte) error {
	row := &ticketAttachmentRow{TicketID: a.TicketID, CommentID: ptrID(a.CommentID), Internal: a.Internal, Name: a.Name,
		ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256, UploaderID: ptrID(a.UploaderID), CreatedAt: a.CreatedAt.UTC()}
	if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return classify(err, "attachment")
	}
	a.ID = row.ID
	// bun writes values into the SQL text: a 20 MiB file would become a 40 MiB hex literal. The
	// content goes through database/sql as a bound parameter instead, in the same transaction.
	q := `INSERT INTO ticket_attachment_contents (attachment_id, data) VALUES (?, ?)`
	if s.Driver == Postgres {
		q = `INSERT INTO ticket_attachment_contents (attachment_id, data) VALUES ($1, $2)`
	}
	var err error
	if tx, ok := ctx.Value(txKey{}).(bun.Tx); ok {
		_, err = tx.Tx.ExecContext(ctx, q, row.ID, content)
	} else {
		_, err = s.W.DB.ExecContext(ctx, q, row.ID, content)
	}
	return classify(err, "attachment")
}

// Attachments lists a ticket's attachments in upload order, without reading their content.
func (s Tickets) Attachments(ctx context.Context, ticketID int64, withInternal bool) ([]*ticket.Attachment, error) {
	var rows []ticketAttachmentRow
	q := s.r(ctx).NewSelect().Model(&rows).Where("ticket_id = ?", ticketID).OrderExpr("id")
	if !withInternal {
		q = q.Where("NOT internal")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*ticket.Attachment, len(rows))
	for i := range rows {
		out[i] = toAttachment(&rows[i])
	}
	return out, nil
}

// Attachment returns one attachment of a ticket.
func (s Tickets) Attachment(ctx context.Context, ticketID, id int64) (*ticket.Attachment, error) {
	var row ticketAttachmentRow
	if err := s.r(ctx).NewSelect().Model(&row).Where("id = ? AND ticket_id = ?", id, ticketID).Scan(ctx); err != nil {
		return nil, classify(err, "attachment")
	}
	return toAttachment(&row), nil
}

// AttachmentContent reads an attachment's bytes.
func (s Tickets) AttachmentContent(ctx context.Context, id int64) ([]byte, error) {
	var data []byte
	err := s.r(ctx).NewSelect().Table("ticket_attachment_contents").Column("data").Where("attachment_id = ?", id).Scan(ctx, &data)
	if err != nil {
		return nil, classify(err, "attachment")
	}
	return data, nil
}
