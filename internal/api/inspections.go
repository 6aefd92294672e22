package api

import (
	"context"
	"time"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/ticket"
)

// The quality inspection (质检) of closed tickets: samples, scores and the checklist.

func toInspection(in *ticket.Inspection, n *ticket.Names) apigen.Inspection {
	items := make([]apigen.ItemScore, len(in.Items))
	for i, it := range in.Items {
		items[i] = apigen.ItemScore{ItemId: it.ItemID, Name: it.Name, NameEn: it.NameEN, Weight: it.Weight, Points: it.Points}
	}
	out := apigen.Inspection{Id: in.ID, TicketId: in.TicketID, Number: in.Number, Subject: in.Subject,
		ClosedAt: timeOrNil(in.ClosedAt), EngineerId: in.EngineerID, EngineerName: n.User(in.EngineerID),
		Rule: apigen.SampleRule(in.Rule), SampledAt: in.SampledAt.UTC(), Scored: in.IsScored(),
		ScoredAt: timeOrNil(in.ScoredAt), Score: in.Score, Items: items, Comment: in.Comment, Version: in.Version}
	if in.InspectorID != 0 {
		out.InspectorId = &in.InspectorID
	}
	return out
}

// inspectionsOut maps inspections and averages with the engineers' names, looked up at once.
func (s *server) inspectionsOut(ctx context.Context, ins []*ticket.Inspection, avg []ticket.EngineerScore) (apigen.InspectionList, error) {
	var users []int64
	for _, in := range ins {
		users = append(users, in.EngineerID)
	}
	for _, a := range avg {
		users = append(users, a.EngineerID)
	}
	n, err := s.d.Tickets.Names(ctx, nil, users, nil)
	if err != nil {
		return apigen.InspectionList{}, err
	}
	out := apigen.InspectionList{Items: make([]apigen.Inspection, len(ins))}
	for i, in := range ins {
		out.Items[i] = toInspection(in, n)
	}
	if avg != nil {
		eng := make([]apigen.EngineerScore, len(avg))
		for i, a := range avg {
			eng[i] = apigen.EngineerScore{EngineerId: a.EngineerID, EngineerName: n.User(a.EngineerID), Count: a.Count, Average: a.Average}
		}
		out.Engineers = &eng
	}
	return out, nil
}

// SampleInspections draws a sample of closed tickets.
func (s *server) SampleInspections(ctx context.Context, req apigen.SampleInspectionsRequestObject) (apigen.SampleInspectionsResponseObject, error) {
	b := req.Body
	ins, err := s.d.Tickets.Sample(ctx, ticket.SampleSpec{From: b.From, To: b.To, Rule: ticket.SampleRule(b.Rule), Percent: or(b.Percent, 0)})
	if err != nil {
		return nil, err
	}
	out, err := s.inspectionsOut(ctx, ins, nil)
	return apigen.SampleInspections200JSONResponse(out), err
}

// ListInspections lists inspections with the average per engineer.
func (s *server) ListInspections(ctx context.Context, req apigen.ListInspectionsRequestObject) (apigen.ListInspectionsResponseObject, error) {
	p := req.Params
	f := ticket.InspectionFilter{Scored: p.Scored, EngineerID: or(p.EngineerId, 0), From: or(p.From, time.Time{}),
		To: or(p.To, time.Time{}), Limit: or(p.Limit, 100)}
	ins, avg, err := s.d.Tickets.Inspections(ctx, f)
	if err != nil {
		return nil, err
	}
	if avg == nil {
		avg = []ticket.EngineerScore{}
	}
	out, err := s.inspectionsOut(ctx, ins, avg)
	return apigen.ListInspections200JSONResponse(out), err
}

// ScoreInspection marks an inspection against the checklist.
func (s *server) ScoreInspection(ctx context.Context, req apigen.ScoreInspectionRequestObject) (apigen.ScoreInspectionResponseObject, error) {
	b := req.Body
	marks := make(map[int64]int, len(b.Items))
	for _, it := range b.Items {
		if _, dup := marks[it.ItemId]; dup {
			return nil, badRequest("err.invalid", "items", "err.inspection.item", nil)
		}
		marks[it.ItemId] = it.Points
	}
	in, err := s.d.Tickets.Score(ctx, req.Id, b.Version, marks, or(b.Comment, ""))
	if err != nil {
		return nil, err
	}
	n, err := s.d.Tickets.Names(ctx, nil, []int64{in.EngineerID}, nil)
	if err != nil {
		return nil, err
	}
	return apigen.ScoreInspection200JSONResponse(toInspection(in, n)), nil
}

func toChecklist(items []*ticket.ChecklistItem) apigen.ChecklistList {
	out := apigen.ChecklistList{Items: make([]apigen.ChecklistItem, len(items))}
	for i, c := range items {
		out.Items[i] = apigen.ChecklistItem{Id: &c.ID, Sort: &c.Sort, Name: c.Name, NameEn: &c.NameEN, Weight: c.Weight, Active: &c.Active}
	}
	return out
}

// GetInspectionChecklist returns the checklist.
func (s *server) GetInspectionChecklist(ctx context.Context, _ apigen.GetInspectionChecklistRequestObject) (apigen.GetInspectionChecklistResponseObject, error) {
	items, err := s.d.Tickets.Checklist(ctx)
	if err != nil {
		return nil, err
	}
	return apigen.GetInspectionChecklist200JSONResponse(toChecklist(items)), nil
}

// UpdateInspectionChecklist replaces the checklist.
func (s *server) UpdateInspectionChecklist(ctx context.Context, req apigen.UpdateInspectionChecklistRequestObject) (apigen.UpdateInspectionChecklistResponseObject, error) {
	in := make([]*ticket.ChecklistItem, len(req.Body.Items))
	for i, c := range req.Body.Items {
		in[i] = &ticket.ChecklistItem{ID: or(c.Id, 0), Sort: or(c.Sort, 0), Name: c.Name, NameEN: or(c.NameEn, ""),
			Weight: c.Weight, Active: or(c.Active, true)}
	}
	items, err := s.d.Tickets.SaveChecklist(ctx, in)
	if err != nil {
		return nil, err
	}
	return apigen.UpdateInspectionChecklist200JSONResponse(toChecklist(items)), nil
}
