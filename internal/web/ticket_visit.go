package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"opsdesk/internal/ticket"
)

// On-site service (现场服务) on the ticket page: the service mode, planned visits, arrival and
// completion with the work log. Each form is one service call through ticketAction; the version it
// sends is the visit's (or, for the service mode, the ticket's).

// localTimeLayout is what <input type="datetime-local"> sends.
const localTimeLayout = "2006-01-02T15:04"

// formTime reads an optional datetime-local field in China Standard Time; zero when empty.
func (fe fieldErrors) time(r *http.Request, name string) time.Time {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation(localTimeLayout, v, displayZone)
	if err != nil {
		fe[name] = "err.visit.time_format"
	}
	return t
}

// LocalTime formats t for a datetime-local input.
func LocalTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(displayZone).Format(localTimeLayout)
}

// ticketServiceMode switches a ticket between remote and on-site service.
func (h *Handler) ticketServiceMode(r *http.Request, id int64, version int) error {
	mode := ticket.ServiceMode(r.PostFormValue("service_mode"))
	_, err := h.d.Tickets.Update(r.Context(), id, version, ticket.Patch{ServiceMode: &mode})
	return err
}

// ticketVisitPlan arranges an on-site visit.
func (h *Handler) ticketVisitPlan(r *http.Request, id int64, _ int) error {
	fe := fieldErrors{}
	at := fe.time(r, "planned_at")
	if err := fe.err(); err != nil {
		return err
	}
	_, err := h.d.Tickets.PlanVisit(r.Context(), id, ticket.VisitPlan{PlannedAt: at, Address: r.PostFormValue("address")})
	return err
}

// ticketVisitArrive records the arrival on site (now, unless a time is given).
func (h *Handler) ticketVisitArrive(r *http.Request, id int64, version int) error {
	vid, err := pathID(r, "vid")
	if err != nil {
		return err
	}
	fe := fieldErrors{}
	at := fe.time(r, "arrived_at")
	if err := fe.err(); err != nil {
		return err
	}
	_, err = h.d.Tickets.Arrive(r.Context(), id, vid, version, at)
	return err
}

// ticketVisitComplete records the end of the work on site with the work log.
func (h *Handler) ticketVisitComplete(r *http.Request, id int64, version int) error {
	vid, err := pathID(r, "vid")
	if err != nil {
		return err
	}
	fe := fieldErrors{}
	at := fe.time(r, "completed_at")
	if err := fe.err(); err != nil {
		return err
	}
	_, err = h.d.Tickets.CompleteVisit(r.Context(), id, vid, version, ticket.VisitWork{CompletedAt: at,
		WorkLog: r.PostFormValue("work_log"), Parts: r.PostFormValue("parts")})
	return err
}

// Report is the confirmation state of the ticket's service report.
func (p *ticketPage) Report() ticket.ReportState { return ticket.Report(p.Visits) }

// OnSite reports whether the ticket is worked on site.
func (p *ticketPage) OnSite() bool { return p.T != nil && p.T.ServiceMode == ticket.OnSite }

// VisitFailed reports whether the form of visit id (arrive or complete) came back with problems.
func (p *ticketPage) VisitFailed(form string, id int64) bool {
	return p.Form == form && p.V.Get("visit_id") == strconv.FormatInt(id, 10)
}

// Nth is the 1-based number of the i-th item of a list.
func (p *ticketPage) Nth(i int) int { return i + 1 }
