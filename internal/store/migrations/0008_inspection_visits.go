package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// ticketVisit0008 is an on-site service visit (现场服务) of a ticket: planned time and address,
// arrival, completion, the work log and the parts replaced. The visits make the ticket's service
// report (维修服务报告); the requester's confirmation is kept on each visit it covered.
type ticketVisit0008 struct {
	bun.BaseModel `bun:"table:ticket_visits"`
	ID            int64       `bun:",pk,autoincrement"`
	TicketID      int64       `bun:",notnull"`
	Ticket        *ticket0003 `bun:"rel:belongs-to,join:ticket_id=id,on_delete:cascade"`
	EngineerID    *int64      `bun:"engineer_id"`
	Engineer      *user0001   `bun:"rel:belongs-to,join:engineer_id=id"`
	PlannedAt     time.Time   `bun:",notnull"`
	Address       string      `bun:",notnull,default:''"`
	ArrivedAt     *time.Time
	CompletedAt   *time.Time
	WorkLog       string     `bun:",type:text,notnull,default:''"`
	Parts         string     `bun:",type:text,notnull,default:''"`
	ConfirmedAt   *time.Time `bun:"confirmed_at"`
	ConfirmedBy   *int64     `bun:"confirmed_by"`
	Confirmer     *user0001  `bun:"rel:belongs-to,join:confirmed_by=id"`
	ConfirmNote   string     `bun:",type:text,notnull,default:''"`
	CreatedAt     time.Time  `bun:",notnull"`
	Version       int        `bun:",notnull,default:1"`
}

// inspectionItem0008 is one point of the quality-inspection checklist (质检项) with its weight.
// Scored inspections copy names and weights, so the checklist can change without rewriting them.
type inspectionItem0008 struct {
	bun.BaseModel `bun:"table:inspection_items"`
	ID            int64  `bun:",pk,autoincrement"`
	Sort          int    `bun:",notnull,default:0"`
	Name          string `bun:",notnull"`
	NameEN        string `bun:"name_en,notnull,default:''"`
	Weight        int    `bun:",notnull"`
	Active        bool   `bun:",notnull,default:true"`
}

// ticketInspection0008 is one closed ticket drawn for quality inspection (质检) and, once scored,
// its marks (a JSON list of item, weight and points), weighted total and comment. A ticket is
// drawn at most once: the unique ticket_id makes concurrent samples skip each other's picks.
type ticketInspection0008 struct {
	bun.BaseModel `bun:"table:ticket_inspections"`
	ID            int64       `bun:",pk,autoincrement"`
	TicketID      int64       `bun:",notnull,unique"`
	Ticket        *ticket0003 `bun:"rel:belongs-to,join:ticket_id=id,on_delete:cascade"`
	EngineerID    int64       `bun:",notnull,default:0"`
	Rule          string      `bun:",notnull"`
	SampledBy     *int64      `bun:"sampled_by"`
	Sampler       *user0001   `bun:"rel:belongs-to,join:sampled_by=id"`
	SampledAt     time.Time   `bun:",notnull"`
	InspectorID   *int64      `bun:"inspector_id"`
	Inspector     *user0001   `bun:"rel:belongs-to,join:inspector_id=id"`
	ScoredAt      *time.Time
	Score         float64 `bun:",type:double precision,notnull,default:0"`
	Items         string  `bun:",type:text,notnull,default:'[]'"`
	Comment       string  `bun:",type:text,notnull,default:''"`
	Version       int     `bun:",notnull,default:1"`
}

// seedChecklist0008 is the shipped checklist; administrators edit it afterwards. Weights sum to 100.
var seedChecklist0008 = []struct {
	name, en string
	weight   int
}{
	{"响应及时", "Timely response", 20},
	{"记录完整", "Complete record", 20},
	{"解决方案准确", "Accurate solution", 25},
	{"沟通礼貌规范", "Courteous, standard communication", 20},
	{"按时回访", "Follow-up on time", 15},
}

func register0008(ms *migrate.Migrations) {
	ms.MustRegister(inTx(up0008), inTx(down0008))
}

func up0008(ctx context.Context, tx bun.Tx) error {
	if err := createTables(ctx, tx, (*ticketVisit0008)(nil), (*inspectionItem0008)(nil), (*ticketInspection0008)(nil)); err != nil {
		return err
	}
	err := exec(ctx, tx,
		`CREATE INDEX ticket_visits_ticket ON ticket_visits (ticket_id, planned_at)`,
		`CREATE INDEX ticket_inspections_engineer ON ticket_inspections (engineer_id, scored_at)`,
		`CREATE INDEX ticket_inspections_sampled ON ticket_inspections (sampled_at)`,
		// Sampling reads the closed tickets of a period.
		`CREATE INDEX tickets_closed ON tickets (status, closed_at)`,
	)
	if err != nil {
		return err
	}
	for i, c := range seedChecklist0008 {
		item := &inspectionItem0008{Sort: (i + 1) * 10, Name: c.name, NameEN: c.en, Weight: c.weight, Active: true}
		if _, err := tx.NewInsert().Model(item).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

func down0008(ctx context.Context, tx bun.Tx) error {
	return exec(ctx, tx, `DROP INDEX IF EXISTS tickets_closed`, `DROP TABLE IF EXISTS ticket_inspections`,
		`DROP TABLE IF EXISTS inspection_items`, `DROP TABLE IF EXISTS ticket_visits`)
}
