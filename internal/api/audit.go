package api

import (
	"context"
	"io"
	"net/http"
	"time"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/audit"
)

func toEntry(e *audit.Entry) apigen.AuditEntry {
	return apigen.AuditEntry{Seq: e.Seq, At: e.At.UTC(), ActorId: e.ActorID, ActorName: e.ActorName,
		Action: e.Action, TargetType: e.TargetType, TargetId: e.TargetID, Ip: e.IP, UserAgent: e.UserAgent,
		Source: apigen.AuditEntrySource(e.Source), Result: apigen.AuditEntryResult(e.Result), Detail: e.Detail,
		Before: e.Before, After: e.After, PrevHash: e.PrevHash, Hash: e.Hash}
}

// auditFilter maps the query parameters that search and export share.
func auditFilter(actor, action, targetType, targetID, result, ip *string, from, to *time.Time, q *string) audit.Filter {
	return audit.Filter{Actor: or(actor, ""), Action: or(action, ""), TargetType: or(targetType, ""),
		TargetID: or(targetID, ""), Result: or(result, ""), IP: or(ip, ""), From: or(from, time.Time{}),
		To: or(to, time.Time{}), Text: or(q, "")}
}

// SearchAudit returns one page of the audit log, newest first.
func (s *server) SearchAudit(ctx context.Context, req apigen.SearchAuditRequestObject) (apigen.SearchAuditResponseObject, error) {
	p := req.Params
	f := auditFilter(p.Actor, p.Action, p.TargetType, p.TargetId, (*string)(p.Result), p.Ip, p.From, p.To, p.Q)
	f.Limit, f.BeforeSeq = or(p.Limit, 50), or(p.BeforeSeq, 0)
	es, err := s.d.Audit.Search(ctx, f)
	if err != nil {
		return nil, err
	}
	out := apigen.SearchAudit200JSONResponse{Items: make([]apigen.AuditEntry, len(es))}
	for i, e := range es {
		out.Items[i] = toEntry(e)
	}
	if len(es) > 0 && len(es) == f.Limit {
		out.NextBeforeSeq = &es[len(es)-1].Seq
	}
	return out, nil
}

// ExportAudit streams matching entries as CSV or Excel.
func (s *server) ExportAudit(ctx context.Context, req apigen.ExportAuditRequestObject) (apigen.ExportAuditResponseObject, error) {
	p := req.Params
	f := auditFilter(p.Actor, p.Action, p.TargetType, p.TargetId, (*string)(p.Result), p.Ip, p.From, p.To, p.Q)
	return auditExport{ctx: ctx, svc: s.d.Audit, f: f, xlsx: p.Format == apigen.ExportAuditParamsFormatXlsx}, nil
}

// auditExport writes the export straight to the response. Headers go out with the first byte, so a
// refusal before any output (the service checks audit.export) still becomes a proper error response.
type auditExport struct {
	ctx  context.Context
	svc  *audit.Service
	f    audit.Filter
	xlsx bool
}

// VisitExportAuditResponse implements apigen.ExportAuditResponseObject.
func (e auditExport) VisitExportAuditResponse(w http.ResponseWriter) error {
	name := "audit-" + e.svc.Now().UTC().Format("20060102-150405")
	lw := &lazyWriter{w: w, ctype: "text/csv; charset=utf-8", filename: name + ".csv"}
	if e.xlsx {
		lw.ctype, lw.filename = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+".xlsx"
		return e.svc.ExportXLSX(e.ctx, e.f, lw)
	}
	return e.svc.ExportCSV(e.ctx, e.f, lw)
}

// lazyWriter sends the download headers with the first write.
type lazyWriter struct {
	w               http.ResponseWriter
	ctype, filename string
	started         bool
}

var _ io.Writer = (*lazyWriter)(nil)

func (l *lazyWriter) Write(b []byte) (int, error) {
	if !l.started {
		l.started = true
		h := l.w.Header()
		h.Set("Content-Type", l.ctype)
		h.Set("Content-Disposition", `attachment; filename="`+l.filename+`"`)
		l.w.WriteHeader(http.StatusOK)
	}
	return l.w.Write(b)
}
