package web

import (
	"net/http"
	"strings"

	"opsdesk/internal/actor"
)

// queueExport returns the handler that downloads the workspace's current filter (tab, status,
// priority, type, group, category, search; every page) as the technical-support record
// (技术支持记录表), CSV or Excel, through ticket.Service.Export, which streams it a page at a time.
func (h *Handler) queueExport(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		a := actor.FromContext(ctx)
		f := readQueueFilter(r, a)
		f.After = ""
		l, err := h.lookup(ctx, langOf(r))
		if err != nil {
			return err
		}
		tf := queueTicketFilter(f, a, l)
		name := "tickets-" + h.d.Tickets.Now().In(displayZone).Format("20060102-150405") + "." + format
		return h.download(w, r, format, name, func(cw *countingWriter) error { return h.d.Tickets.Export(ctx, tf, format, cw) })
	}
}

// ExportURL is the download of this filter's tickets in format (csv or xlsx), every page.
func (f queueFilter) ExportURL(format string) string {
	return "/tickets/export." + format + strings.TrimPrefix(f.URL("", ""), "/tickets")
}
