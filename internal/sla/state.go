package sla

import "time"

// State is where a running clock stands against its target.
type State string

const (
	Within   State = "within"   // 正常
	Warning  State = "warning"  // 即将超时: past the warning share of the target
	Breached State = "breached" // 已超时
	Met      State = "met"      // stopped in time
	Missed   State = "missed"   // stopped late
)

// ClockState says where a clock stands: elapsed business time against the target, warning from
// warnAt (a share of the target). A stopped clock is met or missed for good.
func ClockState(elapsed, target time.Duration, warnAt float64, stopped bool) State {
	switch {
	case target <= 0:
		return Within
	case stopped && elapsed <= target:
		return Met
	case stopped:
		return Missed
	case elapsed > target:
		return Breached
	case float64(elapsed) >= warnAt*float64(target):
		return Warning
	}
	return Within
}

// WarnDue is the instant a clock started at start, paused for paused business time so far, reaches
// the warning share of its target on calendar c. Storing it on the ticket lets the engine find the
// clocks that cross a threshold through an index instead of scanning open tickets.
func (c *Calendar) WarnDue(start time.Time, paused, target time.Duration, warnAt float64) time.Time {
	return c.Due(start, time.Duration(warnAt*float64(target))+paused)
}
