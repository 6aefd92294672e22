package ticket

import (
	"context"
	"strconv"
	"strings"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// Visit is one on-site service visit (现场服务) of a ticket whose service mode is on-site: planned
// with a time and an address, then arrival, completion and the work log (工作记录) with the parts
// replaced. The visits of a ticket make its service report (维修服务报告), which the requester
// confirms (用户确认).
type Visit struct {
	ID          int64
	TicketID    int64
	EngineerID  int64 // who planned the visit and goes on site
	PlannedAt   time.Time
	Address     string
	ArrivedAt   time.Time // zero until the engineer arrives
	CompletedAt time.Time // zero until the work on site is done
	WorkLog     string    // what was done (处理过程)
	Parts       string    // parts replaced (更换部件), free text
	ConfirmedAt time.Time // when the requester confirmed the report covering this visit
	ConfirmedBy int64
	ConfirmNote string // the requester's remark (用户意见)
	CreatedAt   time.Time
	Version     int
}

// IsDone reports whether the work on site is finished.
func (v *Visit) IsDone() bool { return !v.CompletedAt.IsZero() }

// IsConfirmed reports whether the requester confirmed the report covering this visit.
func (v *Visit) IsConfirmed() bool { return !v.ConfirmedAt.IsZero() }

// Visit events of a ticket's history.
const (
	EvVisitPlanned   EventKind = "visit_planned"
	EvVisitArrived   EventKind = "visit_arrived"
	EvVisitCompleted EventKind = "visit_completed"
	EvReportConfirm  EventKind = "report_confirmed" // the requester confirmed the service report
)

// VisitStore persists on-site visits; store.Tickets implements it.
type VisitStore interface {
	CreateVisit(ctx context.Context, v *Visit) error
	Visit(ctx context.Context, id int64) (*Visit, error) // errs.NotFound when absent
	// UpdateVisit saves v when v.Version is current and bumps it; errs.Conflict otherwise.
	UpdateVisit(ctx context.Context, v *Visit) error
	Visits(ctx context.Context, ticketID int64) ([]*Visit, error) // in planned order
}

// VisitPlan is what an engineer records when a visit is arranged.
type VisitPlan struct {
	PlannedAt time.Time
	Address   string
}

// VisitWork is what an engineer records when the work on site is done.
type VisitWork struct {
	CompletedAt time.Time // zero: now
	WorkLog     string
	Parts       string
}

// clockSkew is how far ahead of the server's clock a recorded arrival or completion may lie (a
// phone's clock, a form filled in the minute before).
const clockSkew = 5 * time.Minute

// CheckArrival checks an arrival time: not before the ticket existed, not in the future.
func CheckArrival(t *Ticket, at, now time.Time) error {
	if at.Before(t.CreatedAt.Truncate(time.Minute)) || at.After(now.Add(clockSkew)) {
		return errs.E(errs.Invalid, "err.visit.time_order", errs.Field("arrived_at", "err.visit.time_order"))
	}
	return nil
}

// CheckCompletion checks a completion time: after the arrival, not in the future.
func CheckCompletion(v *Visit, at, now time.Time) error {
	if v.ArrivedAt.IsZero() {
		return errs.E(errs.Invalid, "err.visit.not_arrived")
	}
	if at.Before(v.ArrivedAt) || at.After(now.Add(clockSkew)) {
		return errs.E(errs.Invalid, "err.visit.time_order", errs.Field("completed_at", "err.visit.time_order"))
	}
	return nil
}

// canVisit: the engineers who work the ticket record its visits, on-site tickets only.
func canVisit(a *actor.Actor, t *Ticket) bool { return CanWork(a, t) }

// visitTx runs a visit change on a ticket the actor may see: checks can, runs fn, appends the
// event fn returns and audits the visit's before and after, in one transaction.
func (s *Service) visitTx(ctx context.Context, ticketID int64, action string, can func(*actor.Actor, *Ticket) bool,
	fn func(ctx context.Context, t *Ticket) (before, after any, ev Event, err error)) error {
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 {
		return errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		t, err := s.Store.Get(ctx, ticketID)
		if err != nil || !CanView(a, t) {
			return errs.E(errs.NotFound, "err.not_found")
		}
		if !can(a, t) {
			return errs.E(errs.Forbidden, "err.forbidden")
		}
		before, after, ev, err := fn(ctx, t)
		if err != nil {
			return err
		}
		if err := s.event(ctx, t, ev); err != nil {
			return err
		}
		return s.recordTarget(ctx, action, "ticket", strconv.FormatInt(t.ID, 10), before, after)
	})
}

// PlanVisit arranges an on-site visit of an open on-site ticket; the acting engineer goes.
func (s *Service) PlanVisit(ctx context.Context, ticketID int64, p VisitPlan) (*Visit, error) {
	p.Address = strings.TrimSpace(p.Address)
	var f errs.Fields
	f.Line("address", p.Address, 1, 200)
	if p.PlannedAt.IsZero() {
		f.Add("planned_at", "err.required")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var v *Visit
	err := s.visitTx(ctx, ticketID, "ticket.visit_plan", canVisit, func(ctx context.Context, t *Ticket) (any, any, Event, error) {
		if t.ServiceMode != OnSite {
			return nil, nil, Event{}, errs.E(errs.Invalid, "err.visit.not_onsite")
		}
		if !t.Status.IsOpen() {
			return nil, nil, Event{}, errs.E(errs.Invalid, "err.ticket.closed")
		}
		now := s.Now()
		v = &Visit{TicketID: t.ID, EngineerID: actor.FromContext(ctx).UserID, PlannedAt: p.PlannedAt.UTC(),
			Address: p.Address, CreatedAt: now}
		if err := s.Store.CreateVisit(ctx, v); err != nil {
			return nil, nil, Event{}, err
		}
		return nil, visitView(v), Event{Kind: EvVisitPlanned, Reason: visitWhen(v.PlannedAt, s.Zone) + " " + v.Address}, nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// Arrive records the engineer's arrival on site at the given time (zero: now).
func (s *Service) Arrive(ctx context.Context, ticketID, visitID int64, version int, at time.Time) (*Visit, error) {
	var v *Visit
	err := s.visitTx(ctx, ticketID, "ticket.visit_arrive", canVisit, func(ctx context.Context, t *Ticket) (any, any, Event, error) {
		var err error
		if v, err = s.openVisit(ctx, t, visitID, version); err != nil {
			return nil, nil, Event{}, err
		}
		if !v.ArrivedAt.IsZero() {
			return nil, nil, Event{}, errs.E(errs.Invalid, "err.visit.arrived")
		}
		now := s.Now()
		if at.IsZero() {
			at = now
		}
		if err := CheckArrival(t, at, now); err != nil {
			return nil, nil, Event{}, err
		}
		before := visitView(v)
		v.ArrivedAt = at.UTC()
		if err := s.Store.UpdateVisit(ctx, v); err != nil {
			return nil, nil, Event{}, err
		}
		return before, visitView(v), Event{Kind: EvVisitArrived, Reason: visitWhen(v.ArrivedAt, s.Zone)}, nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// CompleteVisit records the end of the work on site with the work log and the parts replaced.
func (s *Service) CompleteVisit(ctx context.Context, ticketID, visitID int64, version int, w VisitWork) (*Visit, error) {
	w.WorkLog, w.Parts = strings.TrimSpace(w.WorkLog), strings.TrimSpace(w.Parts)
	var f errs.Fields
	f.Text("work_log", w.WorkLog, 1, 20000)
	f.Text("parts", w.Parts, 0, 2000)
	if err := f.Err(); err != nil {
		return nil, err
	}
	var v *Visit
	err := s.visitTx(ctx, ticketID, "ticket.visit_complete", canVisit, func(ctx context.Context, t *Ticket) (any, any, Event, error) {
		var err error
		if v, err = s.openVisit(ctx, t, visitID, version); err != nil {
			return nil, nil, Event{}, err
		}
		if v.IsDone() {
			return nil, nil, Event{}, errs.E(errs.Invalid, "err.visit.completed")
		}
		now := s.Now()
		at := w.CompletedAt
		if at.IsZero() {
			at = now
		}
		if err := CheckCompletion(v, at, now); err != nil {
			return nil, nil, Event{}, err
		}
		before := visitView(v)
		v.CompletedAt, v.WorkLog, v.Parts = at.UTC(), w.WorkLog, w.Parts
		if err := s.Store.UpdateVisit(ctx, v); err != nil {
			return nil, nil, Event{}, err
		}
		return before, visitView(v), Event{Kind: EvVisitCompleted, Reason: visitWhen(v.CompletedAt, s.Zone)}, nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// openVisit loads a visit of t for a change at the version the engineer saw (0: any).
func (s *Service) openVisit(ctx context.Context, t *Ticket, visitID int64, version int) (*Visit, error) {
	v, err := s.Store.Visit(ctx, visitID)
	if err != nil || v.TicketID != t.ID {
		return nil, errs.E(errs.NotFound, "err.not_found")
	}
	if version != 0 && v.Version != version {
		return nil, errs.E(errs.Conflict, "err.stale")
	}
	if v.IsConfirmed() {
		return nil, errs.E(errs.Invalid, "err.visit.confirmed")
	}
	return v, nil
}

// Visits lists the on-site visits of a ticket the actor may see.
func (s *Service) Visits(ctx context.Context, ticketID int64) ([]*Visit, error) {
	if _, err := s.Get(ctx, ticketID); err != nil {
		return nil, err
	}
	return s.Store.Visits(ctx, ticketID)
}

// ConfirmReport is the requester's confirmation of the service report (维修服务报告): every
// completed visit not yet confirmed is confirmed with the time, the person and their remark. Only
// the ticket's requester confirms; there must be completed work to confirm.
func (s *Service) ConfirmReport(ctx context.Context, ticketID int64, note string) error {
	note = strings.TrimSpace(note)
	var f errs.Fields
	f.Text("note", note, 0, 2000)
	if err := f.Err(); err != nil {
		return err
	}
	return s.visitTx(ctx, ticketID, "ticket.report_confirm", isRequester, func(ctx context.Context, t *Ticket) (any, any, Event, error) {
		if t.Status == Cancelled {
			return nil, nil, Event{}, errs.E(errs.Invalid, "err.ticket.closed")
		}
		vs, err := s.Store.Visits(ctx, t.ID)
		if err != nil {
			return nil, nil, Event{}, err
		}
		now, me := s.Now(), actor.FromContext(ctx).UserID
		var ids []int64
		for _, v := range vs {
			if !v.IsDone() || v.IsConfirmed() {
				continue
			}
			v.ConfirmedAt, v.ConfirmedBy, v.ConfirmNote = now, me, note
			if err := s.Store.UpdateVisit(ctx, v); err != nil {
				return nil, nil, Event{}, err
			}
			ids = append(ids, v.ID)
		}
		if len(ids) == 0 {
			return nil, nil, Event{}, errs.E(errs.Invalid, "err.visit.nothing_to_confirm")
		}
		after := map[string]any{"visits": ids, "confirmed_by": me, "note": note}
		return nil, after, Event{Kind: EvReportConfirm, Reason: note}, nil
	})
}

// ReportState summarises the confirmation of a ticket's service report.
type ReportState struct {
	Done        int       // completed visits
	Pending     int       // completed visits awaiting the requester's confirmation
	ConfirmedAt time.Time // the latest confirmation
	ConfirmedBy int64
	Note        string
}

// Report summarises visits for the report's confirmation block.
func Report(vs []*Visit) ReportState {
	var r ReportState
	for _, v := range vs {
		if !v.IsDone() {
			continue
		}
		r.Done++
		if !v.IsConfirmed() {
			r.Pending++
		} else if v.ConfirmedAt.After(r.ConfirmedAt) {
			r.ConfirmedAt, r.ConfirmedBy, r.Note = v.ConfirmedAt, v.ConfirmedBy, v.ConfirmNote
		}
	}
	return r
}

// CanConfirm reports whether the report has completed work awaiting confirmation.
func (r ReportState) CanConfirm() bool { return r.Pending > 0 }

func visitView(v *Visit) map[string]any {
	return map[string]any{"visit_id": v.ID, "planned_at": v.PlannedAt, "address": v.Address, "arrived_at": v.ArrivedAt,
		"completed_at": v.CompletedAt, "work_log": v.WorkLog, "parts": v.Parts, "engineer_id": v.EngineerID}
}

func visitWhen(t time.Time, zone *time.Location) string {
	if zone == nil {
		zone = time.UTC
	}
	return t.In(zone).Format("2006-01-02 15:04")
}
