package api

import (
	"context"
	"net/http"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/ticket"
)

// GetServiceDeskReport returns the service-desk report (服务台报表) of a period as JSON, or streams it
// as CSV (UTF-8 with BOM). Bad dates are 422 from the service, not 400: the spec takes them as text.
func (s *server) GetServiceDeskReport(ctx context.Context, req apigen.GetServiceDeskReportRequestObject) (apigen.GetServiceDeskReportResponseObject, error) {
	p := req.Params
	from, to, err := s.d.Tickets.ReportPeriod(or(p.From, ""), or(p.To, ""))
	if err != nil {
		return nil, err
	}
	r, err := s.d.Tickets.ServiceDeskReport(ctx, from, to)
	if err != nil {
		return nil, err
	}
	if p.Format != nil && *p.Format == apigen.GetServiceDeskReportParamsFormatCsv {
		return reportCSV{ctx: ctx, svc: s.d.Tickets, r: r}, nil
	}
	n, err := s.d.Tickets.ReportNames(ctx, r)
	if err != nil {
		return nil, err
	}
	return apigen.GetServiceDeskReport200JSONResponse(toReport(r, n, s.d.Tickets.Zone)), nil
}

func toReport(r *ticket.DeskReport, n *ticket.Names, zone *time.Location) apigen.ServiceDeskReport {
	if zone == nil {
		zone = time.UTC
	}
	out := apigen.ServiceDeskReport{From: openapi_types.Date{Time: r.From.In(zone)}, To: openapi_types.Date{Time: r.LastDay().In(zone)},
		Own: r.Own, Total: r.Total, SkipsMore: r.SkipsMore, Owners: []apigen.ReportOwnerLine{},
		Engineers: []apigen.ReportEngineerLine{}, Groups: []apigen.ReportGroupLine{}, Skips: []apigen.ReportSkip{},
		ByType: tallies(r.ByType), ByChannel: tallies(r.ByChannel), ByPriority: tallies(r.ByPriority)}
	for _, l := range r.Owners {
		out.Owners = append(out.Owners, apigen.ReportOwnerLine{UserId: l.UserID, Name: n.User(l.UserID), Taken: l.Taken,
			Resolved: l.Resolved, HandedOver: l.HandedOver})
	}
	for _, l := range r.Engineers {
		out.Engineers = append(out.Engineers, apigen.ReportEngineerLine{UserId: l.UserID, Name: n.User(l.UserID),
			Assigned: l.Assigned, Resolved: l.Resolved, AvgMinutes: float32(l.AvgMinutes()), Rated: l.Rated,
			AvgSatisfaction: float32(l.AvgScore()), Urges: l.Urges, Reopened: l.Reopened})
	}
	for _, l := range r.Groups {
		out.Groups = append(out.Groups, apigen.ReportGroupLine{GroupId: l.GroupID, Name: n.Group(l.GroupID), Opened: l.Opened,
			Resolved: l.Resolved, EscalatedOut: l.EscalatedOut})
	}
	for _, k := range r.Skips {
		out.Skips = append(out.Skips, apigen.ReportSkip{TicketId: k.TicketID, Number: k.Number, Subject: k.Subject, At: k.At,
			ById: k.ActorID, By: n.User(k.ActorID), FromGroup: n.Group(k.FromGroup), ToGroup: n.Group(k.ToGroup), Reason: k.Reason})
	}
	return out
}

func tallies(ts []ticket.Tally) []apigen.ReportTally {
	out := make([]apigen.ReportTally, len(ts))
	for i, t := range ts {
		out[i] = apigen.ReportTally{Key: t.Key, Count: t.Count}
	}
	return out
}

// reportCSV writes the CSV straight to the response; headers go out with the first byte, so a
// refusal before any output still becomes a proper error response.
type reportCSV struct {
	ctx context.Context
	svc *ticket.Service
	r   *ticket.DeskReport
}

// VisitGetServiceDeskReportResponse implements apigen.GetServiceDeskReportResponseObject.
func (e reportCSV) VisitGetServiceDeskReportResponse(w http.ResponseWriter) error {
	zone := e.svc.Zone
	if zone == nil {
		zone = time.UTC
	}
	name := "service-desk-" + e.r.From.In(zone).Format("20060102") + "-" + e.r.LastDay().In(zone).Format("20060102") + ".csv"
	return e.svc.ReportCSV(e.ctx, e.r, &lazyWriter{w: w, ctype: "text/csv; charset=utf-8", filename: name})
}
