package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// serviceDeskReportPage is the service-desk report (服务台报表) of a period: supervisors see every
// line of their service area, staff who work tickets and vendor engineers only their own lines.
type serviceDeskReportPage struct {
	basePage
	R        *ticket.DeskReport // nil when the period was refused
	N        *ticket.Names
	From, To string // the period form's values
	CSVURL   string
}

// Person is a user's display name.
func (p *serviceDeskReportPage) Person(id int64) string {
	if p.N == nil || p.N.User(id) == "" {
		return "—"
	}
	return p.N.User(id)
}

// Group is a support group's name.
func (p *serviceDeskReportPage) Group(id int64) string {
	if p.N == nil || p.N.Group(id) == "" {
		return "—"
	}
	return p.N.Group(id)
}

// Avg formats an average with one decimal, "—" when there was nothing to average.
func (p *serviceDeskReportPage) Avg(v float64, n int) string {
	if n == 0 {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// reportServiceDesk renders the report of the period in the query (the current month by default).
// Bad dates re-render the form with the problem and status 422.
func (h *Handler) reportServiceDesk(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	p := &serviceDeskReportPage{basePage: h.base(r, "web.desk_report.title"), From: q.Get("from"), To: q.Get("to")}
	from, to, err := h.d.Tickets.ReportPeriod(p.From, p.To)
	if errs.KindOf(err) == errs.Invalid && ticket.CanReport(actor.FromContext(ctx)) {
		p.fail(errs.Info(err))
		h.render(w, r, http.StatusUnprocessableEntity, "report/service_desk", p)
		return nil
	}
	if err != nil {
		return err
	}
	if p.R, err = h.d.Tickets.ServiceDeskReport(ctx, from, to); err != nil {
		return err
	}
	if p.N, err = h.d.Tickets.ReportNames(ctx, p.R); err != nil {
		return err
	}
	p.From, p.To = from.In(displayZone).Format(time.DateOnly), p.R.LastDay().In(displayZone).Format(time.DateOnly)
	p.CSVURL = "/reports/service-desk.csv?" + url.Values{"from": {p.From}, "to": {p.To}}.Encode()
	h.render(w, r, http.StatusOK, "report/service_desk", p)
	return nil
}

// reportServiceDeskCSV downloads the report as CSV (UTF-8 with BOM, for Excel on Chinese Windows).
func (h *Handler) reportServiceDeskCSV(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	from, to, err := h.d.Tickets.ReportPeriod(q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	rep, err := h.d.Tickets.ServiceDeskReport(ctx, from, to)
	if err != nil {
		return err
	}
	name := "service-desk-" + from.In(displayZone).Format("20060102") + "-" + rep.LastDay().In(displayZone).Format("20060102") + ".csv"
	return h.download(w, r, "csv", name, func(cw *countingWriter) error { return h.d.Tickets.ReportCSV(ctx, rep, cw) })
}

// download streams a file written by write. An error before the first byte becomes a page; after
// it, half a file is worse than none, so the response is aborted and the download fails.
func (h *Handler) download(w http.ResponseWriter, r *http.Request, format, name string, write func(cw *countingWriter) error) error {
	ctype := "text/csv; charset=utf-8"
	if format == "xlsx" {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := &countingWriter{w: w}
	if err := write(cw); err != nil {
		if cw.n == 0 {
			w.Header().Del("Content-Disposition")
			return err
		}
		h.d.Log.Error("download failed mid-stream", "path", r.URL.Path, "user", userName(r), "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}
