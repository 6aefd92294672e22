package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCatalogsComplete(t *testing.T) {
	b := New()
	for k := range b.Keys(ZH) {
		if !b.Has(EN, k) {
			t.Errorf("%s has no English text", k)
		}
	}
	for k := range b.Keys(EN) {
		if !b.Has(ZH, k) {
			t.Errorf("%s has no Chinese text", k)
		}
	}
}

// TestEveryUsedKeyExists scans the Go sources and templates for message keys and checks each one
// is in both catalogs, so that no screen shows a raw key.
func TestEveryUsedKeyExists(t *testing.T) {
	b := New()
	re := regexp.MustCompile(`"((?:err|web|api)\.[a-z0-9_]+(?:\.[a-z0-9_]+)+)"`)
	root := filepath.Join("..")
	filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".tmpl") {
			return nil
		}
		data, _ := os.ReadFile(path)
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			key := m[1]
			if strings.HasSuffix(key, ".") {
				continue
			}
			if !b.Has(ZH, key) || !b.Has(EN, key) {
				t.Errorf("%s: key %s missing from a catalog", path, key)
			}
		}
		return nil
	})
}

func TestPick(t *testing.T) {
	cases := []struct{ user, cookie, accept, want string }{
		{"", "", "", ZH},
		{"", "", "en-US,en;q=0.9", EN},
		{"", "", "zh-CN,zh;q=0.9,en;q=0.8", ZH},
		{"", "", "fr-FR", ZH},
		{"", "en", "zh-CN", EN},
		{"zh-CN", "en", "en", ZH},
		{"", "", "garbage;;;", ZH},
	}
	for _, c := range cases {
		if got := Pick(c.user, c.cookie, c.accept); got != c.want {
			t.Errorf("Pick(%q,%q,%q) = %q, want %q", c.user, c.cookie, c.accept, got, c.want)
		}
	}
	b := New()
	if got := b.T(EN, "err.forbidden"); got == "err.forbidden" || got == b.T(ZH, "err.forbidden") {
		t.Errorf("translation missing: %q", got)
	}
}

// TestNoKeyInTwoCatalogs: a key defined in two catalog files silently takes the last one loaded, so
// one screen's words would change another's. Each key lives in exactly one file per language.
func TestNoKeyInTwoCatalogs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("locales", "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no catalogs: %v", err)
	}
	key := regexp.MustCompile(`(?m)^"([^"]+)"\s*=`)
	where := map[string]string{} // language + key → file
	for _, f := range files {
		base := filepath.Base(f)
		lang := strings.TrimSuffix(base[strings.Index(base, ".")+1:], ".toml")
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(data), -1) {
			k := lang + " " + m[1]
			if prev, ok := where[k]; ok {
				t.Errorf("%s is defined in %s and %s", k, prev, base)
			}
			where[k] = base
		}
	}
}
