package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Op is one kind of API request the HTTP load mixes.
type Op string

// The operations of opsdesk bench http.
const (
	OpCreate Op = "create" // POST /api/v1/tickets
	OpList   Op = "list"   // GET /api/v1/tickets?status=new&limit=50
	OpSearch Op = "search" // GET /api/v1/tickets?q=打印&limit=50
	OpGet    Op = "get"    // GET /api/v1/tickets/{id}
	// OpQueue is a group's open queue: GET /api/v1/tickets?group=G&status=new,assigned,in_progress,pending&sort=priority&limit=50.
	OpQueue Op = "queue"
	// OpPage is the ticket page of a ticket with a long conversation: GET /api/v1/tickets/{id} of HTTPConfig.PageIDs.
	OpPage Op = "page"
)

// Ops lists the operations in report order.
var Ops = []Op{OpCreate, OpQueue, OpSearch, OpPage, OpList, OpGet}

// OpenStatuses is the status filter of a queue: everything not yet resolved.
const OpenStatuses = "new,assigned,in_progress,pending"

// Weighted is an operation with its share of the requests.
type Weighted struct {
	Op     Op
	Weight int
}

// ParseMix reads "create,list,search,get" or "create=1,list=4,search=2,get=4" (also with | or :).
func ParseMix(s string) ([]Weighted, error) {
	var out []Weighted
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '|' || r == ' ' }) {
		name, w, found := strings.Cut(part, "=")
		if !found {
			name, w, found = strings.Cut(part, ":")
		}
		weight := 1
		if found {
			n, err := strconv.Atoi(w)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("mix %q: weight %q is not a whole number", part, w)
			}
			weight = n
		}
		op := Op(strings.ToLower(strings.TrimSpace(name)))
		switch op {
		case OpCreate, OpList, OpSearch, OpGet, OpQueue, OpPage:
		default:
			return nil, fmt.Errorf("mix %q: unknown operation (want create, queue, search, page, list or get)", part)
		}
		if weight > 0 {
			out = append(out, Weighted{op, weight})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("mix %q: no operation", s)
	}
	return out, nil
}

// HTTPConfig says what to drive and how hard.
type HTTPConfig struct {
	URL      string // base URL, e.g. http://127.0.0.1:8080
	Token    string // API token, odk_…
	Clients  int
	Duration time.Duration
	Mix      []Weighted
	Seed     uint64
	// SearchStatus is the status filter of search requests (comma-separated), "" for none; SearchSort
	// their sort ("" for the server's default).
	SearchStatus, SearchSort string
	// Groups are the support groups whose queues queue requests read; empty: all groups, read from
	// GET /api/v1/groups before the run.
	Groups []int64
	// PageIDs are the tickets page requests show (those with long conversations); required for page.
	PageIDs []int64
}

// Result is what one operation measured.
type Result struct {
	Op        Op
	Latencies []time.Duration // of successful requests, sorted
	Errors    int
	FirstErr  string
}

// Requests counts the requests made, successful or not.
func (r Result) Requests() int { return len(r.Latencies) + r.Errors }

// Percentile returns the latency at p (0–100) by the nearest-rank method; 0 without data.
func (r Result) Percentile(p float64) time.Duration {
	n := len(r.Latencies)
	if n == 0 {
		return 0
	}
	i := int(float64(n)*p/100+0.999999) - 1
	return r.Latencies[min(max(i, 0), n-1)]
}

// Report is the outcome of a run.
type Report struct {
	Elapsed time.Duration
	Results []Result // in Ops order, only those that ran
}

// recorder collects one client's measurements; merged at the end, so clients share no lock.
type recorder map[Op]*Result

func (rec recorder) add(op Op, d time.Duration, err error) {
	r := rec[op]
	if r == nil {
		r = &Result{Op: op}
		rec[op] = r
	}
	if err != nil {
		r.Errors++
		if r.FirstErr == "" {
			r.FirstErr = err.Error()
		}
		return
	}
	r.Latencies = append(r.Latencies, d)
}

// idPool remembers ticket ids seen in responses, for get requests.
type idPool struct {
	mu  sync.Mutex
	ids []int64
}

func (p *idPool) add(ids ...int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, id := range ids {
		if len(p.ids) < 100000 {
			p.ids = append(p.ids, id)
		} else {
			p.ids[int(id)%len(p.ids)] = id
		}
	}
}

func (p *idPool) pick(r *rand.Rand) (int64, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.ids) == 0 {
		return 0, false
	}
	return p.ids[r.IntN(len(p.ids))], true
}

// RunHTTP drives the API with cfg.Clients concurrent clients until cfg.Duration has passed or ctx
// ends, and reports per operation. Requests still in flight at the deadline are cancelled and not
// counted.
func RunHTTP(ctx context.Context, cfg HTTPConfig) (Report, error) {
	base, err := url.Parse(strings.TrimRight(cfg.URL, "/"))
	if err != nil || base.Host == "" {
		return Report{}, fmt.Errorf("--url %q: want http://host:port", cfg.URL)
	}
	clients := max(cfg.Clients, 1)
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients,
		IdleConnTimeout: 90 * time.Second}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	uses := func(op Op) bool { return slices.ContainsFunc(cfg.Mix, func(w Weighted) bool { return w.Op == op }) }
	if uses(OpPage) && len(cfg.PageIDs) == 0 {
		return Report{}, fmt.Errorf("page: no ticket ids (bench seed --long-share 0.01 --long-ids FILE, then --page-ids FILE)")
	}
	if uses(OpPage) {
		// Keep the tickets the token may see (up to 300 of them), so that page requests measure pages, not 404s.
		c := &client{hc: hc, base: base.String(), token: cfg.Token}
		var seen []int64
		for _, id := range cfg.PageIDs {
			err := c.call(ctx, http.MethodGet, "/api/v1/tickets/"+strconv.FormatInt(id, 10), nil, http.StatusOK, nil)
			if err == nil {
				seen = append(seen, id)
			}
			if len(seen) == 300 {
				break
			}
		}
		if len(seen) == 0 {
			return Report{}, fmt.Errorf("page: the token sees none of the %d tickets", len(cfg.PageIDs))
		}
		cfg.PageIDs = seen
	}
	if uses(OpQueue) && len(cfg.Groups) == 0 {
		c := &client{hc: hc, base: base.String(), token: cfg.Token}
		var out struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		if err := c.call(ctx, http.MethodGet, "/api/v1/groups", nil, http.StatusOK, &out); err != nil {
			return Report{}, fmt.Errorf("queue: reading the groups: %w", err)
		}
		for _, g := range out.Items {
			cfg.Groups = append(cfg.Groups, g.ID)
		}
		if len(cfg.Groups) == 0 {
			return Report{}, fmt.Errorf("queue: no support group")
		}
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	pool := &idPool{}
	recs := make([]recorder, clients)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range clients {
		recs[i] = recorder{}
		c := &client{hc: hc, base: base.String(), token: cfg.Token, pool: pool, rec: recs[i], cfg: &cfg,
			rnd: rand.New(rand.NewPCG(cfg.Seed, uint64(i))),
			gen: NewGenerator(Directory{}, 1, 0, start, time.UTC, cfg.Seed+uint64(i))}
		wg.Go(func() { c.loop(ctx, cfg.Mix) })
	}
	wg.Wait()
	rep := Report{Elapsed: time.Since(start)}
	for _, op := range Ops {
		var m Result
		m.Op = op
		for _, rec := range recs {
			if r := rec[op]; r != nil {
				m.Latencies = append(m.Latencies, r.Latencies...)
				m.Errors += r.Errors
				if m.FirstErr == "" {
					m.FirstErr = r.FirstErr
				}
			}
		}
		if m.Requests() > 0 {
			slices.Sort(m.Latencies)
			rep.Results = append(rep.Results, m)
		}
	}
	return rep, nil
}

type client struct {
	hc          *http.Client
	base, token string
	pool        *idPool
	cfg         *HTTPConfig
	rec         recorder
	rnd         *rand.Rand
	gen         *Generator
}

func (c *client) loop(ctx context.Context, mix []Weighted) {
	total := 0
	for _, w := range mix {
		total += w.Weight
	}
	for ctx.Err() == nil {
		x := c.rnd.IntN(total)
		op := mix[0].Op
		for _, w := range mix {
			if x < w.Weight {
				op = w.Op
				break
			}
			x -= w.Weight
		}
		t0 := time.Now()
		err := c.do(ctx, op)
		if ctx.Err() != nil {
			return // cut off by the deadline: neither a success nor an error
		}
		c.rec.add(op, time.Since(t0), err)
	}
}

func (c *client) do(ctx context.Context, op Op) error {
	switch op {
	case OpCreate:
		subject, desc := c.gen.Text()
		body, _ := json.Marshal(map[string]any{"type": "incident", "channel": "api", "subject": subject,
			"description": desc, "urgency": 1 + c.rnd.IntN(3), "impact": 1 + c.rnd.IntN(3)})
		var out struct {
			ID int64 `json:"id"`
		}
		if err := c.call(ctx, http.MethodPost, "/api/v1/tickets", body, http.StatusCreated, &out); err != nil {
			return err
		}
		c.pool.add(out.ID)
		return nil
	case OpList, OpSearch, OpQueue:
		q := url.Values{"limit": {"50"}}
		switch op {
		case OpList:
			q.Set("status", "new")
		case OpQueue:
			q.Set("group", strconv.FormatInt(c.cfg.Groups[c.rnd.IntN(len(c.cfg.Groups))], 10))
			q.Set("status", OpenStatuses)
			q.Set("sort", "priority")
		default:
			q.Set("q", Words[c.rnd.IntN(len(Words))])
			if c.cfg.SearchStatus != "" {
				q.Set("status", c.cfg.SearchStatus)
			}
			if c.cfg.SearchSort != "" {
				q.Set("sort", c.cfg.SearchSort)
			}
		}
		var out struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		if err := c.call(ctx, http.MethodGet, "/api/v1/tickets?"+q.Encode(), nil, http.StatusOK, &out); err != nil {
			return err
		}
		if len(out.Items) > 0 {
			c.pool.add(out.Items[c.rnd.IntN(len(out.Items))].ID)
		}
		return nil
	case OpGet:
		id, ok := c.pool.pick(c.rnd)
		if !ok {
			// Nothing seen yet: learn some ids from the newest tickets first.
			return c.do(ctx, OpList)
		}
		return c.call(ctx, http.MethodGet, "/api/v1/tickets/"+strconv.FormatInt(id, 10), nil, http.StatusOK, nil)
	case OpPage:
		id := c.cfg.PageIDs[c.rnd.IntN(len(c.cfg.PageIDs))]
		var out struct {
			Comments []json.RawMessage `json:"comments"`
		}
		if err := c.call(ctx, http.MethodGet, "/api/v1/tickets/"+strconv.FormatInt(id, 10), nil, http.StatusOK, &out); err != nil {
			return err
		}
		if len(out.Comments) == 0 {
			return fmt.Errorf("GET /api/v1/tickets/%d: no comments (not a long ticket?)", id)
		}
		return nil
	}
	return fmt.Errorf("unknown operation %q", op)
}

// call makes one request and decodes the JSON answer into out when given; any other status than
// want is an error carrying the start of the body.
func (c *client) call(ctx context.Context, method, path string, body []byte, want int, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body) // read to the end, so the connection is reused
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		msg := strings.TrimSpace(string(data[:min(len(data), 200)]))
		return fmt.Errorf("%s %s: %d %s", method, strings.SplitN(path, "?", 2)[0], resp.StatusCode, msg)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return nil
}
