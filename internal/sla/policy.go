package sla

import (
	"strings"
	"time"

	"opsdesk/internal/errs"
)

// Metric is what an SLA target measures.
type Metric string

const (
	FirstResponse Metric = "first_response" // 首次响应
	NextResponse  Metric = "next_response"  // the requester wrote again and waits for an answer
	Resolution    Metric = "resolution"     // 解决
)

// Metrics lists the metrics in display order.
var Metrics = []Metric{FirstResponse, NextResponse, Resolution}

// Targets are the business durations allowed per metric for one priority; zero means no target.
type Targets map[Metric]time.Duration

// Policy sets targets per priority (P1–P4) on a calendar. It applies to every ticket unless narrowed
// by ticket type, category (a category also covers its children) or the requester's organisation
// subtree; when several apply, the most specific wins.
type Policy struct {
	ID         int64
	Name       string
	Calendar   string // calendar name
	TicketType string // "" for any
	CategoryID int64  // 0 for any
	OrgPath    string // "" for any; else the requester's organisation path must start with it
	// Targets[p-1] are the targets of priority p.
	Targets [4]Targets
	// WarnAt is the share of a target after which a clock is in warning (default 0.75).
	WarnAt float64
	// Actions are what the engine does at warning and at breach (DefaultActions: notify only).
	Actions Actions
	Active  bool
	Version int
}

// DefaultWarnAt is the share of a target at which a clock turns to warning.
const DefaultWarnAt = 0.75

// maxTarget bounds a target: a year of business time is already more than any service promises.
const maxTarget = 365 * 24 * time.Hour

// Validate checks a policy before it is saved: a name, a calendar, at least one target, every target
// positive and bounded, first response not after resolution, a warning share inside (0, 1), and
// actions of a sound shape (that their groups exist is checked by Service.SavePolicy).
func (p *Policy) Validate() error {
	var f errs.Fields
	p.Name = strings.TrimSpace(p.Name)
	f.Line("name", p.Name, 1, 64)
	if strings.TrimSpace(p.Calendar) == "" {
		f.Add("calendar", "err.required")
	}
	if p.WarnAt == 0 {
		p.WarnAt = DefaultWarnAt
	}
	if p.WarnAt <= 0 || p.WarnAt >= 1 {
		f.Add("warn_at", "err.out_of_range")
	}
	any := false
	for i, ts := range p.Targets {
		for _, m := range Metrics {
			d := ts[m]
			if d != 0 {
				any = true
			}
			if d < 0 || d > maxTarget {
				f.Add(targetField(i, m), "err.out_of_range")
			}
		}
		if fr, res := ts[FirstResponse], ts[Resolution]; fr > 0 && res > 0 && fr > res {
			f.Add(targetField(i, FirstResponse), "err.sla.response_after_resolution")
		}
	}
	if !any {
		f.Add("targets", "err.sla.no_targets")
	}
	p.Actions.Warning.validate(&f, "actions.warning")
	p.Actions.Breach.validate(&f, "actions.breach")
	return f.Err()
}

func targetField(i int, m Metric) string {
	return "targets.p" + string(rune('1'+i)) + "." + string(m)
}

// Subject is what policy selection needs to know of a ticket.
type Subject struct {
	Type           string
	CategoryID     int64
	CategoryParent int64 // the parent of CategoryID, 0 for a top-level category
	OrgPath        string
	Priority       int // 1–4
}

// applies reports whether p covers s.
func (p *Policy) applies(s Subject) bool {
	if !p.Active {
		return false
	}
	if p.TicketType != "" && p.TicketType != s.Type {
		return false
	}
	if p.CategoryID != 0 && p.CategoryID != s.CategoryID && p.CategoryID != s.CategoryParent {
		return false
	}
	return p.OrgPath == "" || strings.HasPrefix(s.OrgPath, p.OrgPath)
}

// specificity ranks applicable policies: each narrowing counts, a category itself counts more than
// its parent, and a deeper organisation unit more than a shallower one.
func (p *Policy) specificity(s Subject) int {
	n := 0
	if p.TicketType != "" {
		n += 1000
	}
	switch {
	case p.CategoryID != 0 && p.CategoryID == s.CategoryID:
		n += 2000
	case p.CategoryID != 0:
		n += 1500
	}
	if p.OrgPath != "" {
		n += 100 + strings.Count(p.OrgPath, "/")
	}
	return n
}

// Pick returns the most specific active policy covering s that has a target for its priority, or
// nil. Ties go to the lowest id, so the choice is stable.
func Pick(policies []*Policy, s Subject) *Policy {
	var best *Policy
	bestScore := -1
	for _, p := range policies {
		if !p.applies(s) || s.Priority < 1 || s.Priority > 4 || len(p.Targets[s.Priority-1]) == 0 {
			continue
		}
		sc := p.specificity(s)
		if sc > bestScore || sc == bestScore && p.ID < best.ID {
			best, bestScore = p, sc
		}
	}
	return best
}
