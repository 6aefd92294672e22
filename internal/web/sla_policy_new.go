package web

import (
	"net/http"
	"strings"

	"opsdesk/internal/iam"
	"opsdesk/internal/sla"
)

// slaPolicyFormPage creates or edits a policy.
type slaPolicyFormPage struct {
	basePage
	IsNew bool
	Form  slaPolicyForm
	slaPolicyOptions
}

// slaPolicyOptions are the choices of the policy form.
type slaPolicyOptions struct {
	Calendars   []*sla.CalendarInfo
	TicketTypes []string
	Categories  []categoryRow
	Units       []*iam.OrgUnit
	Reassign    []targetGroup // the choices of the actions' reassign selects
}

// slaPolicyForm is what the policy form submits. Targets are business time as "30m", "4h" or
// "1h30m" (see sla.ParseTarget).
type slaPolicyForm struct {
	ID         int64
	Version    int
	Name       string
	Calendar   string
	TicketType string
	CategoryID int64
	OrgPath    string
	Targets    [4][3]string // priority × metric in sla.Metrics order
	WarnPct    int
	Actions    [2]slaActionForm // at warning, at breach
	Active     bool
}

// TargetFields lists the target inputs of one priority (0–3) with their field names.
func (f slaPolicyForm) TargetFields(prio int) []slaDayField {
	out := make([]slaDayField, len(sla.Metrics))
	for j, m := range sla.Metrics {
		out[j] = slaDayField{Name: slaTargetField(prio, m), Label: "web.sla.metric." + string(m), Value: f.Targets[prio][j]}
	}
	return out
}

// Priorities are the indexes of P1–P4 for the template.
func (slaPolicyForm) Priorities() []int { return []int{0, 1, 2, 3} }

// slaTargetField is the field name the domain uses for a target (sla.Policy.Validate).
func slaTargetField(prio int, m sla.Metric) string {
	return "targets.p" + string(rune('1'+prio)) + "." + string(m)
}

func (h *Handler) slaPolicyOptions(r *http.Request, f slaPolicyForm) (slaPolicyOptions, error) {
	o := slaPolicyOptions{TicketTypes: sla.TicketTypes}
	var err error
	if o.Reassign, err = h.reassignTargets(r, f.Actions); err != nil {
		return o, err
	}
	if o.Calendars, err = h.d.SLA.Calendars(r.Context()); err != nil {
		return o, err
	}
	cats, err := h.d.Tickets.Categories(r.Context())
	if err != nil {
		return o, err
	}
	o.Categories = categoryTree(cats)
	o.Units, err = h.d.IAM.OrgUnits(r.Context())
	return o, err
}

func slaPolicyFormOf(p *sla.Policy) slaPolicyForm {
	f := slaPolicyForm{ID: p.ID, Version: p.Version, Name: p.Name, Calendar: p.Calendar, TicketType: p.TicketType,
		CategoryID: p.CategoryID, OrgPath: p.OrgPath, WarnPct: int(p.WarnAt*100 + 0.5), Actions: slaActionForms(p.Actions),
		Active: p.Active}
	for i, ts := range p.Targets {
		for j, m := range sla.Metrics {
			f.Targets[i][j] = sla.FormatTarget(ts[m])
		}
	}
	return f
}

// readSLAPolicyForm reads the form; unreadable targets are named before the service runs.
func readSLAPolicyForm(r *http.Request, fe fieldErrors) (slaPolicyForm, *sla.Policy) {
	f := slaPolicyForm{Version: fe.int(r, "version"), Name: r.PostFormValue("name"), Calendar: r.PostFormValue("calendar"),
		TicketType: r.PostFormValue("ticket_type"), CategoryID: fe.id(r, "category_id"), OrgPath: r.PostFormValue("org_path"),
		WarnPct: fe.int(r, "warn_at"), Active: r.PostFormValue("active") == "on"}
	p := &sla.Policy{Version: f.Version, Name: f.Name, Calendar: f.Calendar, TicketType: f.TicketType, CategoryID: f.CategoryID,
		OrgPath: f.OrgPath, WarnAt: float64(f.WarnPct) / 100, Active: f.Active}
	f.Actions, p.Actions = readSLAActions(r, fe)
	if strings.TrimSpace(r.PostFormValue("warn_at")) == "" {
		f.WarnPct, p.WarnAt = 75, sla.DefaultWarnAt
	}
	for i := range p.Targets {
		p.Targets[i] = sla.Targets{}
		for j, m := range sla.Metrics {
			name := slaTargetField(i, m)
			f.Targets[i][j] = strings.TrimSpace(r.PostFormValue(name))
			d, err := sla.ParseTarget(f.Targets[i][j])
			if err != nil {
				fe[name] = "err.sla.target"
			}
			if d > 0 {
				p.Targets[i][m] = d
			}
		}
	}
	return f, p
}

// slaPolicyNew renders the empty form.
func (h *Handler) slaPolicyNew(w http.ResponseWriter, r *http.Request) error {
	f := slaPolicyForm{Calendar: sla.DefaultName, WarnPct: 75, Actions: slaActionForms(sla.DefaultActions()), Active: true}
	o, err := h.slaPolicyOptions(r, f)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "sla/policy_form", &slaPolicyFormPage{basePage: h.base(r, "web.sla.policy_new"), IsNew: true,
		Form: f, slaPolicyOptions: o})
	return nil
}
