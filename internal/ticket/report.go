package ticket

import (
	"context"
	"slices"
	"strings"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// The service-desk report (服务台报表): for a period, what each first-contact owner (首问责任人) took,
// what each engineer handled, what each support group opened and passed up, totals by type,
// channel and priority, and the emergency skips (越级) to review afterwards ("事后应向上级汇报").
//
// Ticket figures count the tickets opened in the period as they stand now (a cohort: the resolved
// column of March is "of March's tickets, how many are resolved"); escalations and skips count the
// history steps taken in the period. Supervisors (ticket.manage) see every line of their service
// area; staff who work tickets and vendor engineers see only their own lines, and requesters nothing.

// OwnerLine is one first-contact owner's line: the tickets they took, how many of those are resolved
// or closed, and how many they handed over (held by someone else now, or waiting in a group's queue).
type OwnerLine struct {
	UserID     int64
	Taken      int
	Resolved   int
	HandedOver int
}

// EngineerLine is one handling engineer's line: the tickets assigned to them, how many they resolved,
// the minutes recorded on the resolved ones, the satisfaction scores received, the urges (催办) and the
// tickets reopened.
type EngineerLine struct {
	UserID   int64
	Assigned int
	Resolved int
	Minutes  int // on resolved tickets
	Rated    int // answered surveys
	ScoreSum int
	Urges    int
	Reopened int // tickets reopened at least once
}

// AvgMinutes is the average time recorded per resolved ticket, 0 when none was resolved.
func (l EngineerLine) AvgMinutes() float64 { return avg(l.Minutes, l.Resolved) }

// AvgScore is the average satisfaction score (1–5), 0 when no survey was answered.
func (l EngineerLine) AvgScore() float64 { return avg(l.ScoreSum, l.Rated) }

// GroupLine is one support group's line: the tickets opened in its queue (where they are now), how
// many of those are resolved or closed, and the escalations that left the group in the period.
type GroupLine struct {
	GroupID      int64
	Opened       int
	Resolved     int
	EscalatedOut int
}

// Tally is one bucket of the totals: the tickets of one type, channel or priority.
type Tally struct {
	Key   string
	Count int
}

// Mix is the count of tickets of one type, channel and priority, as the store groups them.
type Mix struct {
	Type     Type
	Channel  Channel
	Priority Priority
	Count    int
}

// Skip is one flagged emergency skip (越级) to review: who skipped which line of which ticket, from
// which group to which, and why.
type Skip struct {
	EventID   int64
	TicketID  int64
	Number    string
	Subject   string
	ActorID   int64
	FromGroup int64
	ToGroup   int64
	ToUser    int64
	Reason    string
	At        time.Time
}

// DeskReport is the service-desk report of a period.
type DeskReport struct {
	From, To   time.Time // [From, To): whole days in the desk's zone
	Own        bool      // only the actor's own lines: Groups, totals are empty
	Owners     []OwnerLine
	Engineers  []EngineerLine
	Groups     []GroupLine
	Total      int
	ByType     []Tally
	ByChannel  []Tally
	ByPriority []Tally
	Skips      []Skip
	SkipsMore  bool // more skips than MaxReportSkips happened; the list shows the first
}

// LastDay is the period's last day, included.
func (r *DeskReport) LastDay() time.Time { return r.To.AddDate(0, 0, -1) }

// MaxReportSkips bounds the skip list of one report.
const MaxReportSkips = 1000

// MaxReportDays bounds a report's period.
const MaxReportDays = 366

// ReportQuery is what the store aggregates: the tickets matching Filter (visibility, and for the
// ticket figures CreatedAfter/CreatedBefore set to the period), the history steps taken in
// [From, To), and for own lines the actor whose steps count.
type ReportQuery struct {
	Filter   Filter
	From, To time.Time
	ActorID  int64 // the skip list: only steps by this user when set
	Limit    int   // the skip list
}

// ReportStore computes the report's figures with SQL aggregates; store.Tickets implements it.
type ReportStore interface {
	ReportOwners(ctx context.Context, q ReportQuery) ([]OwnerLine, error)
	ReportEngineers(ctx context.Context, q ReportQuery) ([]EngineerLine, error)
	ReportGroups(ctx context.Context, q ReportQuery) ([]GroupLine, error)
	ReportMix(ctx context.Context, q ReportQuery) ([]Mix, error)
	ReportSkips(ctx context.Context, q ReportQuery) ([]Skip, error)
}

// CanReport reports whether a may open the service-desk report (perhaps only their own lines).
func CanReport(a *actor.Actor) bool {
	return a.Can(PermManage) || a.Can(PermWork) || a.Can(PermWorkAssigned)
}

// ReportPeriod reads a period from two dates (YYYY-MM-DD, both included) in the desk's zone. An empty
// from is the first day of the current month, an empty to its last day.
func (s *Service) ReportPeriod(from, to string) (time.Time, time.Time, error) {
	zone := s.zone()
	now := s.Now().In(zone)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, zone)
	var f errs.Fields
	day := func(name, v string, def time.Time) time.Time {
		v = strings.TrimSpace(v)
		if v == "" {
			return def
		}
		d, err := time.ParseInLocation(time.DateOnly, v, zone)
		if err != nil {
			f.Add(name, "err.report.date")
		}
		return d
	}
	start := day("from", from, month)
	end := day("to", to, month.AddDate(0, 1, -1))
	if len(f) > 0 {
		return time.Time{}, time.Time{}, errs.E(append([]any{errs.Invalid, "err.report.date"}, f...)...)
	}
	end = end.AddDate(0, 0, 1)
	switch {
	case !end.After(start):
		return time.Time{}, time.Time{}, errs.E(errs.Invalid, "err.report.period", errs.Field("to", "err.report.period"))
	case end.Sub(start) > MaxReportDays*24*time.Hour+time.Hour: // an hour for a zone's daylight saving
		return time.Time{}, time.Time{}, errs.E(errs.Invalid, "err.report.span", errs.Field("to", "err.report.span"))
	}
	return start, end, nil
}

func (s *Service) zone() *time.Location {
	if s.Zone == nil {
		return time.UTC
	}
	return s.Zone
}

// ServiceDeskReport computes the report of [from, to) for the actor, with the same visibility as
// List (visibleTo): a supervisor's service area, confidential tickets included; for everyone else
// who works tickets only their own lines, among the tickets they may see.
func (s *Service) ServiceDeskReport(ctx context.Context, from, to time.Time) (r *DeskReport, err error) {
	defer errs.Wrap(&err, "ticket.ServiceDeskReport")
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	if !CanReport(a) {
		return nil, errs.E(errs.Forbidden, "err.forbidden")
	}
	st, ok := s.Store.(ReportStore)
	if !ok {
		return nil, errs.E(errs.Internal, "ticket: the store cannot aggregate reports")
	}
	r = &DeskReport{From: from, To: to, Own: !a.Can(PermManage)}
	seen := visibleTo(a, Filter{})
	q := ReportQuery{Filter: seen, From: from, To: to, Limit: MaxReportSkips + 1}
	q.Filter.CreatedAfter, q.Filter.CreatedBefore = from, to

	owners, engineers := q, q
	if r.Own {
		owners.Filter.OwnerID, engineers.Filter.AssigneeID, q.ActorID = a.UserID, a.UserID, a.UserID
	}
	if r.Owners, err = st.ReportOwners(ctx, owners); err != nil {
		return nil, err
	}
	if r.Engineers, err = st.ReportEngineers(ctx, engineers); err != nil {
		return nil, err
	}
	if r.Skips, err = st.ReportSkips(ctx, q); err != nil {
		return nil, err
	}
	if len(r.Skips) > MaxReportSkips {
		r.Skips, r.SkipsMore = r.Skips[:MaxReportSkips], true
	}
	if r.Own {
		return r, nil
	}
	if r.Groups, err = st.ReportGroups(ctx, q); err != nil {
		return nil, err
	}
	mix, err := st.ReportMix(ctx, q)
	if err != nil {
		return nil, err
	}
	r.tally(mix)
	return r, nil
}

// tally folds the type × channel × priority counts into the three totals, in display order.
func (r *DeskReport) tally(mix []Mix) {
	byType, byChannel, byPriority := map[string]int{}, map[string]int{}, map[string]int{}
	for _, m := range mix {
		r.Total += m.Count
		byType[string(m.Type)] += m.Count
		byChannel[string(m.Channel)] += m.Count
		byPriority[m.Priority.String()] += m.Count
	}
	var types, channels, prios []string
	for _, t := range Types {
		types = append(types, string(t))
	}
	for _, c := range Channels {
		channels = append(channels, string(c))
	}
	for p := Priority(1); p <= 4; p++ {
		prios = append(prios, p.String())
	}
	r.ByType, r.ByChannel, r.ByPriority = ordered(byType, types), ordered(byChannel, channels), ordered(byPriority, prios)
}

// ordered lists every key of order, then any other key the counts hold, sorted.
func ordered(counts map[string]int, order []string) []Tally {
	out := make([]Tally, 0, len(counts))
	for _, k := range order {
		out = append(out, Tally{Key: k, Count: counts[k]})
		delete(counts, k)
	}
	var rest []string
	for k := range counts {
		rest = append(rest, k)
	}
	slices.Sort(rest)
	for _, k := range rest {
		out = append(out, Tally{Key: k, Count: counts[k]})
	}
	return out
}

func avg(sum, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(sum) / float64(n)
}

// ReportNames looks up the names of the people and groups a report mentions.
func (s *Service) ReportNames(ctx context.Context, r *DeskReport) (*Names, error) {
	var users, groups []int64
	for _, l := range r.Owners {
		users = append(users, l.UserID)
	}
	for _, l := range r.Engineers {
		users = append(users, l.UserID)
	}
	for _, l := range r.Groups {
		groups = append(groups, l.GroupID)
	}
	for _, k := range r.Skips {
		users = append(users, k.ActorID, k.ToUser)
		groups = append(groups, k.FromGroup, k.ToGroup)
	}
	return s.Names(ctx, nil, users, groups)
}
