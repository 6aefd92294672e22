package sla

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
)

// PolicyStore persists SLA policies.
type PolicyStore interface {
	Policies(ctx context.Context) ([]*Policy, error)
	// SavePolicy inserts (ID 0) or updates at the version; calendarID is the policy's calendar.
	SavePolicy(ctx context.Context, p *Policy, calendarID int64) error
	DeletePolicy(ctx context.Context, id int64) error
	DeleteCalendar(ctx context.Context, id int64) error
}

// TicketTypes are the ticket types a policy may narrow to (the ticket package's types).
var TicketTypes = []string{"incident", "request", "consultation", "complaint"}

// Policies lists the SLA policies.
func (s *Service) Policies(ctx context.Context) ([]*Policy, error) {
	if actor.FromContext(ctx) == nil {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	return s.Store.Policies(ctx)
}

// SavePolicy checks and stores a policy (ID 0 creates one), audited with before and after.
func (s *Service) SavePolicy(ctx context.Context, p *Policy) error {
	if !actor.FromContext(ctx).Can(PermManage) {
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if p.TicketType != "" && !slices.Contains(TicketTypes, p.TicketType) {
		return errs.E(errs.Invalid, "err.invalid", errs.Field("ticket_type", "err.ticket.type"))
	}
	if p.OrgPath != "" && (!strings.HasPrefix(p.OrgPath, "/") || !strings.HasSuffix(p.OrgPath, "/")) {
		return errs.E(errs.Invalid, "err.invalid", errs.Field("org_path", "err.invalid"))
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		info, _, err := s.Store.CalendarByName(ctx, p.Calendar)
		if errs.Is(err, errs.NotFound) {
			return errs.E(errs.Invalid, "err.sla.calendar_unknown", errs.Field("calendar", "err.sla.calendar_unknown"))
		}
		if err != nil {
			return err
		}
		if err := s.checkGroups(ctx, p.Actions); err != nil {
			return err
		}
		var before *Policy
		if p.ID != 0 {
			all, err := s.Store.Policies(ctx)
			if err != nil {
				return err
			}
			i := slices.IndexFunc(all, func(x *Policy) bool { return x.ID == p.ID })
			if i < 0 {
				return errs.E(errs.NotFound, "err.not_found")
			}
			before = all[i]
		}
		if err := s.Store.SavePolicy(ctx, p, info.ID); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{Action: "sla.policy_save", TargetType: "sla_policy", TargetID: fmt.Sprint(p.ID),
			Before: audit.Snapshot(before), After: audit.Snapshot(p)})
	})
}

// DeletePolicy removes a policy.
func (s *Service) DeletePolicy(ctx context.Context, id int64) error {
	if !actor.FromContext(ctx).Can(PermManage) {
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.DeletePolicy(ctx, id); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{Action: "sla.policy_delete", TargetType: "sla_policy", TargetID: fmt.Sprint(id)})
	})
}

// DeleteCalendar removes a calendar that no policy uses; otherwise it refuses and names the policies.
func (s *Service) DeleteCalendar(ctx context.Context, name string) error {
	if !actor.FromContext(ctx).Can(PermManage) {
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		info, _, err := s.Store.CalendarByName(ctx, name)
		if err != nil {
			return err
		}
		all, err := s.Store.Policies(ctx)
		if err != nil {
			return err
		}
		var users []string
		for _, p := range all {
			if p.Calendar == name {
				users = append(users, p.Name)
			}
		}
		if len(users) > 0 {
			// The field message carries the names, so the administrator sees which policies to change.
			return errs.E(errs.Conflict, "err.sla.calendar_in_use", errs.Field("policies", strings.Join(users, "、")))
		}
		if err := s.Store.DeleteCalendar(ctx, info.ID); err != nil {
			return err
		}
		return s.Audit.Record(ctx, audit.Entry{Action: "sla.calendar_delete", TargetType: "calendar", TargetID: fmt.Sprint(info.ID),
			Before: audit.Snapshot(map[string]any{"name": info.Name})})
	})
}
