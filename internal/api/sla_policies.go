package api

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/errs"
	"opsdesk/internal/sla"
)

// orgUnitOfPath is the unit a materialised path ends in ("/1/4/9/" → 9); 0 for "".
func orgUnitOfPath(path string) int64 {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	id, _ := strconv.ParseInt(parts[len(parts)-1], 10, 64)
	return id
}

func targetsOut(ts sla.Targets) *apigen.SlaTargets {
	mins := func(m sla.Metric) *int { v := int(ts[m] / time.Minute); return &v }
	return &apigen.SlaTargets{FirstResponse: mins(sla.FirstResponse), NextResponse: mins(sla.NextResponse), Resolution: mins(sla.Resolution)}
}

func actionOut(a sla.Action) apigen.SlaAction {
	return apigen.SlaAction{Notify: &a.Notify, ReassignGroupId: &a.ReassignGroupID, ReassignUserId: &a.ReassignUserID,
		RaiseTier: &a.RaiseTier, ReportUp: &a.ReportUp}
}

// actionIn maps one threshold's action; notify is on unless turned off.
func actionIn(a apigen.SlaAction) sla.Action {
	return sla.Action{Notify: or(a.Notify, true), ReassignGroupID: or(a.ReassignGroupId, 0), ReassignUserID: or(a.ReassignUserId, 0),
		RaiseTier: or(a.RaiseTier, false), ReportUp: or(a.ReportUp, false)}
}

func policyOut(p *sla.Policy) apigen.SlaPolicy {
	return apigen.SlaPolicy{Id: p.ID, Name: p.Name, Calendar: p.Calendar, TicketType: p.TicketType, CategoryId: p.CategoryID,
		OrgUnitId: orgUnitOfPath(p.OrgPath), WarnPercent: int(p.WarnAt*100 + 0.5), Active: p.Active, Version: p.Version,
		Actions: apigen.SlaActions{Warning: actionOut(p.Actions.Warning), Breach: actionOut(p.Actions.Breach)},
		Targets: apigen.SlaPriorityTargets{P1: targetsOut(p.Targets[0]), P2: targetsOut(p.Targets[1]), P3: targetsOut(p.Targets[2]),
			P4: targetsOut(p.Targets[3])}}
}

func targetsIn(t *apigen.SlaTargets) sla.Targets {
	out := sla.Targets{}
	if t == nil {
		return out
	}
	for m, v := range map[sla.Metric]*int{sla.FirstResponse: t.FirstResponse, sla.NextResponse: t.NextResponse, sla.Resolution: t.Resolution} {
		if v != nil && *v > 0 {
			out[m] = time.Duration(*v) * time.Minute
		}
	}
	return out
}

// policyIn maps the input; the organisation unit becomes its path, looked up in the caller's scope.
func (s *server) policyIn(ctx context.Context, id int64, b *apigen.SlaPolicyInput) (*sla.Policy, error) {
	p := &sla.Policy{ID: id, Name: b.Name, Calendar: b.Calendar, TicketType: string(or(b.TicketType, "")),
		CategoryID: or(b.CategoryId, 0), Active: or(b.Active, true), WarnAt: float64(or(b.WarnPercent, 75)) / 100,
		Targets: [4]sla.Targets{targetsIn(b.Targets.P1), targetsIn(b.Targets.P2), targetsIn(b.Targets.P3), targetsIn(b.Targets.P4)},
		Actions: sla.DefaultActions()}
	if b.Actions != nil {
		p.Actions = sla.Actions{Warning: actionIn(b.Actions.Warning), Breach: actionIn(b.Actions.Breach)}
	} else if id != 0 {
		// An update without actions keeps the stored ones, so that clients that predate them do not
		// switch them off.
		ps, err := s.d.SLA.Policies(ctx)
		if err != nil {
			return nil, err
		}
		if i := slices.IndexFunc(ps, func(x *sla.Policy) bool { return x.ID == id }); i >= 0 {
			p.Actions = ps[i].Actions
		}
	}
	if unit := or(b.OrgUnitId, 0); unit != 0 {
		u, err := s.d.IAM.OrgUnit(ctx, unit)
		if errs.Is(err, errs.NotFound) {
			return nil, errs.E(errs.Invalid, "err.invalid", errs.Field("org_unit_id", "err.not_found"))
		}
		if err != nil {
			return nil, err
		}
		p.OrgPath = u.Path
	}
	return p, nil
}

// ListSlaPolicies lists the policies.
func (s *server) ListSlaPolicies(ctx context.Context, _ apigen.ListSlaPoliciesRequestObject) (apigen.ListSlaPoliciesResponseObject, error) {
	ps, err := s.d.SLA.Policies(ctx)
	if err != nil {
		return nil, err
	}
	out := apigen.ListSlaPolicies200JSONResponse{Items: make([]apigen.SlaPolicy, len(ps))}
	for i, p := range ps {
		out.Items[i] = policyOut(p)
	}
	return out, nil
}

// CreateSlaPolicy adds a policy.
func (s *server) CreateSlaPolicy(ctx context.Context, req apigen.CreateSlaPolicyRequestObject) (apigen.CreateSlaPolicyResponseObject, error) {
	p, err := s.policyIn(ctx, 0, req.Body)
	if err != nil {
		return nil, err
	}
	if err := s.d.SLA.SavePolicy(ctx, p); err != nil {
		return nil, err
	}
	return apigen.CreateSlaPolicy201JSONResponse{Body: policyOut(p), Headers: apigen.CreateSlaPolicy201ResponseHeaders{ETag: etag(p.Version)}}, nil
}

// UpdateSlaPolicy replaces a policy at the version the editor saw.
func (s *server) UpdateSlaPolicy(ctx context.Context, req apigen.UpdateSlaPolicyRequestObject) (apigen.UpdateSlaPolicyResponseObject, error) {
	v, err := versionOf(req.Params.IfMatch, req.Body.Version)
	if err != nil {
		return nil, err
	}
	p, err := s.policyIn(ctx, req.Id, req.Body)
	if err != nil {
		return nil, err
	}
	p.Version = v
	if err := s.d.SLA.SavePolicy(ctx, p); err != nil {
		return nil, err
	}
	return apigen.UpdateSlaPolicy200JSONResponse{Body: policyOut(p), Headers: apigen.UpdateSlaPolicy200ResponseHeaders{ETag: etag(p.Version)}}, nil
}

// DeleteSlaPolicy removes a policy.
func (s *server) DeleteSlaPolicy(ctx context.Context, req apigen.DeleteSlaPolicyRequestObject) (apigen.DeleteSlaPolicyResponseObject, error) {
	if err := s.d.SLA.DeletePolicy(ctx, req.Id); err != nil {
		return nil, err
	}
	return apigen.DeleteSlaPolicy204Response{}, nil
}
