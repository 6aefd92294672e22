package audit

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Change is one field that differs between the before and after snapshots.
type Change struct {
	Field, Before, After string
}

// Diff lists the top-level fields that differ between two JSON object snapshots, in field order.
// Either side may be empty (creation or deletion).
func Diff(before, after string) []Change {
	var b, a map[string]any
	if before != "" {
		_ = json.Unmarshal([]byte(before), &b)
	}
	if after != "" {
		_ = json.Unmarshal([]byte(after), &a)
	}
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	slices.Sort(names)
	var out []Change
	for _, k := range names {
		bv, bok := b[k]
		av, aok := a[k]
		bs, as := show(bv, bok), show(av, aok)
		if bs != as {
			out = append(out, Change{Field: k, Before: bs, After: as})
		}
	}
	return out
}

func show(v any, ok bool) string {
	if !ok || v == nil {
		return ""
	}
	if s, isStr := v.(string); isStr {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// Snapshot marshals v for Entry.Before/After; nil gives "".
func Snapshot(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
