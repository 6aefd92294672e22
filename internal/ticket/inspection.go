package ticket

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// Quality inspection (质检): a supervisor draws a sample of the tickets closed in a period and scores
// each against a weighted checklist, so that the service centre can compare engineers and find
// what to train.

// ChecklistItem is one point of the inspection checklist (质检项), weighted.
type ChecklistItem struct {
	ID     int64
	Sort   int
	Name   string // zh-CN
	NameEN string
	Weight int // 1–100; an item's share of the total is its weight over the sum of weights
	Active bool
}

// Label is the item's name in lang, Chinese when there is no English name.
func (c *ChecklistItem) Label(lang string) string {
	if lang == "en" && c.NameEN != "" {
		return c.NameEN
	}
	return c.Name
}

// MaxPoints is the best mark of one checklist item; items are marked 0 to MaxPoints.
const MaxPoints = 5

// SampleRule says how a sample is drawn.
type SampleRule string

const (
	SampleRandom    SampleRule = "random"           // N % of the closed tickets, at random
	SampleLowRating SampleRule = "low_satisfaction" // every ticket rated LowRating or less
	SampleReopened  SampleRule = "reopened"         // every ticket that was reopened
	SampleSkipped   SampleRule = "skipped"          // every ticket with an emergency skip escalation (越级)
)

// SampleRules lists the rules in display order.
var SampleRules = []SampleRule{SampleRandom, SampleLowRating, SampleReopened, SampleSkipped}

// LowRating is the highest satisfaction score that counts as low.
const LowRating = 2

// SampleSpec is a supervisor's request for a sample.
type SampleSpec struct {
	From, To time.Time // tickets closed in [From, To)
	Rule     SampleRule
	Percent  int // for SampleRandom: 1–100
}

// Check validates the spec.
func (p SampleSpec) Check() error {
	var f errs.Fields
	if p.From.IsZero() {
		f.Add("from", "err.required")
	}
	if p.To.IsZero() {
		f.Add("to", "err.required")
	} else if !p.To.After(p.From) {
		f.Add("to", "err.inspection.period")
	}
	if !slices.Contains(SampleRules, p.Rule) {
		f.Add("rule", "err.inspection.rule")
	}
	if p.Rule == SampleRandom && (p.Percent < 1 || p.Percent > 100) {
		f.Add("percent", "err.inspection.percent")
	}
	return f.Err()
}

// Candidates selects the closed tickets a sample may draw from.
type Candidates struct {
	Scope    string // organisation path prefix of the tickets
	From, To time.Time
	Rule     SampleRule // random takes every closed ticket; the others their condition
}

// Inspection is one sampled ticket and, once scored, its marks.
type Inspection struct {
	ID          int64
	TicketID    int64
	Number      string // the ticket's number and subject, for lists
	Subject     string
	ClosedAt    time.Time
	EngineerID  int64 // who is inspected: the ticket's assignee, else its first-contact owner
	Rule        SampleRule
	SampledBy   int64
	SampledAt   time.Time
	InspectorID int64 // 0 until scored
	ScoredAt    time.Time
	Score       float64 // 0–100, weighted
	Items       []ItemScore
	Comment     string
	Version     int
}

// IsScored reports whether the inspection has its marks.
func (in *Inspection) IsScored() bool { return !in.ScoredAt.IsZero() }

// ItemScore is the mark of one checklist item, with the item's name and weight as they were.
type ItemScore struct {
	ItemID int64  `json:"item_id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
	Weight int    `json:"weight"`
	Points int    `json:"points"`
}

// InspectionFilter selects inspections. Zero values do not filter.
type InspectionFilter struct {
	Scope      string
	EngineerID int64
	Scored     *bool
	From, To   time.Time // sampled in [From, To)
	Limit      int
}

// EngineerScore is an engineer's average over their scored inspections.
type EngineerScore struct {
	EngineerID int64
	Count      int
	Average    float64
}

// InspectionStore persists the checklist and the inspections; store.Tickets implements it.
type InspectionStore interface {
	Checklist(ctx context.Context) ([]*ChecklistItem, error)
	// SaveChecklist replaces the checklist: items with an id are updated, the others inserted, and
	// items left out deleted (scored inspections keep their own copy of names and weights).
	SaveChecklist(ctx context.Context, items []*ChecklistItem) error
	// SampleCandidates lists the closed tickets matching c that were never inspected.
	SampleCandidates(ctx context.Context, c Candidates) ([]int64, error)
	// AddInspections inserts inspections, skipping tickets inspected meanwhile; it returns the ones
	// inserted with their ids.
	AddInspections(ctx context.Context, ins []*Inspection) ([]*Inspection, error)
	Inspection(ctx context.Context, id int64) (*Inspection, error) // errs.NotFound when absent
	// ScoreInspection saves the marks when in.Version is current; errs.Conflict otherwise.
	ScoreInspection(ctx context.Context, in *Inspection) error
	Inspections(ctx context.Context, f InspectionFilter) ([]*Inspection, error)
	EngineerScores(ctx context.Context, f InspectionFilter) ([]EngineerScore, error)
}

// Pick draws percent % of ids at random (at least one when there is any), in random order.
func Pick(ids []int64, percent int, r *rand.Rand) []int64 {
	if len(ids) == 0 || percent <= 0 {
		return nil
	}
	n := min(len(ids), int(math.Ceil(float64(len(ids))*float64(percent)/100)))
	out := slices.Clone(ids)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out[:n]
}

// Weigh computes the weighted score (0–100, one decimal) of marks against the active checklist.
// Every active item must be marked once, with 0 to MaxPoints; the marks keep each item's name and
// weight so that later checklist edits leave the score as it was.
func Weigh(list []*ChecklistItem, marks map[int64]int) ([]ItemScore, float64, error) {
	var f errs.Fields
	var out []ItemScore
	total, weights := 0.0, 0
	for _, c := range list {
		if !c.Active {
			continue
		}
		p, ok := marks[c.ID]
		field := "item_" + strconv.FormatInt(c.ID, 10)
		switch {
		case !ok:
			f.Add(field, "err.required")
			continue
		case p < 0 || p > MaxPoints:
			f.Add(field, "err.inspection.points")
			continue
		}
		out = append(out, ItemScore{ItemID: c.ID, Name: c.Name, NameEN: c.NameEN, Weight: c.Weight, Points: p})
		total += float64(c.Weight) * float64(p) / MaxPoints
		weights += c.Weight
	}
	for id := range marks {
		if !slices.ContainsFunc(list, func(c *ChecklistItem) bool { return c.ID == id && c.Active }) {
			f.Add("item_"+strconv.FormatInt(id, 10), "err.inspection.item")
		}
	}
	if weights == 0 && len(f) == 0 {
		f.Add("items", "err.inspection.no_items")
	}
	if err := f.Err(); err != nil {
		return nil, 0, err
	}
	return out, math.Round(total/float64(weights)*1000) / 10, nil
}

// CheckChecklist validates a checklist an administrator saves.
func CheckChecklist(items []*ChecklistItem) error {
	var f errs.Fields
	active := 0
	seen := map[string]bool{}
	for i, c := range items {
		c.Name, c.NameEN = strings.TrimSpace(c.Name), strings.TrimSpace(c.NameEN)
		p := "items." + strconv.Itoa(i) + "."
		f.Line(p+"name", c.Name, 1, 64)
		f.Line(p+"name_en", c.NameEN, 0, 64)
		if c.Weight < 1 || c.Weight > 100 {
			f.Add(p+"weight", "err.inspection.weight")
		}
		if seen[c.Name] {
			f.Add(p+"name", "err.inspection.duplicate")
		}
		seen[c.Name] = true
		if c.Active {
			active++
		}
	}
	if len(items) > 50 {
		f.Add("items", "err.too_long")
	}
	if active == 0 {
		f.Add("items", "err.inspection.no_items")
	}
	return f.Err()
}

// canInspect: supervisors (ticket.manage) run quality inspection.
func canInspect(a *actor.Actor) error {
	if a == nil || a.UserID == 0 {
		return errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	if !a.Can(PermManage) {
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	return nil
}

// Checklist returns the inspection checklist, for supervisors and administrators.
func (s *Service) Checklist(ctx context.Context) ([]*ChecklistItem, error) {
	a := actor.FromContext(ctx)
	if err := canInspect(a); err != nil && (a == nil || !a.Can(PermConfigure)) {
		return nil, err
	}
	return s.Store.Checklist(ctx)
}

// SaveChecklist replaces the checklist (ticket.configure), audited.
func (s *Service) SaveChecklist(ctx context.Context, items []*ChecklistItem) ([]*ChecklistItem, error) {
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	if !a.Can(PermConfigure) {
		return nil, errs.E(errs.Forbidden, "err.forbidden")
	}
	if err := CheckChecklist(items); err != nil {
		return nil, err
	}
	var out []*ChecklistItem
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		before, err := s.Store.Checklist(ctx)
		if err != nil {
			return err
		}
		if err := s.Store.SaveChecklist(ctx, items); err != nil {
			return err
		}
		if out, err = s.Store.Checklist(ctx); err != nil {
			return err
		}
		return s.recordTarget(ctx, "inspection.checklist", "inspection_checklist", "", before, out)
	})
	return out, err
}

// Sample draws a sample of the closed tickets of a period in the supervisor's organisation
// subtree, never one inspected before, and returns the new inspections.
func (s *Service) Sample(ctx context.Context, p SampleSpec) ([]*Inspection, error) {
	a := actor.FromContext(ctx)
	if err := canInspect(a); err != nil {
		return nil, err
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	var out []*Inspection
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		ids, err := s.Store.SampleCandidates(ctx, Candidates{Scope: a.ServiceScope(), From: p.From.UTC(), To: p.To.UTC(), Rule: p.Rule})
		if err != nil {
			return err
		}
		if p.Rule == SampleRandom {
			ids = Pick(ids, p.Percent, rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())))
		}
		now := s.Now()
		var ins []*Inspection
		for _, id := range ids {
			t, err := s.Store.Get(ctx, id)
			if err != nil {
				return err
			}
			if t.Status != Closed || !CanView(a, t) { // the store's choice, checked again by the rules
				continue
			}
			eng := t.AssigneeID
			if eng == 0 {
				eng = t.OwnerID
			}
			ins = append(ins, &Inspection{TicketID: t.ID, Number: t.Number, Subject: t.Subject, ClosedAt: t.ClosedAt,
				EngineerID: eng, Rule: p.Rule, SampledBy: a.UserID, SampledAt: now})
		}
		if out, err = s.Store.AddInspections(ctx, ins); err != nil {
			return err
		}
		picked := make([]int64, len(out))
		for i, in := range out {
			picked[i] = in.TicketID
		}
		return s.recordTarget(ctx, "inspection.sample", "inspection", "", nil,
			map[string]any{"rule": p.Rule, "percent": p.Percent, "from": p.From, "to": p.To, "tickets": picked})
	})
	return out, err
}

// Inspections lists the inspections of tickets in the supervisor's subtree, newest first.
func (s *Service) Inspections(ctx context.Context, f InspectionFilter) ([]*Inspection, []EngineerScore, error) {
	a := actor.FromContext(ctx)
	if err := canInspect(a); err != nil {
		return nil, nil, err
	}
	f.Scope = a.ServiceScope()
	list, err := s.Store.Inspections(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	avg, err := s.Store.EngineerScores(ctx, f)
	return list, avg, err
}

// Inspection returns one inspection of a ticket in the supervisor's subtree.
func (s *Service) Inspection(ctx context.Context, id int64) (*Inspection, error) {
	a := actor.FromContext(ctx)
	if err := canInspect(a); err != nil {
		return nil, err
	}
	in, err := s.Store.Inspection(ctx, id)
	if err != nil {
		return nil, err
	}
	t, err := s.Store.Get(ctx, in.TicketID)
	if err != nil || !CanView(a, t) {
		return nil, errs.E(errs.NotFound, "err.not_found")
	}
	return in, nil
}

// Score marks an inspection against the active checklist with a comment, at the version the
// inspector saw; a later score replaces an earlier one and both are audited. Nobody inspects a
// ticket they handled themselves.
func (s *Service) Score(ctx context.Context, id int64, version int, marks map[int64]int, comment string) (*Inspection, error) {
	a := actor.FromContext(ctx)
	if err := canInspect(a); err != nil {
		return nil, err
	}
	comment = strings.TrimSpace(comment)
	var f errs.Fields
	f.Text("comment", comment, 0, 2000)
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *Inspection
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		in, err := s.Inspection(ctx, id)
		if err != nil {
			return err
		}
		if in.EngineerID == a.UserID {
			return errs.E(errs.Forbidden, "err.inspection.own")
		}
		if version != 0 && version != in.Version {
			return errs.E(errs.Conflict, "err.stale")
		}
		list, err := s.Store.Checklist(ctx)
		if err != nil {
			return err
		}
		items, score, err := Weigh(list, marks)
		if err != nil {
			return err
		}
		before := inspectionView(in)
		in.Items, in.Score, in.Comment, in.InspectorID, in.ScoredAt = items, score, comment, a.UserID, s.Now()
		if err := s.Store.ScoreInspection(ctx, in); err != nil {
			return err
		}
		out = in
		return s.recordTarget(ctx, "inspection.score", "inspection", strconv.FormatInt(in.ID, 10), before, inspectionView(in))
	})
	return out, err
}

func inspectionView(in *Inspection) map[string]any {
	if !in.IsScored() {
		return map[string]any{"ticket_id": in.TicketID, "engineer_id": in.EngineerID}
	}
	return map[string]any{"ticket_id": in.TicketID, "engineer_id": in.EngineerID, "score": in.Score,
		"items": in.Items, "comment": in.Comment, "inspector_id": in.InspectorID}
}

// TicketSurvey returns the satisfaction survey of a ticket the actor may see, for the inspector
// to weigh beside the checklist; errs.NotFound when there is none.
func (s *Service) TicketSurvey(ctx context.Context, id int64) (*Survey, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	return s.Store.Survey(ctx, id)
}
