package sla

import (
	"context"
	"slices"
	"time"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// ClockView is one SLA clock as people see it on a ticket: its target, due and warning instants, where
// it stands now, whether it is paused or stopped, and the business time counted so far.
type ClockView struct {
	Metric    Metric
	DueAt     time.Time
	WarnAt    time.Time
	State     State
	Paused    bool
	StoppedAt time.Time // zero while it runs
	Target    time.Duration
	Elapsed   time.Duration
}

// Left is the wall-clock time from now to the due instant; negative once late.
func (c ClockView) Left(now time.Time) time.Duration { return c.DueAt.Sub(now) }

// View is a ticket's SLA as its page and the API show it: the resolution due time, the worst state
// of its clocks now, and each clock.
type View struct {
	DueAt  time.Time
	State  State
	Clocks []ClockView
}

// View reads the clocks of a ticket the caller has already loaded and may see (ticket.Service.Detail
// checked that), with their state at now: a running clock's stored state is only as fresh as the
// last tick, so it is recomputed. It returns nil when no policy applied to the ticket.
func (tr *Tracker) View(ctx context.Context, t *ticket.Ticket) (*View, error) {
	timers, err := tr.Timers.Timers(ctx, t.ID)
	if err != nil || len(timers) == 0 {
		return nil, err
	}
	policies, err := tr.Service.Store.Policies(ctx)
	if err != nil {
		return nil, err
	}
	now := tr.Now()
	v := &View{DueAt: t.SLADue}
	worst := State("")
	calendars := map[string]*Calendar{}
	for _, tm := range timers {
		name := DefaultName // a deleted policy's clocks run on the default calendar, as in Tick
		if i := slices.IndexFunc(policies, func(p *Policy) bool { return p.ID == tm.PolicyID }); i >= 0 {
			name = policies[i].Calendar
		}
		cal, ok := calendars[name]
		if !ok {
			if cal, err = tr.Service.Calendar(ctx, name); err != nil && !errs.Is(err, errs.NotFound) {
				return nil, err
			}
			calendars[name] = cal
		}
		c := ClockView{Metric: tm.Metric, DueAt: tm.DueAt, WarnAt: tm.WarnAt, State: tm.State, Paused: tm.Paused(),
			StoppedAt: tm.StoppedAt, Target: tm.Target}
		if cal != nil { // a calendar gone shows the stored state, as the engine leaves such clocks waiting
			c.Elapsed = tm.Elapsed(cal, now)
			if tm.Running() {
				c.State = tm.runningState(cal, now)
			}
		}
		v.Clocks = append(v.Clocks, c)
		worst = Worse(worst, c.State)
	}
	v.State = worst
	slices.SortStableFunc(v.Clocks, func(a, b ClockView) int {
		return slices.Index(Metrics, a.Metric) - slices.Index(Metrics, b.Metric)
	})
	return v, nil
}
