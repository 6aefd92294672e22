package loadtest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestParseMix(t *testing.T) {
	tests := []struct {
		in   string
		want []Weighted
		err  bool
	}{
		{in: "create,list,search,get", want: []Weighted{{OpCreate, 1}, {OpList, 1}, {OpSearch, 1}, {OpGet, 1}}},
		{in: "create|search", want: []Weighted{{OpCreate, 1}, {OpSearch, 1}}},
		{in: "create=1,list=4,get:0", want: []Weighted{{OpCreate, 1}, {OpList, 4}}},
		{in: "delete", err: true},
		{in: "get=x", err: true},
		{in: "", err: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseMix(tc.in)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v", err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestResultPercentile(t *testing.T) {
	r := Result{}
	for i := 1; i <= 100; i++ {
		r.Latencies = append(r.Latencies, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 95: 95 * time.Millisecond,
		99: 99 * time.Millisecond, 100: 100 * time.Millisecond, 0: time.Millisecond} {
		if got := r.Percentile(p); got != want {
			t.Errorf("p%v = %s, want %s", p, got, want)
		}
	}
	if (Result{}).Percentile(50) != 0 {
		t.Error("empty result has a percentile")
	}
}

// fakeAPI serves the ticket API contract from memory.
type fakeAPI struct {
	mu      sync.Mutex
	next    int64
	seen    map[string]int
	badAuth int
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer odk_test" {
		f.badAuth++
		http.Error(w, `{"error":{"kind":"unauthenticated"}}`, http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/api/v1/tickets":
		var in struct {
			Type, Channel, Subject, Description string
			Urgency, Impact                     int
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Subject == "" || in.Urgency < 1 || in.Type != "incident" {
			http.Error(w, `{"error":{"kind":"invalid"}}`, http.StatusUnprocessableEntity)
			return
		}
		f.next++
		f.seen["create"]++
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"id": f.next, "number": "INC-2026-000001", "version": 1})
	case r.Method == http.MethodGet && r.URL.Path == "/api/v1/tickets":
		if r.URL.Query().Get("q") != "" {
			f.seen["search"]++
		} else if r.URL.Query().Get("status") == "new" {
			f.seen["list"]++
		}
		json.NewEncoder(w).Encode(map[string]any{"items": []map[string]any{{"id": 1}, {"id": 2}}, "next_cursor": "x"})
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/api/v1/tickets/"):
		f.seen["get"]++
		json.NewEncoder(w).Encode(map[string]any{"id": 1})
	default:
		http.NotFound(w, r)
	}
}

func TestRunHTTP(t *testing.T) {
	api := &fakeAPI{seen: map[string]int{}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	mix, _ := ParseMix("create,list,search,get")
	rep, err := RunHTTP(context.Background(), HTTPConfig{URL: srv.URL, Token: "odk_test", Clients: 3,
		Duration: 300 * time.Millisecond, Mix: mix, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 4 {
		t.Fatalf("results for %d operations: %+v", len(rep.Results), rep.Results)
	}
	// Requests cut off at the deadline may still be running in the server: read its counts under its lock.
	api.mu.Lock()
	served, counted := 0, 0
	for _, r := range rep.Results {
		if r.Errors != 0 || r.Requests() == 0 {
			t.Errorf("%s: %d requests, %d errors (%s)", r.Op, r.Requests(), r.Errors, r.FirstErr)
		}
		served += api.seen[string(r.Op)]
		counted += len(r.Latencies)
	}
	api.mu.Unlock()
	if served < counted {
		t.Errorf("server saw %d requests, clients counted %d", served, counted)
	}

	// A wrong token is counted as errors, and the run still ends by itself.
	rep, err = RunHTTP(context.Background(), HTTPConfig{URL: srv.URL, Token: "odk_wrong", Clients: 2,
		Duration: 100 * time.Millisecond, Mix: mix})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.Errors == 0 || !strings.Contains(r.FirstErr, "401") {
			t.Errorf("%s: %d errors, first %q", r.Op, r.Errors, r.FirstErr)
		}
	}
}
