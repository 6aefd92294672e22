package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/sla"
)

type slaTimerRow struct {
	bun.BaseModel `bun:"table:sla_timers,alias:st"`
	ID            int64 `bun:",pk,autoincrement"`
	TicketID      int64
	Metric        string
	PolicyID      int64
	StartedAt     time.Time
	TargetSecs    int64
	WarnShare     float64
	PausesJSON    string `bun:"pauses_json"`
	StoppedAt     *time.Time
	DueAt         time.Time
	WarnAt        time.Time
	Warned        bool
	Breached      bool
	NextAt        *time.Time
	State         string
	Version       int
}

type pauseJSON struct {
	Start time.Time  `json:"s"`
	End   *time.Time `json:"e,omitempty"`
}

func fromTimer(t *sla.Timer) (*slaTimerRow, error) {
	ps := make([]pauseJSON, len(t.Pauses))
	for i, p := range t.Pauses {
		ps[i] = pauseJSON{Start: p.Start.UTC(), End: ptrTime(p.End)}
	}
	b, err := json.Marshal(ps)
	return &slaTimerRow{ID: t.ID, TicketID: t.TicketID, Metric: string(t.Metric), PolicyID: t.PolicyID,
		StartedAt: t.StartedAt.UTC(), TargetSecs: int64(t.Target / time.Second), WarnShare: t.WarnShare, PausesJSON: string(b),
		StoppedAt: ptrTime(t.StoppedAt), DueAt: t.DueAt.UTC(), WarnAt: t.WarnAt.UTC(), Warned: t.Warned, Breached: t.Breached,
		NextAt: ptrTime(t.NextAt), State: string(t.State)}, err
}

func toTimer(r *slaTimerRow) (*sla.Timer, error) {
	var ps []pauseJSON
	if err := json.Unmarshal([]byte(r.PausesJSON), &ps); err != nil {
		return nil, err
	}
	t := &sla.Timer{ID: r.ID, TicketID: r.TicketID, Metric: sla.Metric(r.Metric), PolicyID: r.PolicyID, StartedAt: r.StartedAt.UTC(),
		Target: time.Duration(r.TargetSecs) * time.Second, WarnShare: r.WarnShare, StoppedAt: valTime(r.StoppedAt),
		DueAt: r.DueAt.UTC(), WarnAt: r.WarnAt.UTC(), Warned: r.Warned, Breached: r.Breached, NextAt: valTime(r.NextAt),
		State: sla.State(r.State), Version: r.Version}
	for _, p := range ps {
		t.Pauses = append(t.Pauses, sla.Span{Start: p.Start.UTC(), End: valTime(p.End)})
	}
	return t, nil
}

func toTimers(rows []slaTimerRow) ([]*sla.Timer, error) {
	out := make([]*sla.Timer, 0, len(rows))
	for i := range rows {
		t, err := toTimer(&rows[i])
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// Timers lists a ticket's SLA clocks.
func (s SLA) Timers(ctx context.Context, ticketID int64) ([]*sla.Timer, error) {
	var rows []slaTimerRow
	if err := s.r(ctx).NewSelect().Model(&rows).Where("ticket_id = ?", ticketID).OrderExpr("id").Scan(ctx); err != nil {
		return nil, err
	}
	return toTimers(rows)
}

// TimersOf lists the clocks of several tickets, ordered by ticket and id.
func (s SLA) TimersOf(ctx context.Context, ticketIDs []int64) ([]*sla.Timer, error) {
	var rows []slaTimerRow
	if len(ticketIDs) == 0 {
		return nil, nil
	}
	err := s.w(ctx).NewSelect().Model(&rows).Where("ticket_id IN (?)", bun.In(ticketIDs)).OrderExpr("ticket_id, id").Scan(ctx)
	if err != nil {
		return nil, err
	}
	return toTimers(rows)
}

// SaveTimer inserts a ticket's clock of a metric, or replaces it.
func (s SLA) SaveTimer(ctx context.Context, t *sla.Timer) error {
	row, err := fromTimer(t)
	if err != nil {
		return err
	}
	if t.ID == 0 {
		row.Version = 1
		if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return classify(err, "sla.timer")
		}
		t.ID = row.ID
		return nil
	}
	_, err = s.w(ctx).NewUpdate().Model(row).ExcludeColumn("id", "ticket_id", "metric", "version").
		Set("version = version + 1").WherePK().Exec(ctx)
	return err
}

// DueTimers returns up to limit clocks whose next threshold is at or before now, oldest first,
// through the partial index on next_at. On PostgreSQL the rows are locked and rows another replica
// holds are skipped, so that two replicas never work one clock at once; call it in a transaction.
func (s SLA) DueTimers(ctx context.Context, now time.Time, limit int) ([]*sla.Timer, error) {
	var rows []slaTimerRow
	q := s.w(ctx).NewSelect().Model(&rows).Where("next_at IS NOT NULL AND next_at <= ?", now.UTC()).
		OrderExpr("next_at").Limit(int64(limit))
	if s.IsPostgres() {
		q.For("UPDATE SKIP LOCKED")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, err
	}
	return toTimers(rows)
}

// RunningClocks lists the ids and tickets of clocks not stopped of the given policies, in id order
// after afterID (the primary key, filtered: a calendar's clocks are spread over all of them).
func (s SLA) RunningClocks(ctx context.Context, policyIDs []int64, afterID int64, limit int) ([]sla.ClockRef, error) {
	var out []sla.ClockRef
	err := s.w(ctx).NewSelect().Model((*slaTimerRow)(nil)).Column("id", "ticket_id").
		Where("policy_id IN (?) AND stopped_at IS NULL AND id > ?", bun.In(policyIDs), afterID).
		OrderExpr("id").Limit(int64(limit)).Scan(ctx, &out)
	return out, err
}

// SetTicketSLA stores a ticket's resolution due time and the worst state of its clocks.
func (s SLA) SetTicketSLA(ctx context.Context, ticketID int64, due time.Time, state sla.State) error {
	res, err := s.w(ctx).NewUpdate().Table("tickets").Set("sla_due = ?", ptrTime(due)).Set("sla_state = ?", string(state)).
		Where("id = ?", ticketID).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "err.not_found")
	}
	return nil
}

// Savepoint runs fn inside a savepoint of the caller's transaction, rolling back only fn's writes
// when it fails; on PostgreSQL this also clears the transaction's aborted state after a failed
// statement, so that the SLA engine goes on with the next clock. Without a transaction it runs fn
// in one of its own.
func (s SLA) Savepoint(ctx context.Context, fn func(ctx context.Context) error) error {
	if !inTx(ctx) {
		return s.InTx(ctx, fn)
	}
	tx := s.w(ctx)
	if _, err := tx.ExecContext(ctx, "SAVEPOINT sla_fire"); err != nil {
		return err
	}
	if err := fn(ctx); err != nil {
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT sla_fire"); rerr != nil {
			return errors.Join(err, rerr)
		}
		if _, rerr := tx.ExecContext(ctx, "RELEASE SAVEPOINT sla_fire"); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	_, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT sla_fire")
	return err
}
