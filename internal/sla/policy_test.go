package sla

import (
	"testing"
	"time"

	"opsdesk/internal/errs"
)

func targets(first, res time.Duration) [4]Targets {
	return [4]Targets{{FirstResponse: first, Resolution: res}, {FirstResponse: first, Resolution: res},
		{FirstResponse: first, Resolution: res}, {Resolution: res}}
}

func TestPickMostSpecific(t *testing.T) {
	all := &Policy{ID: 1, Name: "默认", Calendar: "cn-workday", Targets: targets(time.Hour, 8*time.Hour), Active: true}
	incidents := &Policy{ID: 2, Name: "故障", Calendar: "cn-workday", TicketType: "incident", Targets: targets(30*time.Minute, 4*time.Hour), Active: true}
	network := &Policy{ID: 3, Name: "网络", Calendar: "7x24", CategoryID: 10, Targets: targets(15*time.Minute, 2*time.Hour), Active: true}
	wifi := &Policy{ID: 4, Name: "无线", Calendar: "7x24", CategoryID: 11, Targets: targets(15*time.Minute, time.Hour), Active: true}
	east := &Policy{ID: 5, Name: "华东", Calendar: "cn-workday", OrgPath: "/1/5/", Targets: targets(time.Hour, 6*time.Hour), Active: true}
	eastFin := &Policy{ID: 6, Name: "华东财务", Calendar: "cn-workday", OrgPath: "/1/5/9/", Targets: targets(time.Hour, 5*time.Hour), Active: true}
	off := &Policy{ID: 7, Name: "停用", Calendar: "cn-workday", TicketType: "incident", CategoryID: 11, Targets: targets(time.Minute, time.Hour)}
	p1only := &Policy{ID: 8, Name: "只有P1", Calendar: "cn-workday", TicketType: "request", Targets: [4]Targets{{Resolution: time.Hour}}, Active: true}
	ps := []*Policy{all, incidents, network, wifi, east, eastFin, off, p1only}
	cases := []struct {
		name string
		s    Subject
		want *Policy
	}{
		{"nothing narrows", Subject{Type: "request", OrgPath: "/1/2/", Priority: 3}, all},
		{"type", Subject{Type: "incident", OrgPath: "/1/2/", Priority: 2}, incidents},
		{"category beats type", Subject{Type: "incident", CategoryID: 10, Priority: 2}, network},
		{"the category itself beats its parent", Subject{Type: "incident", CategoryID: 11, CategoryParent: 10, Priority: 2}, wifi},
		{"parent category covers a child", Subject{Type: "request", CategoryID: 12, CategoryParent: 10, Priority: 3}, network},
		{"organisation subtree", Subject{Type: "request", OrgPath: "/1/5/7/", Priority: 3}, east},
		{"deeper unit wins", Subject{Type: "request", OrgPath: "/1/5/9/", Priority: 3}, eastFin},
		{"a policy without a target for the priority is skipped", Subject{Type: "request", Priority: 2, OrgPath: "/1/2/"}, all},
		{"a narrower policy with the target", Subject{Type: "request", Priority: 1, OrgPath: "/1/2/"}, p1only},
		{"bad priority", Subject{Type: "request", Priority: 7}, nil},
	}
	for _, tc := range cases {
		if got := Pick(ps, tc.s); got != tc.want {
			name := "nil"
			if got != nil {
				name = got.Name
			}
			t.Errorf("%s: picked %s", tc.name, name)
		}
	}
	if got := Pick([]*Policy{off}, Subject{Type: "incident", CategoryID: 11, Priority: 1}); got != nil {
		t.Errorf("an inactive policy was picked")
	}
}

func TestPolicyValidate(t *testing.T) {
	ok := Policy{Name: "默认", Calendar: "cn-workday", Targets: targets(time.Hour, 8*time.Hour)}
	if err := ok.Validate(); err != nil || ok.WarnAt != DefaultWarnAt {
		t.Fatalf("valid policy: %v (warn %v)", err, ok.WarnAt)
	}
	cases := []struct {
		name  string
		p     Policy
		field string
	}{
		{"no targets", Policy{Name: "x", Calendar: "c"}, "targets"},
		{"no name", Policy{Calendar: "c", Targets: targets(time.Hour, 2*time.Hour)}, "name"},
		{"no calendar", Policy{Name: "x", Targets: targets(time.Hour, 2*time.Hour)}, "calendar"},
		{"negative", Policy{Name: "x", Calendar: "c", Targets: targets(-time.Hour, 2*time.Hour)}, "targets.p1.first_response"},
		{"response after resolution", Policy{Name: "x", Calendar: "c", Targets: targets(3*time.Hour, 2*time.Hour)}, "targets.p1.first_response"},
		{"warning share 1.5", Policy{Name: "x", Calendar: "c", WarnAt: 1.5, Targets: targets(time.Hour, 2*time.Hour)}, "warn_at"},
	}
	for _, tc := range cases {
		err := tc.p.Validate()
		if errs.KindOf(err) != errs.Invalid {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if _, fields := errs.Info(err); fields[tc.field] == "" {
			t.Errorf("%s: no error on %s: %v", tc.name, tc.field, fields)
		}
	}
}

func TestClockState(t *testing.T) {
	h := time.Hour
	cases := []struct {
		elapsed, target time.Duration
		stopped         bool
		want            State
	}{
		{h, 8 * h, false, Within},
		{6 * h, 8 * h, false, Warning},
		{8 * h, 8 * h, false, Warning},
		{8*h + time.Minute, 8 * h, false, Breached},
		{8 * h, 8 * h, true, Met},
		{9 * h, 8 * h, true, Missed},
		{9 * h, 0, false, Within},
	}
	for _, tc := range cases {
		if got := ClockState(tc.elapsed, tc.target, DefaultWarnAt, tc.stopped); got != tc.want {
			t.Errorf("%v of %v stopped=%v: %s, want %s", tc.elapsed, tc.target, tc.stopped, got, tc.want)
		}
	}
}

// TestWarnDue: the warning instant is where three quarters of the target have elapsed in business
// time, pauses not counted.
func TestWarnDue(t *testing.T) {
	c := CNWorkday()
	start := time.Date(2026, 9, 30, 16, 0, 0, 0, Shanghai) // the eve of the National Day holiday
	warn := c.WarnDue(start, 0, 8*time.Hour, DefaultWarnAt)
	if got := c.Elapsed(start, warn); got != 6*time.Hour {
		t.Fatalf("elapsed to the warning: %v", got)
	}
	pause := Span{Start: time.Date(2026, 10, 8, 9, 0, 0, 0, Shanghai), End: time.Date(2026, 10, 8, 11, 0, 0, 0, Shanghai)}
	paused := c.Elapsed(pause.Start, pause.End)
	warn2 := c.WarnDue(start, paused, 8*time.Hour, DefaultWarnAt)
	if got := c.ElapsedWithPauses(start, warn2, []Span{pause}); got != 6*time.Hour {
		t.Fatalf("elapsed to the warning with a pause: %v (warn at %v)", got, warn2)
	}
}
