package store

import (
	"context"

	"github.com/uptrace/bun"

	"opsdesk/internal/audit"
)

// Audit implements audit.Store.
type Audit struct{ *DB }

var _ audit.Store = Audit{}

// Append links e to the chain head and stores it. The head row is locked for the rest of the
// transaction (SELECT … FOR UPDATE on PostgreSQL; SQLite's single writer already excludes others), so
// concurrent writers, even on several replicas, extend one chain without forks.
func (a Audit) Append(ctx context.Context, e *audit.Entry, seal func(*audit.Entry)) error {
	return a.AppendAll(ctx, []*audit.Entry{e}, seal)
}

// auditColumns are the columns of audit_log that AppendAll writes.
var auditColumns = []boundColumn{{"seq", "bigint"}, {"at", "timestamptz"}, {"actor_id", "bigint"},
	{"actor_name", "text"}, {"action", "text"}, {"target_type", "text"}, {"target_id", "text"}, {"ip", "text"},
	{"user_agent", "text"}, {"source", "text"}, {"result", "text"}, {"detail", "text"}, {"before_json", "text"},
	{"after_json", "text"}, {"prev_hash", "text"}, {"hash", "text"}}

// AppendAll links es one after the other to the chain head, stores them in one INSERT and moves the
// head to the last, under the same lock as Append.
func (a Audit) AppendAll(ctx context.Context, es []*audit.Entry, seal func(*audit.Entry)) error {
	if len(es) == 0 {
		return nil
	}
	return a.InTx(ctx, func(ctx context.Context) error {
		var head struct {
			Seq  int64
			Hash string
		}
		q := a.w(ctx).NewSelect().Table("audit_head").Column("seq", "hash").Where("id = 1")
		if a.IsPostgres() {
			q.For("UPDATE")
		}
		if err := q.Scan(ctx, &head.Seq, &head.Hash); err != nil {
			return err
		}
		rows := make([][]any, len(es))
		for i, e := range es {
			e.Seq, e.PrevHash = head.Seq+1, head.Hash
			seal(e)
			head.Seq, head.Hash = e.Seq, e.Hash
			rows[i] = []any{e.Seq, e.At.UTC(), e.ActorID, e.ActorName, e.Action, e.TargetType, e.TargetID, e.IP,
				e.UserAgent, e.Source, e.Result, e.Detail, e.Before, e.After, e.PrevHash, e.Hash}
		}
		// Bound values, not SQL text: the entries carry before/after snapshots (see insertBound).
		if err := a.execBound(ctx, "audit_log", auditColumns, rows); err != nil {
			return err
		}
		_, err := a.w(ctx).NewUpdate().Table("audit_head").Set("seq = ?", head.Seq).Set("hash = ?", head.Hash).Where("id = 1").Exec(ctx)
		return err
	})
}

func toEntry(r *auditRow) *audit.Entry {
	return &audit.Entry{Seq: r.Seq, At: r.At.UTC(), ActorID: r.ActorID, ActorName: r.ActorName, Action: r.Action,
		TargetType: r.TargetType, TargetID: r.TargetID, IP: r.IP, UserAgent: r.UserAgent, Source: r.Source,
		Result: r.Result, Detail: r.Detail, Before: r.BeforeJSON, After: r.AfterJSON, PrevHash: r.PrevHash, Hash: r.Hash}
}

// Search returns entries matching f, newest first, at most f.Limit.
func (a Audit) Search(ctx context.Context, f audit.Filter) ([]*audit.Entry, error) {
	var rows []auditRow
	q := a.r(ctx).NewSelect().Model(&rows)
	if f.Actor != "" {
		q.Where("actor_name = ?", f.Actor)
	}
	if f.Action != "" {
		q.Where("action LIKE ? ESCAPE '\\'", escapeLike(f.Action)+"%")
	}
	if f.TargetType != "" {
		q.Where("target_type = ?", f.TargetType)
	}
	if f.TargetID != "" {
		q.Where("target_id = ?", f.TargetID)
	}
	if f.Result != "" {
		q.Where("result = ?", f.Result)
	}
	if f.IP != "" {
		q.Where("ip = ?", f.IP)
	}
	if !f.From.IsZero() {
		q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q.Where("at < ?", f.To.UTC())
	}
	if f.Text != "" {
		p := "%" + escapeLike(f.Text) + "%"
		q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("detail LIKE ? ESCAPE '\\'", p).WhereOr("before_json LIKE ? ESCAPE '\\'", p).
				WhereOr("after_json LIKE ? ESCAPE '\\'", p).WhereOr("target_id = ?", f.Text)
		})
	}
	if f.BeforeSeq > 0 {
		q.Where("seq < ?", f.BeforeSeq)
	}
	if err := q.OrderExpr("seq DESC").Limit(int64(f.Limit)).Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*audit.Entry, len(rows))
	for i := range rows {
		out[i] = toEntry(&rows[i])
	}
	return out, nil
}

// Each walks the chain in order, a page at a time, so that verifying a long log stays in bounded memory.
func (a Audit) Each(ctx context.Context, fn func(*audit.Entry) error) error {
	var after int64
	for {
		var rows []auditRow
		if err := a.r(ctx).NewSelect().Model(&rows).Where("seq > ?", after).OrderExpr("seq").Limit(1000).Scan(ctx); err != nil {
			return err
		}
		for i := range rows {
			if err := fn(toEntry(&rows[i])); err != nil {
				return err
			}
		}
		if len(rows) < 1000 {
			return nil
		}
		after = rows[len(rows)-1].Seq
	}
}
