package demo_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"

	"opsdesk/internal/actor"
	"opsdesk/internal/app"
	"opsdesk/internal/demo"
	"opsdesk/internal/iam"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// TestLoad loads the demo twice on every engine: the second load changes nothing, and the service
// desk has tickets in every status, dispatch rules, an escalation, a skip, urges and surveys.
func TestLoad(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			cfg := storetest.Config(t, engine)
			cfg.AdminPassword = demo.Password
			ctx := context.Background()
			a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.WithArgon2(iam.CheapArgon2))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.Close() })
			for round, want := range []int{40, 0} {
				if _, err := demo.Load(ctx, a.IAM); err != nil {
					t.Fatal(err)
				}
				n, err := demo.LoadTickets(ctx, a.IAM, a.Tickets)
				if err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
				if n != want {
					t.Errorf("round %d: %d tickets created, want %d", round, n, want)
				}
			}
			sys := actor.System(actor.SourceJob)
			sys.UserID = 1 // admin: List needs a user; a manager's permissions see every ticket
			sys.OrgPath = "/"
			for _, p := range iam.AllPermissions {
				sys.Perms[p] = true
			}
			list, err := a.Tickets.List(actor.NewContext(ctx, sys), ticket.Filter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 40 {
				t.Errorf("%d tickets, want 40", len(list))
			}
			seen := map[ticket.Status]int{}
			var urged, skipped, secret, phone int
			for _, tk := range list {
				seen[tk.Status]++
				if tk.UrgeCount > 0 {
					urged++
				}
				if tk.SkipFlag {
					skipped++
				}
				if tk.Confidential {
					secret++
				}
				if tk.Channel == ticket.Phone {
					phone++
				}
			}
			for _, s := range ticket.Statuses {
				if seen[s] == 0 {
					t.Errorf("no demo ticket is %s (%v)", s, seen)
				}
			}
			if urged == 0 || skipped != 1 || secret != 1 || phone == 0 {
				t.Errorf("urged %d, skipped %d, confidential %d, phone %d", urged, skipped, secret, phone)
			}
			rules, err := a.Tickets.DispatchRules(actor.NewContext(ctx, sys))
			if err != nil || len(rules) != 3 {
				t.Errorf("dispatch rules: %d, %v", len(rules), err)
			}
			// The demo policy shows what actions do: notices at warning, a report up at breach.
			ps, err := a.SLA.Store.Policies(ctx)
			if err != nil || len(ps) != 1 || !ps[0].Actions.Warning.Notify || !ps[0].Actions.Breach.ReportUp {
				t.Errorf("demo SLA policy: %v %+v", err, ps)
			}
			// Loading the demo told people: the notifier is wired and wrote inboxes.
			if n, err := a.Notify.Store.Unread(ctx, list[0].RequesterID); err != nil || n == 0 {
				t.Errorf("requester of %s has %d unread notifications (%v)", list[0].Number, n, err)
			}
		})
	}
}
