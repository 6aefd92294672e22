package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
)

// auditPerPage is the page size of the audit log.
const auditPerPage = 50

// auditPage searches the audit log (审计日志), newest first, paged by sequence number so that new
// entries do not shift the pages. The table is a partial that htmx replaces as the filters change.
type auditPage struct {
	basePage
	Entries   []*audit.Entry
	Filter    auditQuery
	NextURL   string
	FirstURL  string
	CSVURL    string
	XLSXURL   string
	CanExport bool
	Results   []string
}

// auditQuery is the search form, as typed; dates are days in China Standard Time.
type auditQuery struct {
	Actor, Action, TargetType, TargetID, Result, IP, From, To, Text string
	Before                                                          int64
}

var auditResults = []string{audit.ResultOK, audit.ResultDenied, audit.ResultFailed}

func readAuditQuery(r *http.Request) auditQuery {
	q := r.URL.Query()
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	aq := auditQuery{Actor: get("actor"), Action: get("action"), TargetType: get("target_type"), TargetID: get("target_id"),
		Result: get("result"), IP: get("ip"), From: get("from"), To: get("to"), Text: get("text")}
	aq.Before, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	return aq
}

// filter turns the form into an audit.Filter; bad dates are field errors.
func (q auditQuery) filter() (audit.Filter, fieldErrors) {
	fe := fieldErrors{}
	f := audit.Filter{Actor: q.Actor, Action: q.Action, TargetType: q.TargetType, TargetID: q.TargetID,
		Result: q.Result, IP: q.IP, Text: q.Text, BeforeSeq: max(q.Before, 0)}
	day := func(name, v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", v, displayZone)
		if err != nil {
			fe[name] = "err.date"
		}
		return t
	}
	f.From = day("from", q.From)
	if to := day("to", q.To); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1) // the whole day: the store's bound is exclusive
	}
	return f, fe
}

// url is the list or an export with the same filters; before > 0 asks for older entries.
func (q auditQuery) url(path string, before int64) string {
	v := url.Values{}
	for k, s := range map[string]string{"actor": q.Actor, "action": q.Action, "target_type": q.TargetType,
		"target_id": q.TargetID, "result": q.Result, "ip": q.IP, "from": q.From, "to": q.To, "text": q.Text} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if before > 0 {
		v.Set("before", strconv.FormatInt(before, 10))
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// auditList renders the audit search, or only its table for an htmx request.
func (h *Handler) auditList(w http.ResponseWriter, r *http.Request) error {
	q := readAuditQuery(r)
	p := &auditPage{basePage: h.base(r, "web.audit.title"), Filter: q, Results: auditResults,
		FirstURL: q.url("/audit", 0), CSVURL: q.url("/audit/export.csv", 0), XLSXURL: q.url("/audit/export.xlsx", 0)}
	p.CanExport = p.Can(iam.PermAuditExport)
	f, fe := q.filter()
	status := http.StatusOK
	if len(fe) > 0 && isHTMX(r) {
		// The filter form is not swapped, so its field messages would not show: say it in an alert.
		return errs.E(errs.Invalid, "err.date")
	}
	if len(fe) > 0 {
		p.fail("err.invalid", fe)
		status = http.StatusUnprocessableEntity
	} else {
		f.Limit = auditPerPage + 1
		entries, err := h.d.Audit.Search(r.Context(), f)
		if err != nil {
			return err
		}
		if len(entries) > auditPerPage {
			entries = entries[:auditPerPage]
			p.NextURL = q.url("/audit", entries[len(entries)-1].Seq)
		}
		p.Entries = entries
	}
	if isHTMX(r) && r.Header.Get("HX-Target") == "audit-table" {
		h.fragment(w, r, status, "audit/list", "audit_table", p)
		return nil
	}
	h.render(w, r, status, "audit/list", p)
	return nil
}
