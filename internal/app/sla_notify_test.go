package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/app/apptest"
	"opsdesk/internal/notify"
	"opsdesk/internal/store/storetest"
)

// TestSLAThresholdsReachPeople runs the whole chain as the server wires it, on both engines: a
// policy, a ticket, the threshold engine past warning and breach, and then the owner's inbox and a
// bot channel's post, each threshold told once — a second tick fires nothing and sends nothing.
func TestSLAThresholdsReachPeople(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine)
			var mu sync.Mutex
			var posts []string
			bot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				mu.Lock()
				posts = append(posts, string(b))
				mu.Unlock()
				w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
			}))
			t.Cleanup(bot.Close)
			call := func(role, method, path, body string, want int) string {
				t.Helper()
				req, _ := http.NewRequest(method, env.URL+"/api/v1"+path, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+env.Tokens[role])
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				out, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != want {
					t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, out)
				}
				return string(out)
			}
			call("sysadmin", "POST", "/sla/policies", `{"name":"快速响应","calendar":"cn-workday","targets":{"p4":{"first_response":60,"resolution":480}}}`, 201)
			call("sysadmin", "POST", "/notify/channels", fmt.Sprintf(`{"kind":"wecom","name":"运维群","enabled":true,"events":["sla.warning","sla.breach"],"config":{"url":%q}}`,
				bot.URL+"/cgi-bin/webhook/send?key=k"), 201)
			var tk struct{ ID int64 }
			out := call("agent", "POST", "/tickets", fmt.Sprintf(`{"type":"incident","subject":"打印机卡纸","requester_id":%d}`, env.IDs["requester"]), 201)
			if err := json.Unmarshal([]byte(out), &tk); err != nil {
				t.Fatal(err)
			}

			// A month later every clock of the ticket is past warning and breach.
			later := time.Now().Add(30 * 24 * time.Hour)
			env.App.Clocks.Now = func() time.Time { return later }
			ctx := actor.NewContext(context.Background(), actor.System(actor.SourceJob))
			fired, err := env.App.Clocks.Tick(ctx)
			if err != nil || fired != 4 { // first response and resolution, each warning and breach
				t.Fatalf("first tick fired %d (%v), want 4", fired, err)
			}
			if fired, err := env.App.Clocks.Tick(ctx); err != nil || fired != 0 {
				t.Fatalf("second tick fired %d (%v)", fired, err)
			}

			// The agent who took the call is the first-contact owner: told in the inbox.
			var inbox struct {
				Items []struct{ Event string } `json:"items"`
			}
			if err := json.Unmarshal([]byte(call("agent", "GET", "/notifications", "", 200)), &inbox); err != nil {
				t.Fatal(err)
			}
			count := map[string]int{}
			for _, n := range inbox.Items {
				count[n.Event]++
			}
			if count[string(notify.SLAWarning)] != 2 || count[string(notify.SLABreach)] != 2 {
				t.Fatalf("owner's SLA notices: %v", count)
			}

			// The bot's four posts go out through the sender, once each.
			if sent, failed, err := env.App.Sender.RunOnce(context.Background()); err != nil || sent != 4 || failed != 0 {
				t.Fatalf("sender: %d sent, %d failed, %v", sent, failed, err)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(posts) != 4 || !strings.Contains(posts[0], `"msgtype":"markdown"`) {
				t.Fatalf("%d bot posts: %v", len(posts), posts)
			}
		})
	}
}
