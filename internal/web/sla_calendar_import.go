package web

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"opsdesk/internal/errs"
)

// maxHolidayFile bounds an uploaded or pasted holiday file; a year is a few kilobytes.
const maxHolidayFile = 256 << 10

// slaCalendarImport replaces one year of listed days with an uploaded or pasted holiday-cn or
// holiday-calendar JSON file. A bad file changes nothing and its problems are listed.
func (h *Handler) slaCalendarImport(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseMultipartForm(maxHolidayFile); err != nil && err != http.ErrNotMultipart {
		return errs.E(errs.Invalid, "err.body_too_large", err)
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := slaImportForm{JSON: r.PostFormValue("json")}
	year, yerr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("year")))
	f.Year = year
	data := []byte(strings.TrimSpace(f.JSON))
	if file, _, ferr := r.FormFile("file"); ferr == nil {
		defer file.Close()
		b, rerr := io.ReadAll(io.LimitReader(file, maxHolidayFile+1))
		if rerr != nil || len(b) > maxHolidayFile {
			return errs.E(errs.Invalid, "err.body_too_large", rerr)
		}
		if len(strings.TrimSpace(string(b))) > 0 {
			data = b
		}
	}
	var err error
	switch {
	case yerr != nil:
		err = fieldErrors{"year": "err.number"}.err()
	case len(data) == 0:
		err = fieldErrors{"file": "err.sla.import_empty"}.err()
	default:
		_, err = h.d.SLA.ImportYear(r.Context(), r.PathValue("name"), year, data)
	}
	if ok, status, msg, fields := formError(err); ok {
		return h.slaCalendarFailed(w, r, status, msg, fields, func(p *slaCalendarPage) { p.Import = f })
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.imported")
	http.Redirect(w, r, "/admin/sla/calendars/"+url.PathEscape(r.PathValue("name"))+"?year="+strconv.Itoa(year), http.StatusSeeOther)
	return nil
}
