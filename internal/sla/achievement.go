package sla

import (
	"cmp"
	"context"
	"slices"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// SLA achievement (达成率): for a period, the clocks that stopped in it — met or missed — and the
// breaches that fired in it, per priority, per support group and in all. A clock counts in the
// period it stopped in; priority and group are the ticket's now. Supervisors (ticket.manage) see
// their service area.

// AchievementRow is what the store counts for one priority and group: clocks met and missed that
// stopped in the period, and breaches fired in it.
type AchievementRow struct {
	Priority int
	GroupID  int64 // 0 for tickets in no group
	Met      int
	Missed   int
	Breaches int
}

// AchievementStore counts clocks and breaches of tickets under scope (an organisation path prefix)
// in [from, to).
type AchievementStore interface {
	Achievement(ctx context.Context, scope string, from, to time.Time) ([]AchievementRow, error)
}

// AchievementLine is one line of the report: by priority (Key 1–4), by group (Key the group id) or
// the total (Key 0).
type AchievementLine struct {
	Key      int64
	Met      int
	Missed   int
	Breaches int
}

// Stopped is the number of clocks stopped in the period.
func (l AchievementLine) Stopped() int { return l.Met + l.Missed }

// Percent is the share of stopped clocks that met their target, 0–100; 0 when none stopped.
func (l AchievementLine) Percent() float64 {
	if l.Stopped() == 0 {
		return 0
	}
	return float64(l.Met) * 100 / float64(l.Stopped())
}

func (l *AchievementLine) add(r AchievementRow) {
	l.Met, l.Missed, l.Breaches = l.Met+r.Met, l.Missed+r.Missed, l.Breaches+r.Breaches
}

// Achievement is the report of a period [From, To).
type Achievement struct {
	From, To   time.Time
	Total      AchievementLine
	ByPriority []AchievementLine // P1–P4, every priority listed
	ByGroup    []AchievementLine // groups with any count, by id
}

// Summarize folds the store's rows into the report's lines.
func Summarize(from, to time.Time, rows []AchievementRow) *Achievement {
	r := &Achievement{From: from, To: to, ByPriority: make([]AchievementLine, 4)}
	for i := range r.ByPriority {
		r.ByPriority[i].Key = int64(i + 1)
	}
	groups := map[int64]*AchievementLine{}
	for _, row := range rows {
		r.Total.add(row)
		if row.Priority >= 1 && row.Priority <= 4 {
			r.ByPriority[row.Priority-1].add(row)
		}
		g, ok := groups[row.GroupID]
		if !ok {
			g = &AchievementLine{Key: row.GroupID}
			groups[row.GroupID] = g
		}
		g.add(row)
	}
	for _, g := range groups {
		r.ByGroup = append(r.ByGroup, *g)
	}
	slices.SortFunc(r.ByGroup, func(a, b AchievementLine) int { return cmp.Compare(a.Key, b.Key) })
	return r
}

// Achievement reports SLA achievement in [from, to) for a supervisor's service area.
func (tr *Tracker) Achievement(ctx context.Context, from, to time.Time) (*Achievement, error) {
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	if !a.Can(ticket.PermManage) {
		return nil, errs.E(errs.Forbidden, "err.forbidden")
	}
	st, ok := tr.Timers.(AchievementStore)
	if !ok {
		return nil, errs.E(errs.Internal, "sla: the timer store does not count achievement")
	}
	rows, err := st.Achievement(ctx, a.ServiceScope(), from, to)
	if err != nil {
		return nil, err
	}
	return Summarize(from, to, rows), nil
}
