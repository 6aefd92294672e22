package store

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/ticket"
)

// The service-desk report's aggregates (ticket.ReportStore). Ticket figures group the tickets opened
// in the period: the period is a range of tickets_created (migration 0012), and the visibility
// conditions are List's (where); one's own lines read tickets_owner or tickets_assignee_created
// (0012). History figures (escalations out, flagged skips) read the steps of a kind in the period
// through ticket_events_kind_at (0012). Averages are left to the domain, which divides the sums, so
// both engines give the same numbers.

var _ ticket.ReportStore = Tickets{}

// doneSQL is true for a resolved or closed ticket.
const doneSQL = "t.status IN ('resolved', 'closed')"

// ReportOwners counts per first-contact owner the tickets taken, resolved and handed over.
func (s Tickets) ReportOwners(ctx context.Context, q ticket.ReportQuery) ([]ticket.OwnerLine, error) {
	var rows []struct {
		UserID     int64
		Taken      int
		Resolved   int
		HandedOver int
	}
	sel := s.r(ctx).NewSelect().Model((*ticketRow)(nil)).ColumnExpr("t.owner_id AS user_id, count(*) AS taken").
		ColumnExpr("sum(CASE WHEN " + doneSQL + " THEN 1 ELSE 0 END) AS resolved").
		ColumnExpr(`sum(CASE WHEN t.assignee_id <> t.owner_id OR t.assignee_id IS NULL AND t.group_id IS NOT NULL
			THEN 1 ELSE 0 END) AS handed_over`).
		Where("t.owner_id IS NOT NULL").GroupExpr("t.owner_id").OrderExpr("taken DESC, t.owner_id")
	if err := s.where(sel, q.Filter).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make([]ticket.OwnerLine, len(rows))
	for i, r := range rows {
		out[i] = ticket.OwnerLine{UserID: r.UserID, Taken: r.Taken, Resolved: r.Resolved, HandedOver: r.HandedOver}
	}
	return out, nil
}

// ReportEngineers sums per assignee the tickets assigned and resolved, the minutes recorded on the
// resolved ones, the answered satisfaction surveys, urges and reopened tickets.
func (s Tickets) ReportEngineers(ctx context.Context, q ticket.ReportQuery) ([]ticket.EngineerLine, error) {
	var rows []struct {
		UserID   int64
		Assigned int
		Resolved int
		Minutes  int
		Rated    int
		ScoreSum int
		Urges    int
		Reopened int
	}
	sel := s.r(ctx).NewSelect().Model((*ticketRow)(nil)).
		Join("LEFT JOIN ticket_surveys AS sv ON sv.ticket_id = t.id AND sv.answered_at IS NOT NULL").
		ColumnExpr("t.assignee_id AS user_id, count(*) AS assigned").
		ColumnExpr("sum(CASE WHEN " + doneSQL + " THEN 1 ELSE 0 END) AS resolved").
		ColumnExpr("sum(CASE WHEN " + doneSQL + " THEN t.minutes_spent ELSE 0 END) AS minutes").
		ColumnExpr("count(sv.score) AS rated, coalesce(sum(sv.score), 0) AS score_sum").
		ColumnExpr("sum(t.urge_count) AS urges, sum(CASE WHEN t.reopen_count > 0 THEN 1 ELSE 0 END) AS reopened").
		Where("t.assignee_id IS NOT NULL").GroupExpr("t.assignee_id").OrderExpr("assigned DESC, t.assignee_id")
	if err := s.where(sel, q.Filter).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make([]ticket.EngineerLine, len(rows))
	for i, r := range rows {
		out[i] = ticket.EngineerLine{UserID: r.UserID, Assigned: r.Assigned, Resolved: r.Resolved, Minutes: r.Minutes,
			Rated: r.Rated, ScoreSum: r.ScoreSum, Urges: r.Urges, Reopened: r.Reopened}
	}
	return out, nil
}

// ReportGroups counts per support group the tickets opened in its queue and resolved, and the
// escalations (skips included) that left it in the period.
func (s Tickets) ReportGroups(ctx context.Context, q ticket.ReportQuery) ([]ticket.GroupLine, error) {
	var opened []struct {
		GroupID  int64
		Opened   int
		Resolved int
	}
	sel := s.r(ctx).NewSelect().Model((*ticketRow)(nil)).ColumnExpr("t.group_id, count(*) AS opened").
		ColumnExpr("sum(CASE WHEN " + doneSQL + " THEN 1 ELSE 0 END) AS resolved").
		Where("t.group_id IS NOT NULL").GroupExpr("t.group_id")
	if err := s.where(sel, q.Filter).Scan(ctx, &opened); err != nil {
		return nil, err
	}
	var out []struct {
		GroupID int64
		N       int
	}
	esc := s.events(ctx, q, []string{string(ticket.EvEscalated), string(ticket.EvSkipped)}).
		ColumnExpr("e.from_group_id AS group_id, count(*) AS n").Where("e.from_group_id <> 0").GroupExpr("e.from_group_id")
	if err := esc.Scan(ctx, &out); err != nil {
		return nil, err
	}
	lines := map[int64]*ticket.GroupLine{}
	var order []int64
	line := func(id int64) *ticket.GroupLine {
		if lines[id] == nil {
			lines[id] = &ticket.GroupLine{GroupID: id}
			order = append(order, id)
		}
		return lines[id]
	}
	for _, r := range opened {
		l := line(r.GroupID)
		l.Opened, l.Resolved = r.Opened, r.Resolved
	}
	for _, r := range out {
		line(r.GroupID).EscalatedOut = r.N
	}
	res := make([]ticket.GroupLine, len(order))
	for i, id := range order {
		res[i] = *lines[id]
	}
	// Busiest first, then by id, so that both engines agree.
	slices.SortFunc(res, func(a, b ticket.GroupLine) int {
		return cmp.Or(cmp.Compare(b.Opened, a.Opened), cmp.Compare(b.EscalatedOut, a.EscalatedOut), cmp.Compare(a.GroupID, b.GroupID))
	})
	return res, nil
}

// ReportMix counts the tickets by type, channel and priority.
func (s Tickets) ReportMix(ctx context.Context, q ticket.ReportQuery) ([]ticket.Mix, error) {
	var rows []struct {
		Type     string
		Channel  string
		Priority int
		N        int
	}
	sel := s.r(ctx).NewSelect().Model((*ticketRow)(nil)).ColumnExpr("t.type, t.channel, t.priority, count(*) AS n").
		GroupExpr("t.type, t.channel, t.priority")
	if err := s.where(sel, q.Filter).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make([]ticket.Mix, len(rows))
	for i, r := range rows {
		out[i] = ticket.Mix{Type: ticket.Type(r.Type), Channel: ticket.Channel(r.Channel), Priority: ticket.Priority(r.Priority), Count: r.N}
	}
	return out, nil
}

// ReportSkips lists the flagged emergency skips (越级) of the period, oldest first, up to q.Limit.
func (s Tickets) ReportSkips(ctx context.Context, q ticket.ReportQuery) ([]ticket.Skip, error) {
	var rows []struct {
		ID          int64
		TicketID    int64
		Number      string
		Subject     string
		ActorID     *int64
		FromGroupID int64
		ToGroupID   int64
		ToUserID    int64
		Reason      string
		At          time.Time
	}
	sel := s.events(ctx, q, []string{string(ticket.EvSkipped)}).Where("e.flagged").
		ColumnExpr("e.id, e.ticket_id, t.number, t.subject, e.actor_id, e.from_group_id, e.to_group_id, e.to_user_id, e.reason, e.at").
		OrderExpr("e.at, e.id")
	if q.ActorID != 0 {
		sel.Where("e.actor_id = ?", q.ActorID)
	}
	if q.Limit > 0 {
		sel.Limit(int64(q.Limit))
	}
	if err := sel.Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make([]ticket.Skip, len(rows))
	for i, r := range rows {
		out[i] = ticket.Skip{EventID: r.ID, TicketID: r.TicketID, Number: r.Number, Subject: r.Subject, ActorID: valID(r.ActorID),
			FromGroup: r.FromGroupID, ToGroup: r.ToGroupID, ToUser: r.ToUserID, Reason: r.Reason, At: r.At.UTC()}
	}
	return out, nil
}

// events selects the history steps of the given kinds taken in [q.From, q.To), joined to their
// tickets under the visibility conditions of q.Filter (its creation period aside).
func (s Tickets) events(ctx context.Context, q ticket.ReportQuery, kinds []string) *bun.SelectQuery {
	f := q.Filter
	f.CreatedAfter, f.CreatedBefore = time.Time{}, time.Time{}
	sel := s.r(ctx).NewSelect().TableExpr("ticket_events AS e").Join("JOIN tickets AS t ON t.id = e.ticket_id").
		Where("e.kind IN (?)", bun.In(kinds)).Where("e.at >= ?", q.From.UTC()).Where("e.at < ?", q.To.UTC())
	return s.where(sel, f)
}
