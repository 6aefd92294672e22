package api_test

import (
	"context"
	"fmt"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/sla"
)

// fakeClock is a clock the test moves between requests; the server reads it from its goroutines.
type fakeClock struct{ ns atomic.Int64 }

func (c *fakeClock) set(s string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, sla.Shanghai)
	if err != nil {
		panic(err)
	}
	c.ns.Store(t.UnixNano())
}
func (c *fakeClock) now() time.Time { return time.Unix(0, c.ns.Load()) }

// slaPolicy saves a policy like the demo's on cn-workday (09:00–12:00, 13:00–18:00).
func slaPolicy(t *testing.T, r *run) {
	t.Helper()
	op := actor.System(actor.SourceCLI)
	op.Perms[sla.PermManage] = true
	err := r.env.App.SLA.SavePolicy(actor.NewContext(context.Background(), op), &sla.Policy{Name: "标准", Calendar: "cn-workday",
		Active: true, Targets: [4]sla.Targets{
			{sla.FirstResponse: 30 * time.Minute, sla.Resolution: 4 * time.Hour},
			{sla.FirstResponse: time.Hour, sla.Resolution: 8 * time.Hour},
			{sla.FirstResponse: 2 * time.Hour, sla.Resolution: 16 * time.Hour},
			{sla.Resolution: 40 * time.Hour}}})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTicketSLA: the sla object of a ticket (clocks for staff, only the due time for the requester),
// sla_due and sla_state on list items, sla=breaching and sort=sla with cursors, on both engines.
func TestTicketSLA(t *testing.T) {
	engines(t, func(r *run) {
		t := r.t
		clock := &fakeClock{}
		clock.set("2026-11-23 09:00") // a Monday
		r.env.App.Tickets.Now, r.env.App.Clocks.Now = clock.now, clock.now
		create := func(name, at string, urgency, impact int) {
			clock.set(at)
			r.scenarios([]scenario{{Name: "create " + name, Method: "POST", Path: "/tickets", Role: "requester", Status: 201,
				Body: fmt.Sprintf(`{"type":"incident","subject":"%s","urgency":%d,"impact":%d}`, name, urgency, impact), Capture: name}})
		}
		create("none", "2026-11-23 08:00", 3, 3) // before any policy: no clocks
		slaPolicy(t, r)
		create("p1a", "2026-11-23 09:00", 1, 1)  // P1: resolution 4h → 14:00
		create("gone", "2026-11-23 09:10", 1, 1) // P1 → 14:10, then cancelled
		create("p1b", "2026-11-23 09:30", 1, 1)  // P1 → 14:30
		create("p2", "2026-11-23 09:00", 1, 2)   // P2: 8h → 18:00
		create("p4", "2026-11-23 09:00", 3, 3)   // P4: 40h → Friday 18:00
		clock.set("2026-11-23 10:00")
		r.scenarios([]scenario{
			{Name: "cancel", Method: "POST", Path: "/tickets/{{gone}}/cancel", Role: "requester", Status: 200,
				Body: `{"reason":"不需要了"}`, Header: map[string]string{"If-Match": `W/"{{gone.version}}"`}},
			{Name: "no policy: sla null", Method: "GET", Path: "/tickets/{{none}}", Role: "agent", Status: 200,
				Want: []string{`"sla":null`, `"sla_due":null`, `"sla_state":""`}},
			// 10:00: the first response (30 min, due 09:30) is late now, though no tick has marked it.
			{Name: "staff see the clocks", Method: "GET", Path: "/tickets/{{p1a}}", Role: "agent", Status: 200,
				Want: []string{`"sla_due":"2026-11-23T06:00:00Z"`, `"sla":{"clocks":[{"due_at":"2026-11-23T01:30:00Z","elapsed_minutes":60,"metric":"first_response","paused":false,"state":"breached","stopped_at":null,"target_minutes":30,"warn_at":"2026-11-23T01:22:30Z"},{"due_at":"2026-11-23T06:00:00Z","elapsed_minutes":60,"metric":"resolution","paused":false,"state":"within","stopped_at":null,"target_minutes":240,"warn_at":"2026-11-23T04:00:00Z"}],"due_at":"2026-11-23T06:00:00Z","state":"breached"}`}},
			{Name: "the requester sees the due time only", Method: "GET", Path: "/tickets/{{p1a}}", Role: "requester", Status: 200,
				Want: []string{`"sla":{"clocks":[],"due_at":"2026-11-23T06:00:00Z","state":"breached"}`}},
			{Name: "a bad look-ahead", Method: "GET", Path: "/tickets?sla=breaching&breaching_within=forever", Role: "agent", Status: 400,
				Want: []string{`"breaching_within"`}},
			{Name: "an unknown sla filter", Method: "GET", Path: "/tickets?sla=late", Role: "agent", Status: 400},
		})
		walk := func(t *testing.T, role, query string) []string {
			t.Helper()
			var got []string
			path := "/tickets?limit=2&" + query
			for pages := 0; path != ""; pages++ {
				if pages > 10 {
					t.Fatal("cursor does not advance")
				}
				var page struct {
					Items []struct {
						Subject  string
						SLADue   *time.Time `json:"sla_due"`
						SLAState string     `json:"sla_state"`
					}
					NextCursor *string `json:"next_cursor"`
				}
				r.getJSON(t, role, path, &page)
				for _, it := range page.Items {
					got = append(got, it.Subject)
				}
				path = ""
				if page.NextCursor != nil {
					path = "/tickets?limit=2&" + query + "&cursor=" + url.QueryEscape(*page.NextCursor)
				}
			}
			return got
		}
		for _, c := range []struct{ name, role, query, want string }{
			{"breaching within the default 4h", "agent", "sla=breaching&sort=sla", "[p1a]"},
			{"breaching within 8h", "agent", "sla=breaching&breaching_within=8h&sort=sla", "[p1a p1b p2]"},
			{"breaching by priority", "agent", "sla=breaching&breaching_within=8h", "[p1a p1b p2]"},
			{"every ticket by due time", "agent", "sort=sla", "[p1a gone p1b p2 p4 none]"},
			{"the requester's own", "requester", "sort=sla&sla=breaching&breaching_within=5h", "[p1a p1b]"},
			{"nothing for a vendor", "vendor", "sort=sla&sla=breaching", "[]"},
		} {
			r.t.Run(c.name, func(t *testing.T) {
				if got := fmt.Sprint(walk(t, c.role, c.query)); got != c.want {
					t.Errorf("got %s, want %s", got, c.want)
				}
			})
		}
		// Past the due time the ticket is still listed as breaching.
		clock.set("2026-11-23 17:00")
		r.t.Run("already breached", func(t *testing.T) {
			if got := fmt.Sprint(walk(t, "agent", "sla=breaching&breaching_within=30m&sort=sla")); got != "[p1a p1b]" {
				t.Errorf("got %s", got)
			}
		})
	})
}

// TestSLAReport: supervisors get the achievement report as JSON and CSV with a BOM; others are refused.
func TestSLAReport(t *testing.T) {
	engines(t, func(r *run) {
		r.scenarios([]scenario{
			{Name: "manager", Method: "GET", Path: "/reports/sla?from=2026-11-01&to=2026-11-30", Role: "manager", Status: 200,
				Want: []string{`"from":"2026-11-01"`, `"to":"2026-11-30"`, `"key":4,"met":0,"missed":0,"name":"P4"`, `"by_group":[]`}},
			{Name: "manager csv", Method: "GET", Path: "/reports/sla?from=2026-11-01&to=2026-11-30&format=csv", Role: "manager", Status: 200,
				Want: []string{"\xEF\xBB\xBFSLA 达成率,统计期间,2026-11-01 ~ 2026-11-30", "合计,合计,0,0,0,0.0,0", "优先级,P1,0,0,0,0.0,0"}},
			{Name: "reversed period", Method: "GET", Path: "/reports/sla?from=2026-11-30&to=2026-11-01", Role: "manager", Status: 422},
			{Name: "agent refused", Method: "GET", Path: "/reports/sla", Role: "agent", Status: 403},
			{Name: "requester refused", Method: "GET", Path: "/reports/sla", Role: "requester", Status: 403},
		})
	})
}
