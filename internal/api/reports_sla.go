package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/errs"
	"opsdesk/internal/sla"
	"opsdesk/internal/ticket"
)

// GetSLAReport returns SLA achievement (达成率) of a period as JSON, or streams it as CSV.
func (s *server) GetSLAReport(ctx context.Context, req apigen.GetSLAReportRequestObject) (apigen.GetSLAReportResponseObject, error) {
	if s.d.Clocks == nil {
		return nil, errs.E(errs.NotFound, "err.not_found")
	}
	p := req.Params
	from, to, err := s.d.Tickets.ReportPeriod(or(p.From, ""), or(p.To, ""))
	if err != nil {
		return nil, err
	}
	r, err := s.d.Clocks.Achievement(ctx, from, to)
	if err != nil {
		return nil, err
	}
	var groups []int64
	for _, g := range r.ByGroup {
		groups = append(groups, g.Key)
	}
	n, err := s.d.Tickets.Names(ctx, nil, nil, groups)
	if err != nil {
		return nil, err
	}
	zone := s.d.Tickets.Zone
	if zone == nil {
		zone = time.UTC
	}
	if p.Format != nil && *p.Format == apigen.GetSLAReportParamsFormatCsv {
		return slaCSV{ctx: ctx, tr: s.d.Clocks, r: r, zone: zone, n: n}, nil
	}
	line := func(x sla.AchievementLine, name string) apigen.SLAReportLine {
		return apigen.SLAReportLine{Key: x.Key, Name: name, Stopped: x.Stopped(), Met: x.Met, Missed: x.Missed,
			Achievement: float32(x.Percent()), Breaches: x.Breaches}
	}
	out := apigen.SLAReport{From: openapi_types.Date{Time: r.From.In(zone)}, To: openapi_types.Date{Time: r.To.In(zone).AddDate(0, 0, -1)},
		Total: line(r.Total, ""), ByPriority: []apigen.SLAReportLine{}, ByGroup: []apigen.SLAReportLine{}}
	for _, x := range r.ByPriority {
		out.ByPriority = append(out.ByPriority, line(x, "P"+strconv.FormatInt(x.Key, 10)))
	}
	for _, x := range r.ByGroup {
		out.ByGroup = append(out.ByGroup, line(x, n.Group(x.Key)))
	}
	return apigen.GetSLAReport200JSONResponse(out), nil
}

// slaCSV writes the CSV straight to the response, headers with the first byte.
type slaCSV struct {
	ctx  context.Context
	tr   *sla.Tracker
	r    *sla.Achievement
	zone *time.Location
	n    *ticket.Names
}

// VisitGetSLAReportResponse implements apigen.GetSLAReportResponseObject.
func (e slaCSV) VisitGetSLAReportResponse(w http.ResponseWriter) error {
	name := "sla-" + e.r.From.In(e.zone).Format("20060102") + "-" + e.r.To.In(e.zone).AddDate(0, 0, -1).Format("20060102") + ".csv"
	return e.tr.AchievementCSV(e.ctx, e.r, e.zone, e.n.Group, &lazyWriter{w: w, ctype: "text/csv; charset=utf-8", filename: name})
}
