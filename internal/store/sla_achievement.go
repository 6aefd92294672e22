package store

import (
	"context"
	"time"

	"opsdesk/internal/sla"
	"opsdesk/internal/ticket"
)

// Achievement counts, per ticket priority and group, the clocks of tickets under scope that stopped
// met or missed in [from, to), and the breaches fired in it (ticket_events of kind sla_breach).
func (s SLA) Achievement(ctx context.Context, scope string, from, to time.Time) ([]sla.AchievementRow, error) {
	type count struct {
		Priority int
		GroupID  int64
		State    string
		N        int
	}
	var clocks, breaches []count
	err := s.r(ctx).NewSelect().TableExpr("sla_timers AS st").Join("JOIN tickets AS t ON t.id = st.ticket_id").
		ColumnExpr("t.priority, COALESCE(t.group_id, 0) AS group_id, st.state, COUNT(*) AS n").
		Where("st.stopped_at >= ? AND st.stopped_at < ?", from.UTC(), to.UTC()).
		Where("st.state IN (?, ?)", string(sla.Met), string(sla.Missed)).
		Where("t.org_path LIKE ?", likePrefix(scope)).
		GroupExpr("t.priority, COALESCE(t.group_id, 0), st.state").Scan(ctx, &clocks)
	if err != nil {
		return nil, err
	}
	err = s.r(ctx).NewSelect().TableExpr("ticket_events AS e").Join("JOIN tickets AS t ON t.id = e.ticket_id").
		ColumnExpr("t.priority, COALESCE(t.group_id, 0) AS group_id, '' AS state, COUNT(*) AS n").
		Where("e.kind = ? AND e.at >= ? AND e.at < ?", string(ticket.EvSLABreach), from.UTC(), to.UTC()).
		Where("t.org_path LIKE ?", likePrefix(scope)).
		GroupExpr("t.priority, COALESCE(t.group_id, 0)").Scan(ctx, &breaches)
	if err != nil {
		return nil, err
	}
	type key struct {
		p int
		g int64
	}
	rows := map[key]*sla.AchievementRow{}
	at := func(p int, g int64) *sla.AchievementRow {
		r, ok := rows[key{p, g}]
		if !ok {
			r = &sla.AchievementRow{Priority: p, GroupID: g}
			rows[key{p, g}] = r
		}
		return r
	}
	for _, c := range clocks {
		if c.State == string(sla.Met) {
			at(c.Priority, c.GroupID).Met += c.N
		} else {
			at(c.Priority, c.GroupID).Missed += c.N
		}
	}
	for _, c := range breaches {
		at(c.Priority, c.GroupID).Breaches += c.N
	}
	out := make([]sla.AchievementRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	return out, nil
}
