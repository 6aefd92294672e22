// Package sla computes service-level clocks (服务水平协议) on business calendars: working hours per
// weekday, Chinese statutory holidays and make-up working days (调休), time zones and 7×24 service.
// The rules here are pure functions over values; storage and the clock engine build on them.
package sla

import (
	"fmt"
	"slices"
	"time"
)

// Date is a calendar day without a time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the local date of t.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Weekday of d.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Interval is a span of working time within a day, in minutes after midnight: [Start, End).
type Interval struct{ Start, End int }

// Clock builds an Interval from "HH:MM" wall-clock times; it panics on a malformed literal, so use it
// for constants and ParseInterval for input.
func Clock(start, end string) Interval {
	iv, err := ParseInterval(start, end)
	if err != nil {
		panic(err)
	}
	return iv
}

// ParseInterval parses two "HH:MM" times; "24:00" is allowed as an end.
func ParseInterval(start, end string) (Interval, error) {
	s, err1 := minutes(start)
	e, err2 := minutes(end)
	if err1 != nil || err2 != nil {
		return Interval{}, fmt.Errorf("interval %s–%s: want HH:MM", start, end)
	}
	return Interval{s, e}, nil
}

func minutes(hhmm string) (int, error) {
	var h, m int
	if _, err := fmt.Sscanf(hhmm, "%d:%d", &h, &m); err != nil || len(hhmm) != 5 {
		return 0, fmt.Errorf("bad time %q", hhmm)
	}
	if h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("bad time %q", hhmm)
	}
	return h*60 + m, nil
}

func (iv Interval) String() string {
	return fmt.Sprintf("%02d:%02d–%02d:%02d", iv.Start/60, iv.Start%60, iv.End/60, iv.End%60)
}

// Calendar is a business calendar (工作日历). A date is a working day when it is a make-up working day
// (调休上班), or when it is not a holiday and its weekday has hours. Make-up days use MakeupHours.
type Calendar struct {
	Name        string
	Location    *time.Location
	Week        [7][]Interval // by time.Weekday; nil means closed
	MakeupHours []Interval    // hours of a make-up working day; usually Monday's
	Holidays    map[Date]string
	Workdays    map[Date]string // make-up working days, even on Saturday or Sunday
	AlwaysOpen  bool            // 7×24: every instant counts, holidays included
}

// hours returns the working intervals of date d.
func (c *Calendar) hours(d Date) []Interval {
	if _, ok := c.Workdays[d]; ok {
		return c.MakeupHours
	}
	if _, ok := c.Holidays[d]; ok {
		return nil
	}
	return c.Week[d.Weekday()]
}

// Validate names every problem: reversed, empty or overlapping intervals, no working time at all,
// a date that is both a holiday and a working day, a missing time zone. It also sorts each day's
// intervals, which Due and Elapsed rely on, so call it on every calendar built from input.
func (c *Calendar) Validate() []string {
	c.normalize()
	var out []string
	if c.Location == nil {
		out = append(out, "time zone missing")
	}
	if c.AlwaysOpen {
		return out
	}
	check := func(label string, sorted []Interval) {
		for i, iv := range sorted {
			if iv.End <= iv.Start {
				out = append(out, fmt.Sprintf("%s: interval %s is empty or reversed", label, iv))
			}
			if i > 0 && iv.Start < sorted[i-1].End {
				out = append(out, fmt.Sprintf("%s: intervals %s and %s overlap", label, sorted[i-1], iv))
			}
		}
	}
	total := 0
	for wd, ivs := range c.Week {
		check(time.Weekday(wd).String(), ivs)
		for _, iv := range ivs {
			total += max(iv.End-iv.Start, 0)
		}
	}
	check("make-up days", c.MakeupHours)
	if total == 0 {
		out = append(out, "the week has no working time at all")
	}
	if len(c.Workdays) > 0 && len(c.MakeupHours) == 0 {
		out = append(out, "make-up working days are listed but make-up hours are empty")
	}
	for d := range c.Workdays {
		if _, ok := c.Holidays[d]; ok {
			out = append(out, fmt.Sprintf("%s is both a holiday and a working day", d))
		}
	}
	slices.Sort(out)
	return out
}

// normalize puts each day's intervals in order.
func (c *Calendar) normalize() {
	for i := range c.Week {
		slices.SortFunc(c.Week[i], func(a, b Interval) int { return a.Start - b.Start })
	}
	slices.SortFunc(c.MakeupHours, func(a, b Interval) int { return a.Start - b.Start })
}
