package web

import (
	"time"

	"opsdesk/internal/sla"
	"opsdesk/internal/ticket"
)

// slaCell is how an SLA due time shows in a queue or on a ticket page: the due time, the time left
// (negative once late) and the state, shown as a colour and a word. A stopped clock shows no time
// left, only met or missed.
type slaCell struct {
	Due     time.Time
	Left    time.Duration
	State   sla.State
	Paused  bool
	Stopped bool
}

// Late reports whether the due time has passed on a clock that counts.
func (c slaCell) Late() bool { return !c.Stopped && !c.Paused && c.Left < 0 }

// newSLACell describes a due time at now; nil without one. A counting clock past its due time
// shows as breached even before the engine's next tick has marked it; a paused one shows as paused,
// its due time being only what it would be if it resumed when it was paused.
func newSLACell(due time.Time, state sla.State, stopped, paused bool, now time.Time) *slaCell {
	if due.IsZero() {
		return nil
	}
	c := &slaCell{Due: due, Left: due.Sub(now), State: state, Paused: paused, Stopped: stopped}
	if !stopped && !paused && c.Left < 0 {
		c.State = sla.Breached // late now; a met or missed summary came from another, stopped clock
	}
	return c
}

// ticketSLA is the queue cell of a ticket: its resolution due time and the worst state of its
// clocks. A closed ticket shows met or missed; a ticket waiting for the requester, a vendor or a
// change shows its clock paused.
func ticketSLA(t *ticket.Ticket, now time.Time) *slaCell {
	return newSLACell(t.SLADue, sla.State(t.SLAState), !t.Status.IsOpen(), sla.Pauses(t), now)
}

// clockCell is one clock of a ticket page: its metric and target beside the shared cell.
type clockCell struct {
	slaCell
	Metric  sla.Metric
	Target  time.Duration
	Elapsed time.Duration
}

// clockCells describes the clocks of a ticket's SLA view at now.
func clockCells(v *sla.View, now time.Time) []clockCell {
	if v == nil {
		return nil
	}
	out := make([]clockCell, len(v.Clocks))
	for i, c := range v.Clocks {
		if c.DueAt.IsZero() {
			continue
		}
		out[i] = clockCell{slaCell: *newSLACell(c.DueAt, c.State, !c.StoppedAt.IsZero(), c.Paused, now), Metric: c.Metric,
			Target: c.Target, Elapsed: c.Elapsed}
		if !c.StoppedAt.IsZero() {
			out[i].Left = c.DueAt.Sub(c.StoppedAt) // how early (or late) it stopped
		}
	}
	return out
}

// span writes a length of time for people: "2天3小时", "2小时15分", "40分钟", rounded to the minute,
// without sign (the caller says whether it is left or overdue).
func span(t func(lang, key string, kv ...any) string, lang string, d time.Duration) string {
	if d < 0 {
		d = -d
	}
	m := int(d.Round(time.Minute) / time.Minute)
	if m == 0 && d > 0 {
		m = 1 // "超时 0分钟" reads as not late
	}
	days, hours, mins := m/(24*60), m/60%24, m%60
	switch {
	case days > 0:
		return t(lang, "sla.span.dh", "D", days, "H", hours)
	case hours > 0 && mins > 0:
		return t(lang, "sla.span.hm", "H", hours, "M", mins)
	case hours > 0:
		return t(lang, "sla.span.h", "H", hours)
	}
	return t(lang, "sla.span.m", "M", mins)
}
