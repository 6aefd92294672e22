package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/sla"
	"opsdesk/internal/ticket"
)

// slaReportPage is SLA achievement (达成率) of a period for supervisors: per priority, per support
// group and in all.
type slaReportPage struct {
	basePage
	R        *sla.Achievement // nil when the period was refused
	N        *ticket.Names
	From, To string
	CSVURL   string
}

// Group is a support group's name; "" for tickets in no group.
func (p *slaReportPage) Group(id int64) string {
	if p.N == nil || id == 0 {
		return ""
	}
	return p.N.Group(id)
}

// Pct formats an achievement percentage with one decimal, "—" when no clock stopped.
func (p *slaReportPage) Pct(l sla.AchievementLine) string {
	if l.Stopped() == 0 {
		return "—"
	}
	return strconv.FormatFloat(l.Percent(), 'f', 1, 64) + "%"
}

// reportSLA renders SLA achievement of the period in the query (the current month by default).
func (h *Handler) reportSLA(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	p := &slaReportPage{basePage: h.base(r, "sla.report.title"), From: q.Get("from"), To: q.Get("to")}
	from, to, err := h.d.Tickets.ReportPeriod(p.From, p.To)
	if errs.KindOf(err) == errs.Invalid && actor.FromContext(ctx).Can(ticket.PermManage) {
		p.fail(errs.Info(err))
		h.render(w, r, http.StatusUnprocessableEntity, "report/sla", p)
		return nil
	}
	if err != nil {
		return err
	}
	if p.R, err = h.d.Clocks.Achievement(ctx, from, to); err != nil {
		return err
	}
	if p.N, err = h.achievementNames(ctx, p.R); err != nil {
		return err
	}
	p.From, p.To = from.In(displayZone).Format(time.DateOnly), to.In(displayZone).AddDate(0, 0, -1).Format(time.DateOnly)
	p.CSVURL = "/reports/sla.csv?" + url.Values{"from": {p.From}, "to": {p.To}}.Encode()
	h.render(w, r, http.StatusOK, "report/sla", p)
	return nil
}

// reportSLACSV downloads SLA achievement as CSV (UTF-8 with BOM).
func (h *Handler) reportSLACSV(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	from, to, err := h.d.Tickets.ReportPeriod(q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	rep, err := h.d.Clocks.Achievement(ctx, from, to)
	if err != nil {
		return err
	}
	n, err := h.achievementNames(ctx, rep)
	if err != nil {
		return err
	}
	name := "sla-" + from.In(displayZone).Format("20060102") + "-" + to.In(displayZone).AddDate(0, 0, -1).Format("20060102") + ".csv"
	return h.download(w, r, "csv", name, func(cw *countingWriter) error {
		return h.d.Clocks.AchievementCSV(ctx, rep, displayZone, n.Group, cw)
	})
}

// achievementNames looks up the names of the support groups a report lists, for the page and the CSV.
func (h *Handler) achievementNames(ctx context.Context, rep *sla.Achievement) (*ticket.Names, error) {
	groups := make([]int64, 0, len(rep.ByGroup))
	for _, g := range rep.ByGroup {
		groups = append(groups, g.Key)
	}
	return h.d.Tickets.Names(ctx, nil, nil, groups)
}
