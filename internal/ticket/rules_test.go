package ticket

import (
	"testing"

	"opsdesk/internal/errs"
)

func TestTransitions(t *testing.T) {
	cases := []struct {
		from, to Status
		ok       bool
	}{
		{New, Assigned, true},
		{New, Closed, false}, // closing a new ticket skips resolution
		{Assigned, InProgress, true},
		{InProgress, Pending, true},
		{Pending, InProgress, true},
		{InProgress, Resolved, true},
		{Resolved, Closed, true},
		{Resolved, InProgress, true}, // requester rejects the resolution
		{Closed, InProgress, true},   // reopen
		{Closed, Resolved, false},
		{Cancelled, InProgress, false},
		{Pending, Closed, false},
	}
	for _, tc := range cases {
		tk := &Ticket{Status: tc.from, Pending: WaitVendor}
		err := Move(tk, tc.to)
		if tc.ok != (err == nil) {
			t.Errorf("%s → %s: err = %v", tc.from, tc.to, err)
		}
		if err != nil && errs.KindOf(err) != errs.Invalid {
			t.Errorf("%s → %s: kind %v", tc.from, tc.to, errs.KindOf(err))
		}
		if err == nil && tc.to != Pending && tk.Pending != "" {
			t.Errorf("%s → %s kept the pending reason", tc.from, tc.to)
		}
	}
	if New.IsOpen() == false || Resolved.IsOpen() || Cancelled.IsOpen() {
		t.Error("IsOpen wrong")
	}
}

func TestPriorityMatrix(t *testing.T) {
	if err := DefaultMatrix.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		u, i Level
		want Priority
	}{{High, High, 1}, {High, Low, 3}, {Medium, Medium, 3}, {Low, Low, 4}, {Low, High, 3}}
	for _, tc := range cases {
		got, err := PriorityFor(tc.u, tc.i, DefaultMatrix)
		if err != nil || got != tc.want {
			t.Errorf("PriorityFor(%d,%d) = %v %v, want %v", tc.u, tc.i, got, err, tc.want)
		}
	}
	if _, err := PriorityFor(0, 1, DefaultMatrix); errs.KindOf(err) != errs.Invalid {
		t.Error("urgency 0 accepted")
	}
	bad := DefaultMatrix
	bad[2][2] = 1 // low urgency, low impact cannot outrank the rest
	if err := bad.Validate(); err == nil {
		t.Error("inverted matrix accepted")
	}
	bad = DefaultMatrix
	bad[0][0] = 5
	if err := bad.Validate(); err == nil {
		t.Error("P5 accepted")
	}
	if got := FormatNumber(Incident, 2026, 123); got != "INC-2026-000123" {
		t.Errorf("FormatNumber = %s", got)
	}
}
