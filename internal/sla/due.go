package sla

import "time"

// maxScanDays bounds the search for working time, so that a calendar with hardly any (or a target of
// years) cannot loop for ever: ten years of days.
const maxScanDays = 3660

// at returns the instant of minute m of date d in the calendar's zone. Wall times that fall into a
// daylight-saving gap move forward, as time.Date does.
func (c *Calendar) at(d Date, m int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, m, 0, 0, c.Location)
}

// Due returns the instant at which d of business time has passed after start on calendar c. A start
// outside working hours begins counting at the next working instant. Zero or negative d gives start.
func (c *Calendar) Due(start time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return start
	}
	if c.AlwaysOpen {
		return start.Add(d)
	}
	start = start.In(c.Location)
	left := d
	day := DateOf(start)
	for i := 0; i < maxScanDays; i++ {
		for _, iv := range c.hours(day) {
			from, to := c.at(day, iv.Start), c.at(day, iv.End)
			if !to.After(start) {
				continue
			}
			if from.Before(start) {
				from = start
			}
			span := to.Sub(from)
			if span >= left {
				return from.Add(left)
			}
			left -= span
		}
		day = day.AddDays(1)
	}
	return time.Time{} // no working time within ten years: Validate rejects such calendars
}

// Elapsed returns the business time on calendar c between from and to (zero when to is not after from).
func (c *Calendar) Elapsed(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	if c.AlwaysOpen {
		return to.Sub(from)
	}
	from, to = from.In(c.Location), to.In(c.Location)
	var total time.Duration
	last := DateOf(to)
	for day, i := DateOf(from), 0; i < maxScanDays; day, i = day.AddDays(1), i+1 {
		for _, iv := range c.hours(day) {
			a, b := c.at(day, iv.Start), c.at(day, iv.End)
			if a.Before(from) {
				a = from
			}
			if b.After(to) {
				b = to
			}
			if b.After(a) {
				total += b.Sub(a)
			}
		}
		if day == last {
			break
		}
	}
	return total
}

// Span is a period during which a clock was paused, e.g. waiting for the requester. End may be zero
// for a pause still running.
type Span struct{ Start, End time.Time }

// ElapsedWithPauses is the business time between from and to on c, not counting the pauses.
// Overlapping pauses are counted once.
func (c *Calendar) ElapsedWithPauses(from, to time.Time, pauses []Span) time.Duration {
	total := c.Elapsed(from, to)
	for _, p := range mergePauses(pauses, to) {
		s, e := p.Start, p.End
		if s.Before(from) {
			s = from
		}
		if e.After(to) {
			e = to
		}
		total -= c.Elapsed(s, e)
	}
	return max(total, 0)
}

// mergePauses orders pauses, closes an open one at now, and joins overlaps.
func mergePauses(pauses []Span, now time.Time) []Span {
	ps := make([]Span, 0, len(pauses))
	for _, p := range pauses {
		if p.End.IsZero() {
			p.End = now
		}
		if p.End.After(p.Start) {
			ps = append(ps, p)
		}
	}
	for i := 1; i < len(ps); i++ { // insertion sort: pause lists are short
		for j := i; j > 0 && ps[j].Start.Before(ps[j-1].Start); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
	var out []Span
	for _, p := range ps {
		if n := len(out); n > 0 && !p.Start.After(out[n-1].End) {
			if p.End.After(out[n-1].End) {
				out[n-1].End = p.End
			}
			continue
		}
		out = append(out, p)
	}
	return out
}
