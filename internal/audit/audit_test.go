package audit

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// memStore is an in-memory chain for testing the rules; the SQL store has its own tests.
type memStore struct{ entries []*Entry }

func (m *memStore) Append(_ context.Context, e *Entry, seal func(*Entry)) error {
	e.Seq, e.PrevHash = int64(len(m.entries)+1), GenesisHash
	if len(m.entries) > 0 {
		e.PrevHash = m.entries[len(m.entries)-1].Hash
	}
	seal(e)
	m.entries = append(m.entries, e)
	return nil
}
func (m *memStore) AppendAll(ctx context.Context, es []*Entry, seal func(*Entry)) error {
	for _, e := range es {
		if err := m.Append(ctx, e, seal); err != nil {
			return err
		}
	}
	return nil
}
func (m *memStore) Search(context.Context, Filter) ([]*Entry, error) { return m.entries, nil }
func (m *memStore) Each(_ context.Context, fn func(*Entry) error) error {
	for _, e := range m.entries {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func TestChainDetectsTampering(t *testing.T) {
	st := &memStore{}
	s := &Service{Store: st, Now: func() time.Time { return time.Date(2026, 11, 22, 8, 0, 0, 123456789, time.UTC) }}
	ctx := context.Background()
	for _, a := range []string{"user.create", "user.disable", "role.assign"} {
		if err := s.Record(ctx, Entry{Action: a, TargetType: "user", TargetID: "7"}); err != nil {
			t.Fatal(err)
		}
	}
	if n, brk, err := s.Verify(ctx); err != nil || brk != nil || n != 3 {
		t.Fatalf("untouched chain: n=%d brk=%v err=%v", n, brk, err)
	}
	st.entries[1].Action = "user.enable"
	_, brk, _ := s.Verify(ctx)
	if diff := cmp.Diff(&Break{Seq: 2, Reason: "content does not match its hash (edited)"}, brk); diff != "" {
		t.Fatalf("edited entry (-want +got):\n%s", diff)
	}
	st.entries[1].Action = "user.disable"
	st.entries = append(st.entries[:1], st.entries[2:]...)
	if _, brk, _ = s.Verify(ctx); brk == nil || brk.Seq != 2 {
		t.Fatalf("deleted entry not found: %v", brk)
	}
}

func TestHashSeparatesFields(t *testing.T) {
	a := &Entry{Action: "ab", TargetType: "c"}
	b := &Entry{Action: "a", TargetType: "bc"}
	if Hash(a) == Hash(b) {
		t.Fatal("moving text between fields kept the hash")
	}
}

func TestDiff(t *testing.T) {
	got := Diff(`{"name":"张三","disabled":false,"roles":["agent"]}`, `{"name":"张三","disabled":true,"roles":["agent","manager"]}`)
	want := []Change{{"disabled", "false", "true"}, {"roles", `["agent"]`, `["agent","manager"]`}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Diff mismatch (-want +got):\n%s", diff)
	}
	if got := Diff("", `{"a":"1"}`); len(got) != 1 || got[0].After != "1" {
		t.Fatalf("creation diff %v", got)
	}
}
