package ticket

import (
	"testing"

	"opsdesk/internal/actor"
)

func TestCanView(t *testing.T) {
	perms := func(ps ...string) map[string]bool {
		m := map[string]bool{}
		for _, p := range ps {
			m[p] = true
		}
		return m
	}
	requester := &actor.Actor{UserID: 1, OrgPath: "/1/5/", Perms: perms(PermSubmit)}
	other := &actor.Actor{UserID: 2, OrgPath: "/1/5/", Perms: perms(PermSubmit)}
	agent := &actor.Actor{UserID: 3, OrgPath: "/1/", Perms: perms(PermWork, PermIntake)}
	branchAgent := &actor.Actor{UserID: 4, OrgPath: "/1/7/", Perms: perms(PermWork)}
	manager := &actor.Actor{UserID: 5, OrgPath: "/1/", Perms: perms(PermWork, PermManage)}
	// An agent of the headquarters' service centre (/1/3/) serves the whole headquarters tree.
	centreAgent := &actor.Actor{UserID: 6, OrgPath: "/1/3/", ServicePath: "/1/", Perms: perms(PermWork)}
	// A branch's desk (/1/7/8/) serves its branch (/1/7/) only.
	branchDesk := &actor.Actor{UserID: 7, OrgPath: "/1/7/8/", ServicePath: "/1/7/", Perms: perms(PermWork)}
	tk := &Ticket{RequesterID: 1, OwnerID: 3, OrgPath: "/1/5/"}
	cases := []struct {
		name string
		a    *actor.Actor
		t    *Ticket
		want bool
	}{
		{"requester", requester, tk, true},
		{"another requester", other, tk, false},
		{"agent in scope", agent, tk, true},
		{"agent of another branch", branchAgent, tk, false},
		{"nobody", nil, tk, false},
		{"service centre agent, requester in another department", centreAgent, tk, true},
		{"branch desk, requester at headquarters", branchDesk, tk, false},
		{"branch desk, requester in its branch", branchDesk, &Ticket{RequesterID: 1, OrgPath: "/1/7/9/"}, true},
		{"confidential: agent not involved", agent, &Ticket{RequesterID: 1, OwnerID: 9, OrgPath: "/1/5/", Confidential: true}, false},
		{"confidential: owner", agent, &Ticket{RequesterID: 1, OwnerID: 3, OrgPath: "/1/5/", Confidential: true}, true},
		{"confidential: manager", manager, &Ticket{RequesterID: 1, OrgPath: "/1/5/", Confidential: true}, true},
	}
	for _, tc := range cases {
		if got := CanView(tc.a, tc.t); got != tc.want {
			t.Errorf("%s: CanView = %v, want %v", tc.name, got, tc.want)
		}
	}
	if CanSeeInternal(requester, tk) || !CanSeeInternal(agent, tk) {
		t.Error("internal notes visible to the requester or hidden from the agent")
	}
}
