package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// ticketAttachment0007 describes a file attached to a ticket (附件), or to one of its comments. The
// bytes live in ticket_attachment_contents, so that listing a ticket's files never reads them; both
// are in the database, so that every replica serves every file without a shared disk.
type ticketAttachment0007 struct {
	bun.BaseModel `bun:"table:ticket_attachments"`
	ID            int64              `bun:",pk,autoincrement"`
	TicketID      int64              `bun:",notnull"`
	Ticket        *ticket0003        `bun:"rel:belongs-to,join:ticket_id=id,on_delete:cascade"`
	CommentID     *int64             `bun:"comment_id"`
	Comment       *ticketComment0003 `bun:"rel:belongs-to,join:comment_id=id,on_delete:cascade"`
	Internal      bool               `bun:",notnull,default:false"` // on an internal note: staff only
	Name          string             `bun:",notnull"`
	ContentType   string             `bun:",notnull"`
	Size          int64              `bun:",notnull"`
	SHA256        string             `bun:"sha256,notnull"`
	UploaderID    *int64             `bun:"uploader_id"`
	Uploader      *user0001          `bun:"rel:belongs-to,join:uploader_id=id"`
	CreatedAt     time.Time          `bun:",notnull"`
}

// ticketAttachmentContent0007 is the content of an attachment: BLOB on SQLite, bytea on PostgreSQL.
type ticketAttachmentContent0007 struct {
	bun.BaseModel `bun:"table:ticket_attachment_contents"`
	AttachmentID  int64                 `bun:",pk"`
	Attachment    *ticketAttachment0007 `bun:"rel:belongs-to,join:attachment_id=id,on_delete:cascade"`
	Data          []byte                `bun:",notnull"`
}

func register0007(ms *migrate.Migrations) {
	ms.MustRegister(inTx(up0007), inTx(down0007))
}

func up0007(ctx context.Context, tx bun.Tx) error {
	if err := createTables(ctx, tx, (*ticketAttachment0007)(nil), (*ticketAttachmentContent0007)(nil)); err != nil {
		return err
	}
	return exec(ctx, tx, `CREATE INDEX ticket_attachments_ticket ON ticket_attachments (ticket_id, id)`)
}

func down0007(ctx context.Context, tx bun.Tx) error {
	return exec(ctx, tx, `DROP TABLE IF EXISTS ticket_attachment_contents`, `DROP TABLE IF EXISTS ticket_attachments`)
}
