package api

//go:generate go tool oapi-codegen -config apigen/oapi-codegen.yaml -o apigen/api.gen.go openapi.yaml
//go:generate go tool oapi-codegen -config ../apiclient/oapi-codegen.yaml -o ../apiclient/client.gen.go openapi.yaml

import (
	"context"
	_ "embed"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// BasePath is where the operations of openapi.yaml are served (its servers[0].url).
const BasePath = "/api/v1"

// SpecPath is where the document itself is served, without authentication.
const SpecPath = "/api/openapi.yaml"

//go:embed openapi.yaml
var specYAML []byte

// Spec returns the OpenAPI 3.0.3 document the API is generated from and validated against.
func Spec() []byte { return slices.Clone(specYAML) }

// operation is one method on one path of the document, with the permissions it needs.
type operation struct {
	method string // GET, POST …
	path   string // as in the document, e.g. /users/{id}
	item   *openapi3.PathItem
	op     *openapi3.Operation
	perms  []string // any one suffices; empty: any signed-in user
	public bool     // security: [] in the document: no login (a one-time survey link)
}

// pattern is the ServeMux pattern of the operation.
func (o operation) pattern() string { return o.method + " " + BasePath + o.path }

// spec is the parsed document and its operations, sorted by path and method.
type spec struct {
	doc *openapi3.T
	ops []operation
}

var loadSpec = sync.OnceValues(func() (*spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(specYAML)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	s := &spec{doc: doc}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			public := op.Security != nil && len(*op.Security) == 0
			s.ops = append(s.ops, operation{method: method, path: path, item: item, op: op, perms: permsOf(op), public: public})
		}
	}
	slices.SortFunc(s.ops, func(a, b operation) int {
		if c := strings.Compare(a.path, b.path); c != 0 {
			return c
		}
		return strings.Compare(a.method, b.method)
	})
	return s, nil
})

// mustSpec returns the parsed document; a broken embedded document is a build error.
func mustSpec() *spec {
	s, err := loadSpec()
	if err != nil {
		panic("api: openapi.yaml: " + err.Error())
	}
	return s
}

// permsOf reads the x-permissions extension of an operation. A missing extension is treated as
// "nobody", so that a forgotten declaration fails closed (and TestSpecDeclaresPermissions catches it).
func permsOf(op *openapi3.Operation) []string {
	raw, ok := op.Extensions["x-permissions"].([]any)
	if !ok {
		return []string{"-"}
	}
	out := make([]string, 0, len(raw))
	for _, v := range raw {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// Routes lists every operation as "METHOD /api/v1/path", sorted by path and method. Tests use it to
// check that the access table covers the whole API.
func Routes() []string {
	var out []string
	for _, o := range mustSpec().ops {
		out = append(out, o.pattern())
	}
	return out
}

// Permissions returns the permissions an operation ("METHOD /api/v1/path") declares, and whether
// the operation exists.
func Permissions(route string) ([]string, bool) {
	for _, o := range mustSpec().ops {
		if o.pattern() == route {
			return slices.Clone(o.perms), true
		}
	}
	return nil, false
}

// Public reports whether an operation ("METHOD /api/v1/path") needs no login.
func Public(route string) bool {
	for _, o := range mustSpec().ops {
		if o.pattern() == route {
			return o.public
		}
	}
	return false
}

// serveSpec answers GET /api/openapi.yaml.
func serveSpec(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(specYAML)
}
