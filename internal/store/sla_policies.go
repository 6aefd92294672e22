package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/sla"
)

type slaPolicyRow struct {
	bun.BaseModel `bun:"table:sla_policies,alias:p"`
	ID            int64 `bun:",pk,autoincrement"`
	Name          string
	CalendarID    int64
	TicketType    string
	CategoryID    int64
	OrgPath       string
	TargetsJSON   string `bun:"targets_json"`
	WarnAt        float64
	ActionsJSON   string `bun:"actions_json"`
	Active        bool
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
	CalendarName  string `bun:"calendar_name,scanonly"`
}

// targetsJSON is the stored shape of the targets: per priority, metric → seconds.
func targetsJSON(ts [4]sla.Targets) string {
	out := make([]map[string]int64, 4)
	for i, t := range ts {
		out[i] = map[string]int64{}
		for m, d := range t {
			if d > 0 {
				out[i][string(m)] = int64(d / time.Second)
			}
		}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// actionJSON is the stored shape of one action (sla.Action).
type actionJSON struct {
	Notify          bool  `json:"notify,omitempty"`
	ReassignGroupID int64 `json:"reassign_group_id,omitempty"`
	ReassignUserID  int64 `json:"reassign_user_id,omitempty"`
	RaiseTier       bool  `json:"raise_tier,omitempty"`
	ReportUp        bool  `json:"report_up,omitempty"`
}

// actionsJSON is the stored shape of a policy's actions: {"warning": {…}, "breach": {…}}.
func actionsJSON(as sla.Actions) string {
	one := func(a sla.Action) actionJSON {
		return actionJSON{Notify: a.Notify, ReassignGroupID: a.ReassignGroupID, ReassignUserID: a.ReassignUserID,
			RaiseTier: a.RaiseTier, ReportUp: a.ReportUp}
	}
	b, _ := json.Marshal(map[string]actionJSON{"warning": one(as.Warning), "breach": one(as.Breach)})
	return string(b)
}

func parseActions(s string) (sla.Actions, error) {
	var in map[string]actionJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return sla.Actions{}, err
	}
	one := func(a actionJSON) sla.Action {
		return sla.Action{Notify: a.Notify, ReassignGroupID: a.ReassignGroupID, ReassignUserID: a.ReassignUserID,
			RaiseTier: a.RaiseTier, ReportUp: a.ReportUp}
	}
	return sla.Actions{Warning: one(in["warning"]), Breach: one(in["breach"])}, nil
}

func parseTargets(s string) ([4]sla.Targets, error) {
	var in []map[string]int64
	var out [4]sla.Targets
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return out, err
	}
	for i := range min(len(in), 4) {
		out[i] = sla.Targets{}
		for m, sec := range in[i] {
			out[i][sla.Metric(m)] = time.Duration(sec) * time.Second
		}
	}
	return out, nil
}

// Policies lists every SLA policy with its calendar's name.
func (s SLA) Policies(ctx context.Context) ([]*sla.Policy, error) {
	var rows []slaPolicyRow
	err := s.r(ctx).NewSelect().Model(&rows).ColumnExpr("p.*, c.name AS calendar_name").
		Join("JOIN sla_calendars AS c ON c.id = p.calendar_id").OrderExpr("p.id").Scan(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*sla.Policy, len(rows))
	for i, r := range rows {
		ts, err := parseTargets(r.TargetsJSON)
		if err != nil {
			return nil, err
		}
		as, err := parseActions(r.ActionsJSON)
		if err != nil {
			return nil, fmt.Errorf("SLA policy %d actions: %w", r.ID, err)
		}
		out[i] = &sla.Policy{ID: r.ID, Name: r.Name, Calendar: r.CalendarName, TicketType: r.TicketType, CategoryID: r.CategoryID,
			OrgPath: r.OrgPath, Targets: ts, WarnAt: r.WarnAt, Actions: as, Active: r.Active, Version: r.Version}
	}
	return out, nil
}

// SavePolicy inserts a policy (ID 0) or updates it at its version; calendarID is its calendar's id.
func (s SLA) SavePolicy(ctx context.Context, p *sla.Policy, calendarID int64) error {
	now := s.Now().UTC()
	row := &slaPolicyRow{ID: p.ID, Name: p.Name, CalendarID: calendarID, TicketType: p.TicketType, CategoryID: p.CategoryID,
		OrgPath: p.OrgPath, TargetsJSON: targetsJSON(p.Targets), WarnAt: p.WarnAt, ActionsJSON: actionsJSON(p.Actions),
		Active: p.Active, Version: p.Version + 1,
		CreatedAt: now, UpdatedAt: now}
	if p.ID == 0 {
		row.Version = 1
		if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return classify(err, "sla.policy")
		}
		p.ID, p.Version = row.ID, 1
		return nil
	}
	res, err := s.w(ctx).NewUpdate().Model(row).ExcludeColumn("id", "created_at").
		Where("id = ? AND version = ?", p.ID, p.Version).Exec(ctx)
	if err != nil {
		return classify(err, "sla.policy")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.Conflict, "err.stale")
	}
	p.Version++
	return nil
}

// DeletePolicy removes a policy.
func (s SLA) DeletePolicy(ctx context.Context, id int64) error {
	res, err := s.w(ctx).NewDelete().Model((*slaPolicyRow)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "err.not_found")
	}
	return nil
}

// DeleteCalendar removes a calendar and its days.
func (s SLA) DeleteCalendar(ctx context.Context, id int64) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.w(ctx).NewDelete().Model((*calendarDayRow)(nil)).Where("calendar_id = ?", id).Exec(ctx); err != nil {
			return err
		}
		res, err := s.w(ctx).NewDelete().Model((*calendarRow)(nil)).Where("id = ?", id).Exec(ctx)
		if err != nil {
			return classify(err, "sla.calendar")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "err.not_found")
		}
		return nil
	})
}
