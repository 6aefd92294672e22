package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"time"

	"opsdesk/internal/errs"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded CSS, JavaScript and icons under content-hashed URLs
// (/static/<sha8>/app.css), so that browsers may cache them for a year: a new build changes the URL.
type staticFiles struct {
	files map[string][]byte // name → content
	hash  map[string]string // name → first 8 hex digits of its SHA-256
}

func newStaticFiles() *staticFiles {
	st := &staticFiles{files: map[string][]byte{}, hash: map[string]string{}}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := staticFS.ReadFile("static/" + e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		st.files[e.Name()] = b
		st.hash[e.Name()] = hex.EncodeToString(sum[:4])
	}
	return st
}

// url returns the hashed URL of an embedded file. An unknown name is a template bug; the URL then
// answers 404, which the template test catches.
func (st *staticFiles) url(name string) string {
	h, ok := st.hash[name]
	if !ok {
		h = "missing"
	}
	return "/static/" + h + "/" + name
}

// staticFile serves one embedded file when the hash in the URL is current.
func (h *Handler) staticFile(w http.ResponseWriter, r *http.Request) error {
	name := path.Base(r.PathValue("name"))
	b, ok := h.static.files[name]
	if !ok || h.static.hash[name] != r.PathValue("hash") {
		return errs.E(errs.NotFound, "err.not_found")
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
	return nil
}
