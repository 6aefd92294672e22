package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"opsdesk/internal/ticket"
)

// inspectionsPage is the quality inspection (质检) of a supervisor: the sample form, the inspections
// awaiting a score or scored, and the average score per engineer.
type inspectionsPage struct {
	basePage
	Items     []*ticket.Inspection
	Engineers []ticket.EngineerScore
	N         *ticket.Names
	Rules     []ticket.SampleRule
	State     string // "", "pending" or "scored"
	Sampled   int    // how many the last sample drew, -1 when none was drawn now
	Failed    bool   // the sample form came back with problems
	V         url.Values
	From, To  string // the sample form's default period: the last calendar month
}

// Person is a user's display name.
func (p *inspectionsPage) Person(id int64) string {
	if p.N == nil {
		return ""
	}
	return p.N.User(id)
}

// Val is what was typed into a field of the sample form, or its default.
func (p *inspectionsPage) Val(name, def string) string {
	if p.Failed {
		return p.V.Get(name)
	}
	return def
}

// Score formats a score with one decimal.
func (p *inspectionsPage) Score(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// inspectionList renders the inspections page.
func (h *Handler) inspectionList(w http.ResponseWriter, r *http.Request) error {
	p, err := h.inspectionsPage(r)
	if err != nil {
		return err
	}
	if n := r.URL.Query().Get("sampled"); n != "" {
		p.Sampled, _ = strconv.Atoi(n)
	}
	h.render(w, r, http.StatusOK, "inspection/list", p)
	return nil
}

func (h *Handler) inspectionsPage(r *http.Request) (*inspectionsPage, error) {
	ctx := r.Context()
	p := &inspectionsPage{basePage: h.base(r, "web.inspection.title"), Rules: ticket.SampleRules, Sampled: -1, V: url.Values{}}
	f := ticket.InspectionFilter{Limit: 200}
	switch p.State = r.URL.Query().Get("state"); p.State {
	case "pending":
		no := false
		f.Scored = &no
	case "scored":
		yes := true
		f.Scored = &yes
	default:
		p.State = ""
	}
	var err error
	if p.Items, p.Engineers, err = h.d.Tickets.Inspections(ctx, f); err != nil {
		return nil, err
	}
	var users []int64
	for _, in := range p.Items {
		users = append(users, in.EngineerID, in.InspectorID)
	}
	for _, e := range p.Engineers {
		users = append(users, e.EngineerID)
	}
	if p.N, err = h.d.Tickets.Names(ctx, nil, users, nil); err != nil {
		return nil, err
	}
	now := h.d.Tickets.Now().In(displayZone)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, displayZone)
	p.From, p.To = month.AddDate(0, -1, 0).Format(time.DateOnly), month.AddDate(0, 0, -1).Format(time.DateOnly)
	return p, nil
}

// inspectionSample draws a sample: the period's days are whole days in China Standard Time, both
// included.
func (h *Handler) inspectionSample(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	day := func(name string) time.Time {
		v := strings.TrimSpace(r.PostFormValue(name))
		if v == "" {
			return time.Time{}
		}
		d, err := time.ParseInLocation(time.DateOnly, v, displayZone)
		if err != nil {
			fe[name] = "err.visit.time_format"
		}
		return d
	}
	spec := ticket.SampleSpec{From: day("from"), To: day("to"), Rule: ticket.SampleRule(r.PostFormValue("rule"))}
	if !spec.To.IsZero() {
		spec.To = spec.To.AddDate(0, 0, 1)
	}
	if spec.Rule == ticket.SampleRandom {
		spec.Percent = fe.int(r, "percent")
	}
	err := fe.err()
	var ins []*ticket.Inspection
	if err == nil {
		ins, err = h.d.Tickets.Sample(r.Context(), spec)
	}
	if ok, status, msg, fields := formError(err); ok {
		p, perr := h.inspectionsPage(r)
		if perr != nil {
			return perr
		}
		p.Failed, p.V = true, r.PostForm
		p.fail(msg, fields)
		h.render(w, r, status, "inspection/list", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.inspection_sampled")
	http.Redirect(w, r, "/inspections?state=pending&sampled="+strconv.Itoa(len(ins)), http.StatusSeeOther)
	return nil
}
