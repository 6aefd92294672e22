package web

import (
	"io"
	"net/http"
	"time"

	"opsdesk/internal/audit"
)

// auditExport returns the handler that downloads the entries matching the list's filters as CSV
// (UTF-8 with BOM, for Excel on Chinese Windows) or as an Excel workbook.
func (h *Handler) auditExport(format string) handlerFunc {
	ctype := "text/csv; charset=utf-8"
	if format == "xlsx" {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		f, fe := readAuditQuery(r).filter()
		if err := fe.err(); err != nil {
			return err
		}
		f.BeforeSeq = 0
		// Check the permission with a cheap search before the download starts, while an error can
		// still become a page.
		if _, err := h.d.Audit.Search(r.Context(), audit.Filter{Limit: 1}); err != nil {
			return err
		}
		name := "audit-" + time.Now().In(displayZone).Format("20060102-150405") + "." + format
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		w.Header().Set("Cache-Control", "no-store")
		cw := &countingWriter{w: w}
		export := h.d.Audit.ExportCSV
		if format == "xlsx" {
			export = h.d.Audit.ExportXLSX
		}
		if err := export(r.Context(), f, cw); err != nil {
			if cw.n == 0 {
				w.Header().Del("Content-Disposition")
				return err
			}
			// Half a file is worse than none: log, and abort the response so the download fails.
			h.d.Log.Error("audit export failed mid-stream", "format", format, "user", userName(r), "err", err)
			panic(http.ErrAbortHandler)
		}
		return nil
	}
}

// countingWriter counts the bytes written, to know whether an error can still become a page.
type countingWriter struct {
	w io.Writer
	n int64
}

// Write passes p on and counts what was written.
func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
