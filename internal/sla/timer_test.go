package sla

import (
	"testing"
	"time"
)

// TestTimerLifecycle walks one resolution clock of 8 business hours on cn-workday through a pause
// over the National Day holiday, the warning, the breach, a stop and a restart.
func TestTimerLifecycle(t *testing.T) {
	cal := CNWorkday()
	tm := StartTimer(cal, Resolution, 1, 8*time.Hour, 0, sh("2026-09-29 09:00"))
	if !tm.DueAt.Equal(sh("2026-09-29 18:00")) || !tm.WarnAt.Equal(sh("2026-09-29 16:00")) || !tm.NextAt.Equal(tm.WarnAt) {
		t.Fatalf("planned due %s warn %s next %s", tm.DueAt, tm.WarnAt, tm.NextAt)
	}
	if f := tm.Fire(cal, sh("2026-09-29 15:59")); len(f) != 0 {
		t.Fatalf("fired early: %v", f)
	}
	// Waiting for the requester from 11:00 on the 29th to 10:00 on 8 October, the holiday between:
	// 11–12 and 13–18 on the 29th (6 h), the 30th (8 h), 9–10 on 8 October (1 h) = 15 h paused.
	tm.Pause(cal, sh("2026-09-29 11:00"))
	if !tm.NextAt.IsZero() || tm.Running() {
		t.Fatal("a paused clock still has a next threshold")
	}
	if f := tm.Fire(cal, sh("2026-10-01 12:00")); len(f) != 0 {
		t.Fatalf("a paused clock fired: %v", f)
	}
	tm.Resume(cal, sh("2026-10-08 10:00"))
	if p := CNWorkday().Elapsed(tm.Pauses[0].Start, tm.Pauses[0].End); p != 15*time.Hour {
		t.Fatalf("paused %v, want 15h", p)
	}
	// 2 h counted before the pause; 6 h more from 10:00 on the 8th: 10–12, 13–17 → due 17:00.
	if !tm.DueAt.Equal(sh("2026-10-08 17:00")) || !tm.WarnAt.Equal(sh("2026-10-08 15:00")) {
		t.Fatalf("after resume due %s warn %s", tm.DueAt, tm.WarnAt)
	}
	if f := tm.Fire(cal, sh("2026-10-08 15:30")); len(f) != 1 || f[0] != FireWarning || tm.State != Warning {
		t.Fatalf("warning: %v state %s", f, tm.State)
	}
	if f := tm.Fire(cal, sh("2026-10-08 15:45")); len(f) != 0 {
		t.Fatalf("the warning fired twice: %v", f)
	}
	if !tm.NextAt.Equal(tm.DueAt) {
		t.Fatalf("next after the warning %s, want the due time", tm.NextAt)
	}
	if f := tm.Fire(cal, sh("2026-10-09 09:30")); len(f) != 1 || f[0] != FireBreach || tm.State != Breached || !tm.NextAt.IsZero() {
		t.Fatalf("breach: %v state %s next %s", f, tm.State, tm.NextAt)
	}
	tm.Stop(cal, sh("2026-10-09 10:00"))
	if tm.State != Missed {
		t.Fatalf("stopped late: %s", tm.State)
	}
	// Rejected the next morning: the night does not count, the clock runs on, already breached.
	tm.Restart(cal, sh("2026-10-12 09:00"))
	if tm.State != Breached || !tm.StoppedAt.IsZero() || !tm.NextAt.IsZero() {
		t.Fatalf("restart: state %s next %s", tm.State, tm.NextAt)
	}
	if f := tm.Fire(cal, sh("2026-10-12 12:00")); len(f) != 0 {
		t.Fatalf("the breach fired again after a restart: %v", f)
	}
}

func TestTimerMetAndRetarget(t *testing.T) {
	cal := CNWorkday()
	tm := StartTimer(cal, FirstResponse, 1, 30*time.Minute, 0.5, sh("2026-11-23 17:50")) // Monday
	if !tm.DueAt.Equal(sh("2026-11-24 09:20")) {
		t.Fatalf("due %s", tm.DueAt)
	}
	// The priority drops: 4 hours now; the fired state and the start stay.
	tm.Retarget(cal, 2, 4*time.Hour, 0, sh("2026-11-24 09:00"))
	if tm.PolicyID != 2 || !tm.DueAt.Equal(sh("2026-11-24 13:50")) || tm.State != Within {
		t.Fatalf("retarget: policy %d due %s state %s", tm.PolicyID, tm.DueAt, tm.State)
	}
	tm.Stop(cal, sh("2026-11-24 10:00"))
	if tm.State != Met || tm.Elapsed(cal, sh("2026-11-30 10:00")) != 70*time.Minute {
		t.Fatalf("stop: %s elapsed %v", tm.State, tm.Elapsed(cal, sh("2026-11-30 10:00")))
	}
	if f := tm.Fire(cal, sh("2026-11-30 10:00")); len(f) != 0 {
		t.Fatalf("a stopped clock fired: %v", f)
	}
}

// TestTimerElapsedEqualsTarget: the business time from the start to the due instant, pauses not
// counted, is exactly the target whatever the pauses — before, across or after the moment the target
// was reached (property over a spread of starts, targets and pauses).
func TestTimerElapsedEqualsTarget(t *testing.T) {
	cal := CNWorkday()
	start := sh("2026-01-01 00:00")
	for i := 0; i < 400; i++ {
		s := start.Add(time.Duration(i*37) * time.Hour)
		tm := StartTimer(cal, Resolution, 1, time.Duration(1+i%20)*time.Hour, 0, s)
		p := s.Add(time.Duration(i%9) * time.Hour)
		e := p.Add(time.Duration(i%50) * time.Hour)
		tm.Pause(cal, p)
		tm.Resume(cal, e)
		if got := cal.ElapsedWithPauses(tm.StartedAt, tm.DueAt, tm.Pauses); got != tm.Target {
			t.Fatalf("start %s target %v pause %s–%s: elapsed to due %s is %v", s, tm.Target, p, e, tm.DueAt, got)
		}
		if tm.DueAt.After(p) && tm.DueAt.Before(e) {
			t.Fatalf("due %s inside the pause %s–%s", tm.DueAt, p, e)
		}
	}
}
