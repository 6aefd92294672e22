package web

import (
	"net/http"

	"opsdesk/internal/sla"
)

// slaPoliciesPage lists the SLA policies (服务级别策略) with their narrowing and targets.
type slaPoliciesPage struct {
	basePage
	Rows []slaPolicyRow
}

// slaPolicyRow is one policy with the names of what narrows it and its targets per priority.
type slaPolicyRow struct {
	*sla.Policy
	Category string
	OrgUnit  string
	Targets  [4][3]string // priority × (first response, next response, resolution)
	WarnPct  int
	Actions  []slaActionSummary
}

// slaPolicyList renders the policies.
func (h *Handler) slaPolicyList(w http.ResponseWriter, r *http.Request) error {
	ps, err := h.d.SLA.Policies(r.Context())
	if err != nil {
		return err
	}
	opts, err := h.slaPolicyOptions(r, slaPolicyForm{})
	if err != nil {
		return err
	}
	l, err := h.lookup(r.Context(), langOf(r))
	if err != nil {
		return err
	}
	p := &slaPoliciesPage{basePage: h.base(r, "web.sla.policies")}
	for _, pol := range ps {
		row := slaPolicyRow{Policy: pol, WarnPct: int(pol.WarnAt*100 + 0.5), Actions: slaActionSummaries(l, pol.Actions)}
		for _, c := range opts.Categories {
			if c.ID == pol.CategoryID {
				row.Category = c.Name
			}
		}
		for _, u := range opts.Units {
			if u.Path == pol.OrgPath {
				row.OrgUnit = u.Name
			}
		}
		for i, ts := range pol.Targets {
			for j, m := range sla.Metrics {
				row.Targets[i][j] = sla.FormatTarget(ts[m])
			}
		}
		p.Rows = append(p.Rows, row)
	}
	h.render(w, r, http.StatusOK, "sla/policies", p)
	return nil
}
