package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

var _ ticket.InspectionStore = Tickets{}

// maxCandidates bounds the closed tickets one sample reads: a period of a large centre, not its
// whole history.
const maxCandidates = 100000

type inspectionItemRow struct {
	bun.BaseModel `bun:"table:inspection_items"`
	ID            int64 `bun:",pk,autoincrement"`
	Sort          int
	Name          string
	NameEN        string `bun:"name_en"`
	Weight        int
	Active        bool
}

type inspectionRow struct {
	bun.BaseModel `bun:"table:ticket_inspections,alias:i"`
	ID            int64 `bun:",pk,autoincrement"`
	TicketID      int64
	EngineerID    int64
	Rule          string
	SampledBy     *int64
	SampledAt     time.Time
	InspectorID   *int64
	ScoredAt      *time.Time
	Score         float64
	Items         string
	Comment       string
	Version       int
}

// inspectionListRow is an inspection with its ticket's number, subject and closing time.
type inspectionListRow struct {
	inspectionRow `bun:",extend"`
	Number        string
	Subject       string
	ClosedAt      *time.Time
}

func (r *inspectionListRow) inspection() (*ticket.Inspection, error) {
	in := &ticket.Inspection{ID: r.ID, TicketID: r.TicketID, Number: r.Number, Subject: r.Subject, ClosedAt: valTime(r.ClosedAt),
		EngineerID: r.EngineerID, Rule: ticket.SampleRule(r.Rule), SampledBy: valID(r.SampledBy), SampledAt: r.SampledAt.UTC(),
		InspectorID: valID(r.InspectorID), ScoredAt: valTime(r.ScoredAt), Score: r.Score, Comment: r.Comment, Version: r.Version}
	if r.Items != "" {
		if err := json.Unmarshal([]byte(r.Items), &in.Items); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// Checklist lists the checklist items in order, inactive ones included.
func (s Tickets) Checklist(ctx context.Context) ([]*ticket.ChecklistItem, error) {
	var rows []inspectionItemRow
	if err := s.r(ctx).NewSelect().Model(&rows).OrderExpr("sort, id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*ticket.ChecklistItem, len(rows))
	for i, r := range rows {
		out[i] = &ticket.ChecklistItem{ID: r.ID, Sort: r.Sort, Name: r.Name, NameEN: r.NameEN, Weight: r.Weight, Active: r.Active}
	}
	return out, nil
}

// SaveChecklist replaces the checklist in one transaction.
func (s Tickets) SaveChecklist(ctx context.Context, items []*ticket.ChecklistItem) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		var keep []int64
		for i, c := range items {
			row := &inspectionItemRow{ID: c.ID, Sort: c.Sort, Name: c.Name, NameEN: c.NameEN, Weight: c.Weight, Active: c.Active}
			if row.Sort == 0 {
				row.Sort = (i + 1) * 10
			}
			if c.ID != 0 {
				res, err := s.w(ctx).NewUpdate().Model(row).WherePK().Exec(ctx)
				if err != nil {
					return classify(err, "inspection_item")
				}
				if n, _ := res.RowsAffected(); n == 1 {
					keep = append(keep, c.ID)
					continue
				}
				row.ID = 0 // gone meanwhile: insert it again
			}
			if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
				return classify(err, "inspection_item")
			}
			c.ID = row.ID
			keep = append(keep, row.ID)
		}
		q := s.w(ctx).NewDelete().Model((*inspectionItemRow)(nil))
		if len(keep) > 0 {
			q.Where("id NOT IN (?)", bun.In(keep))
		} else {
			q.Where("1 = 1")
		}
		_, err := q.Exec(ctx)
		return err
	})
}

// SampleCandidates lists the closed, never inspected tickets of c's period, scope and rule.
func (s Tickets) SampleCandidates(ctx context.Context, c ticket.Candidates) ([]int64, error) {
	q := s.r(ctx).NewSelect().TableExpr("tickets AS t").Column("t.id").
		Where("t.status = ?", string(ticket.Closed)).
		Where("t.closed_at >= ? AND t.closed_at < ?", c.From.UTC(), c.To.UTC()).
		Where("NOT EXISTS (SELECT 1 FROM ticket_inspections x WHERE x.ticket_id = t.id)")
	if c.Scope != "" {
		q.Where("t.org_path LIKE ?", likePrefix(c.Scope))
	}
	switch c.Rule {
	case ticket.SampleLowRating:
		q.Where(`EXISTS (SELECT 1 FROM ticket_surveys sv WHERE sv.ticket_id = t.id AND sv.answered_at IS NOT NULL
			AND sv.score BETWEEN 1 AND ?)`, ticket.LowRating)
	case ticket.SampleReopened:
		q.Where("t.reopen_count > 0")
	case ticket.SampleSkipped:
		q.Where("t.skip_flag")
	}
	var ids []int64
	err := q.OrderExpr("t.id").Limit(maxCandidates).Scan(ctx, &ids)
	return ids, err
}

// AddInspections inserts the inspections whose ticket nobody inspected meanwhile.
func (s Tickets) AddInspections(ctx context.Context, ins []*ticket.Inspection) ([]*ticket.Inspection, error) {
	var out []*ticket.Inspection
	err := s.InTx(ctx, func(ctx context.Context) error {
		for _, in := range ins {
			var id int64
			err := s.w(ctx).NewRaw(`INSERT INTO ticket_inspections (ticket_id, engineer_id, rule, sampled_by, sampled_at, score, items, comment, version)
				VALUES (?, ?, ?, ?, ?, 0, '[]', '', 1) ON CONFLICT (ticket_id) DO NOTHING RETURNING id`,
				in.TicketID, in.EngineerID, string(in.Rule), ptrID(in.SampledBy), in.SampledAt.UTC()).Scan(ctx, &id)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return classify(err, "inspection")
			}
			in.ID, in.Version = id, 1
			out = append(out, in)
		}
		return nil
	})
	return out, err
}

func (s Tickets) inspectionQuery(ctx context.Context, rows *[]inspectionListRow) *bun.SelectQuery {
	return s.r(ctx).NewSelect().Model(rows).ColumnExpr("i.*").ColumnExpr("t.number, t.subject, t.closed_at").
		Join("JOIN tickets AS t ON t.id = i.ticket_id")
}

// Inspection loads one inspection with its ticket's number and subject.
func (s Tickets) Inspection(ctx context.Context, id int64) (*ticket.Inspection, error) {
	var rows []inspectionListRow
	if err := s.inspectionQuery(ctx, &rows).Where("i.id = ?", id).Scan(ctx); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, errs.E(errs.NotFound, "err.not_found")
	}
	return rows[0].inspection()
}

// ScoreInspection saves the marks when the version is current and bumps it.
func (s Tickets) ScoreInspection(ctx context.Context, in *ticket.Inspection) error {
	items, err := json.Marshal(in.Items)
	if err != nil {
		return err
	}
	res, err := s.w(ctx).NewUpdate().Model((*inspectionRow)(nil)).
		Set("inspector_id = ?", ptrID(in.InspectorID)).Set("scored_at = ?", ptrTime(in.ScoredAt)).
		Set("score = ?", in.Score).Set("items = ?", string(items)).Set("comment = ?", in.Comment).
		Set("version = version + 1").Where("id = ? AND version = ?", in.ID, in.Version).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.Conflict, "err.stale")
	}
	in.Version++
	return nil
}

func inspectionWhere(q *bun.SelectQuery, f ticket.InspectionFilter) *bun.SelectQuery {
	if f.Scope != "" {
		q.Where("t.org_path LIKE ?", likePrefix(f.Scope))
	}
	if f.EngineerID != 0 {
		q.Where("i.engineer_id = ?", f.EngineerID)
	}
	if f.Scored != nil {
		if *f.Scored {
			q.Where("i.scored_at IS NOT NULL")
		} else {
			q.Where("i.scored_at IS NULL")
		}
	}
	if !f.From.IsZero() {
		q.Where("i.sampled_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q.Where("i.sampled_at < ?", f.To.UTC())
	}
	return q
}

// Inspections lists inspections matching f, newest first.
func (s Tickets) Inspections(ctx context.Context, f ticket.InspectionFilter) ([]*ticket.Inspection, error) {
	var rows []inspectionListRow
	q := inspectionWhere(s.inspectionQuery(ctx, &rows), f).OrderExpr("i.id DESC")
	if f.Limit > 0 {
		q.Limit(int64(f.Limit))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*ticket.Inspection, len(rows))
	for i := range rows {
		in, err := rows[i].inspection()
		if err != nil {
			return nil, err
		}
		out[i] = in
	}
	return out, nil
}

// EngineerScores averages the scored inspections matching f per engineer, best first.
func (s Tickets) EngineerScores(ctx context.Context, f ticket.InspectionFilter) ([]ticket.EngineerScore, error) {
	var rows []struct {
		EngineerID int64
		N          int
		Average    float64
	}
	scored := true
	f.Scored = &scored
	q := s.r(ctx).NewSelect().TableExpr("ticket_inspections AS i").Join("JOIN tickets AS t ON t.id = i.ticket_id").
		ColumnExpr("i.engineer_id, count(*) AS n, avg(i.score) AS average")
	err := inspectionWhere(q, f).GroupExpr("i.engineer_id").OrderExpr("average DESC, i.engineer_id").Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	out := make([]ticket.EngineerScore, len(rows))
	for i, r := range rows {
		out[i] = ticket.EngineerScore{EngineerID: r.EngineerID, Count: r.N, Average: r.Average}
	}
	return out, nil
}
