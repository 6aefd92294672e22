package sla

import (
	"fmt"
	"strings"
	"time"
)

// ParseTarget reads a target as business time in hours and minutes: "30m", "4h", "1h30m", "90m".
// Business time counts only the calendar's working hours, so "8h" on cn-workday is one working day;
// there is deliberately no day unit, whose length would depend on the calendar. "" and "0" are no
// target.
func ParseTarget(s string) (time.Duration, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || s == "0" {
		return 0, nil
	}
	if strings.ContainsAny(s, ".-+") || strings.Contains(s, "s") {
		return 0, fmt.Errorf("target %q: want hours and minutes, e.g. 30m, 4h or 1h30m", s)
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("target %q: want hours and minutes, e.g. 30m, 4h or 1h30m", s)
	}
	return d, nil
}

// FormatTarget writes a target the way ParseTarget reads it: "4h", "30m", "1h30m"; "" for none.
func FormatTarget(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%dm", h, m)
}
