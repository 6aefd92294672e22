package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"opsdesk/internal/api"
	"opsdesk/internal/app/apptest"
	"opsdesk/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// scenario is one API call and what must come back (pocketbase ApiScenario). Path, Body and Header
// values may hold {{name}} placeholders filled from the run's variables; Capture stores the "id" and
// "version" of the JSON answer as {{Capture}} and {{Capture.version}}.
type scenario struct {
	Name    string
	Method  string
	Path    string // under /api/v1 unless it starts with /api/
	Role    string // built-in role whose token is sent; "" for none
	Token   string // a literal token instead of Role's
	Body    string
	Header  map[string]string
	Status  int
	Want    []string // fragments the body must contain
	NotWant []string // fragments it must not contain
	Capture string
}

// run keeps the variables of a sequence of scenarios against one opsdesk.
type run struct {
	t    *testing.T
	env  *apptest.Env
	vars map[string]string
}

// newRun starts opsdesk on engine and seeds {{id:<role>}} and {{root}}.
func newRun(t *testing.T, engine string) *run {
	t.Helper()
	env := apptest.New(t, engine)
	r := &run{t: t, env: env, vars: map[string]string{}}
	for role, id := range env.IDs {
		r.vars["id:"+role] = strconv.FormatInt(id, 10)
	}
	var me struct {
		OrgUnitID int64 `json:"org_unit_id"`
	}
	r.getJSON(t, "sysadmin", "/me", &me)
	r.vars["root"] = strconv.FormatInt(me.OrgUnitID, 10)
	return r
}

var placeholder = regexp.MustCompile(`\{\{([^}]+)\}\}`)

func (r *run) expand(t testing.TB, s string) string {
	t.Helper()
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		v, ok := r.vars[m[2:len(m)-2]]
		if !ok {
			t.Fatalf("no variable %s", m)
		}
		return v
	})
}

// do sends one request and returns the response with its body read.
func (r *run) do(t testing.TB, method, path, role, token, body string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	if !strings.HasPrefix(path, "/api/") {
		path = api.BasePath + path
	}
	req, err := http.NewRequest(method, r.env.URL+r.expand(t, path), strings.NewReader(r.expand(t, body)))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if role != "" {
		token = r.env.Tokens[role]
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, r.expand(t, v))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	checkResponse(t, req, resp, data)
	return resp, data
}

// getJSON GETs path as role and decodes the answer, which must be 200.
func (r *run) getJSON(t testing.TB, role, path string, into any) http.Header {
	t.Helper()
	resp, data := r.do(t, http.MethodGet, path, role, "", "", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s as %s: %d %s", path, role, resp.StatusCode, data)
	}
	if err := json.Unmarshal(data, into); err != nil {
		t.Fatal(err)
	}
	return resp.Header
}

// scenarios runs cs in order as subtests.
func (r *run) scenarios(cs []scenario) {
	for _, c := range cs {
		r.t.Run(c.Name, func(t *testing.T) {
			resp, data := r.do(t, c.Method, c.Path, c.Role, c.Token, c.Body, c.Header)
			if resp.StatusCode != c.Status {
				t.Fatalf("%s %s as %q: status %d, want %d\n%s", c.Method, c.Path, c.Role, resp.StatusCode, c.Status, data)
			}
			for _, w := range c.Want {
				if !bytes.Contains(data, []byte(r.expand(t, w))) {
					t.Errorf("body lacks %q:\n%s", w, data)
				}
			}
			for _, w := range c.NotWant {
				if bytes.Contains(data, []byte(w)) {
					t.Errorf("body has %q:\n%s", w, data)
				}
			}
			if c.Capture != "" {
				var v struct {
					ID      int64 `json:"id"`
					Version int   `json:"version"`
				}
				if err := json.Unmarshal(data, &v); err != nil || v.ID == 0 {
					t.Fatalf("capture %s: %v %s", c.Capture, err, data)
				}
				r.vars[c.Capture] = strconv.FormatInt(v.ID, 10)
				r.vars[c.Capture+".version"] = strconv.Itoa(v.Version)
			}
		})
	}
}

// engines runs fn once per database engine, each with a fresh opsdesk.
func engines(t *testing.T, fn func(r *run)) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) { fn(newRun(t, engine)) })
	}
}

var doc = sync.OnceValue(func() *openapi3.T {
	d, err := openapi3.NewLoader().LoadFromData(api.Spec())
	if err != nil {
		panic(err)
	}
	return d
})

// checkResponse validates every answer of an operation against openapi.yaml: status, content type
// and JSON schema, so that the document and the server cannot drift apart. Nothing may be a 5xx.
func checkResponse(t testing.TB, req *http.Request, resp *http.Response, body []byte) {
	t.Helper()
	if resp.StatusCode >= 500 {
		t.Errorf("%s %s: status %d: %s", req.Method, req.URL.Path, resp.StatusCode, body)
	}
	route, params := findRoute(req)
	if route == nil {
		return // unknown routes and the document itself
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		in.Options.ExcludeResponseBody = true
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s: response does not match openapi.yaml: %v\n%s", req.Method, req.URL.Path, err, body)
	}
}

// findRoute matches a request to an operation of the document by path template; a literal segment
// wins over a parameter (/tickets/export over /tickets/{id}), as in the server's ServeMux.
func findRoute(req *http.Request) (*routers.Route, map[string]string) {
	path, ok := strings.CutPrefix(req.URL.Path, api.BasePath)
	if !ok {
		return nil, nil
	}
	d := doc()
	var (
		best       *routers.Route
		bestParams map[string]string
	)
	for tmpl, item := range d.Paths.Map() {
		op := item.GetOperation(req.Method)
		if op == nil {
			continue
		}
		if params, ok := matchPath(tmpl, path); ok && (best == nil || len(params) < len(bestParams)) {
			best, bestParams = &routers.Route{Spec: d, Path: tmpl, PathItem: item, Method: req.Method, Operation: op}, params
		}
	}
	return best, bestParams
}

func matchPath(tmpl, path string) (map[string]string, bool) {
	ts, ps := strings.Split(tmpl, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return nil, false
	}
	params := map[string]string{}
	for i, s := range ts {
		if strings.HasPrefix(s, "{") {
			params[strings.Trim(s, "{}")] = ps[i]
		} else if s != ps[i] {
			return nil, false
		}
	}
	return params, true
}
