package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// slaCalendar0002 is a business calendar: time zone, weekly hours and make-up-day hours as JSON lists
// of [start, end) minute pairs per weekday.
type slaCalendar0002 struct {
	bun.BaseModel `bun:"table:sla_calendars"`
	ID            int64     `bun:",pk,autoincrement"`
	Name          string    `bun:",notnull,unique"`
	TimeZone      string    `bun:",notnull"`
	AlwaysOpen    bool      `bun:",notnull,default:false"`
	WeekJSON      string    `bun:"week_json,type:text,notnull"`
	MakeupJSON    string    `bun:"makeup_json,type:text,notnull"`
	Version       int       `bun:",notnull,default:1"`
	CreatedAt     time.Time `bun:",notnull"`
	UpdatedAt     time.Time `bun:",notnull"`
}

// slaCalendarDay0002 is a holiday or a make-up working day of one calendar.
type slaCalendarDay0002 struct {
	bun.BaseModel `bun:"table:sla_calendar_days"`
	CalendarID    int64            `bun:",pk"`
	Calendar      *slaCalendar0002 `bun:"rel:belongs-to,join:calendar_id=id,on_delete:cascade"`
	Day           string           `bun:",pk"` // YYYY-MM-DD
	Kind          string           `bun:",notnull"`
	Name          string           `bun:",notnull,default:''"`
}

func register0002(ms *migrate.Migrations) {
	ms.MustRegister(inTx(up0002), inTx(down0002))
}

func up0002(ctx context.Context, tx bun.Tx) error {
	return createTables(ctx, tx, (*slaCalendar0002)(nil), (*slaCalendarDay0002)(nil))
}

func down0002(ctx context.Context, tx bun.Tx) error {
	return exec(ctx, tx, "DROP TABLE IF EXISTS sla_calendar_days", "DROP TABLE IF EXISTS sla_calendars")
}
