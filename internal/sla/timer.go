package sla

import "time"

// Timer is one SLA clock (计时器) of one ticket: first response, next response or resolution. It
// counts business time on its calendar from StartedAt, not counting its pauses (waiting for the
// requester, a vendor or a change; the time a resolution stood before it was rejected), against
// Target. DueAt and WarnAt are derived and stored, so that the engine finds the clocks that cross a
// threshold through an index on NextAt rather than by scanning open tickets.
type Timer struct {
	ID        int64
	TicketID  int64
	Metric    Metric
	PolicyID  int64
	StartedAt time.Time
	Target    time.Duration // business time allowed
	WarnShare float64       // the share of Target at which a warning fires
	Pauses    []Span        // in order; the last may be open (End zero) while paused
	StoppedAt time.Time     // zero unless stopped
	DueAt     time.Time
	WarnAt    time.Time
	Warned    bool // the warning fired (at most once)
	Breached  bool // the breach fired (at most once)
	NextAt    time.Time
	State     State // within/warning/breached while running; met/missed once stopped
	Version   int   // the stored row's version, read with it: a re-plan writes only what did not change since
}

// reach returns the instant at which d of counted business time has passed, walking the pauses in
// order, or zero when a still-open pause comes first.
func (t *Timer) reach(cal *Calendar, d time.Duration) time.Time {
	cursor, left := t.StartedAt, d
	for _, p := range mergePauses(t.openAsZero(), time.Time{}) {
		if at := cal.Due(cursor, left); !at.After(p.Start) {
			return at
		}
		left -= cal.Elapsed(cursor, p.Start)
		cursor = p.End
	}
	if t.Paused() {
		return time.Time{} // the answer depends on when the open pause ends
	}
	return cal.Due(cursor, left)
}

// openAsZero lists the closed pauses; an open pause stops the walk in reach.
func (t *Timer) openAsZero() []Span {
	out := make([]Span, 0, len(t.Pauses))
	for _, p := range t.Pauses {
		if !p.End.IsZero() {
			out = append(out, p)
		}
	}
	return out
}

// plan recomputes the due and warning instants and the next threshold still to fire. While paused
// the instants are those the clock would reach if the pause ended now — kept for display — but there
// is no next threshold.
func (t *Timer) plan(cal *Calendar, now time.Time) {
	due, warn := t.reach(cal, t.Target), t.reach(cal, time.Duration(t.WarnShare*float64(t.Target)))
	if due.IsZero() || warn.IsZero() { // paused: project as if resumed now
		shadow := *t
		shadow.Pauses = append([]Span(nil), t.Pauses...)
		shadow.Pauses[len(shadow.Pauses)-1].End = now
		due, warn = shadow.reach(cal, t.Target), shadow.reach(cal, time.Duration(t.WarnShare*float64(t.Target)))
	}
	t.DueAt, t.WarnAt, t.NextAt = due, warn, time.Time{}
	if !t.Running() {
		return
	}
	switch {
	case !t.Warned && t.WarnAt.Before(t.DueAt):
		t.NextAt = t.WarnAt
	case !t.Breached:
		t.NextAt = t.DueAt
	}
}

// StartTimer begins a clock at now against target.
func StartTimer(cal *Calendar, metric Metric, policyID int64, target time.Duration, warnShare float64, now time.Time) *Timer {
	if warnShare <= 0 || warnShare >= 1 {
		warnShare = DefaultWarnAt
	}
	t := &Timer{Metric: metric, PolicyID: policyID, StartedAt: now, Target: target, WarnShare: warnShare, State: Within}
	t.plan(cal, now)
	return t
}

// Paused reports whether the clock is paused now.
func (t *Timer) Paused() bool { return len(t.Pauses) > 0 && t.Pauses[len(t.Pauses)-1].End.IsZero() }

// Running reports whether the clock counts now.
func (t *Timer) Running() bool { return !t.Paused() && t.StoppedAt.IsZero() }

// Pause stops counting at now.
func (t *Timer) Pause(cal *Calendar, now time.Time) {
	if !t.Running() {
		return
	}
	t.Pauses = append(t.Pauses, Span{Start: now})
	t.plan(cal, now)
}

// Resume counts again from now.
func (t *Timer) Resume(cal *Calendar, now time.Time) {
	if !t.Paused() || !t.StoppedAt.IsZero() {
		return
	}
	t.Pauses[len(t.Pauses)-1].End = now
	t.plan(cal, now)
}

// Elapsed is the business time counted up to now.
func (t *Timer) Elapsed(cal *Calendar, now time.Time) time.Duration {
	end := now
	if !t.StoppedAt.IsZero() {
		end = t.StoppedAt
	}
	return cal.ElapsedWithPauses(t.StartedAt, end, t.Pauses)
}

// Stop ends the clock at now and records whether the target was met.
func (t *Timer) Stop(cal *Calendar, now time.Time) {
	if !t.StoppedAt.IsZero() {
		return
	}
	t.Resume(cal, now)
	t.StoppedAt = now
	t.State = ClockState(t.Elapsed(cal, now), t.Target, t.WarnShare, true)
	t.plan(cal, now)
}

// Restart continues a stopped clock (a rejected resolution, a reopen): the time it stood stopped
// does not count, and met/missed becomes a running state again.
func (t *Timer) Restart(cal *Calendar, now time.Time) {
	if t.StoppedAt.IsZero() {
		return
	}
	t.Pauses = append(t.Pauses, Span{Start: t.StoppedAt, End: now})
	t.StoppedAt = time.Time{}
	t.State = t.runningState(cal, now)
	t.plan(cal, now)
}

func (t *Timer) runningState(cal *Calendar, now time.Time) State {
	if t.Breached {
		return Breached
	}
	return ClockState(t.Elapsed(cal, now), t.Target, t.WarnShare, false)
}

// Retarget moves the clock to a new target (the priority changed), keeping its start, its pauses
// and the thresholds already fired; the ticket's history keeps the change.
func (t *Timer) Retarget(cal *Calendar, policyID int64, target time.Duration, warnShare float64, now time.Time) {
	t.PolicyID, t.Target = policyID, target
	if warnShare > 0 && warnShare < 1 {
		t.WarnShare = warnShare
	}
	if t.StoppedAt.IsZero() {
		t.State = t.runningState(cal, now)
	} else {
		t.State = ClockState(t.Elapsed(cal, now), t.Target, t.WarnShare, true)
	}
	t.plan(cal, now)
}

// Firing is a threshold a clock crossed.
type Firing string

const (
	FireWarning Firing = "warning"
	FireBreach  Firing = "breach"
)

// Fire marks and returns the thresholds the clock has crossed by now and not fired before: each
// fires at most once in the clock's life. The caller stores the clock with its actions in one
// transaction, so a firing is never lost and never repeated.
func (t *Timer) Fire(cal *Calendar, now time.Time) []Firing {
	if !t.Running() {
		return nil
	}
	var out []Firing
	if !t.Warned && !now.Before(t.WarnAt) {
		t.Warned = true
		out = append(out, FireWarning)
	}
	if !t.Breached && !now.Before(t.DueAt) {
		t.Breached, t.Warned = true, true
		out = append(out, FireBreach)
	}
	t.State = t.runningState(cal, now)
	t.plan(cal, now)
	return out
}

// Replan recomputes the due and warning instants on cal, after an edit of its calendar.
func (t *Timer) Replan(cal *Calendar, now time.Time) { t.plan(cal, now) }
