package web

import (
	"fmt"
	"testing"
	"time"

	"opsdesk/internal/sla"
	"opsdesk/internal/ticket"
)

func TestTicketSLACell(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, sla.Shanghai)
	due := now.Add(-30 * time.Second)
	for _, c := range []struct {
		name  string
		t     ticket.Ticket
		state sla.State
		late  bool
	}{
		{"late and not yet ticked", ticket.Ticket{Status: ticket.InProgress, SLADue: due, SLAState: "within"}, sla.Breached, true},
		{"late, first response missed", ticket.Ticket{Status: ticket.Assigned, SLADue: due, SLAState: "missed"}, sla.Breached, true},
		{"paused for the requester", ticket.Ticket{Status: ticket.Pending, Pending: ticket.WaitRequester, SLADue: due, SLAState: "within"}, sla.Within, false},
		{"closed", ticket.Ticket{Status: ticket.Closed, SLADue: due, SLAState: "met"}, sla.Met, false},
		{"in time", ticket.Ticket{Status: ticket.New, SLADue: now.Add(time.Hour), SLAState: "warning"}, sla.Warning, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := ticketSLA(&c.t, now)
			if got.State != c.state || got.Late() != c.late {
				t.Errorf("state %s late %v, want %s %v", got.State, got.Late(), c.state, c.late)
			}
		})
	}
	if ticketSLA(&ticket.Ticket{Status: ticket.New}, now) != nil {
		t.Error("a ticket without a due time has a cell")
	}
	tr := func(_, key string, kv ...any) string { return key + fmt.Sprint(kv...) }
	for d, want := range map[time.Duration]string{30 * time.Second: "sla.span.mM1", 135 * time.Minute: "sla.span.hmH2M15",
		-time.Hour: "sla.span.hH1", 51 * time.Hour: "sla.span.dhD2H3"} {
		if got := span(tr, "zh-CN", d); got != want {
			t.Errorf("span(%s) = %s, want %s", d, got, want)
		}
	}
}
