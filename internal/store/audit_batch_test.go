package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// TestAuditRecordAll: entries recorded as a batch continue the chain after single ones, in order,
// each linked to the one before; single entries continue after the batch; Verify holds throughout,
// and a batch rolled back with its transaction leaves no entry and no moved head.
func TestAuditRecordAll(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := actor.NewContext(context.Background(), actor.System(actor.SourceJob))
		a := &audit.Service{Store: store.Audit{DB: db}, Now: time.Now}
		if err := a.Record(ctx, audit.Entry{Action: "x.one", TargetID: "1"}); err != nil {
			t.Fatal(err)
		}
		batch := []audit.Entry{{Action: "x.batch", TargetID: "2"}, {Action: "x.batch", TargetID: "3", Detail: "三"},
			{Action: "x.batch", TargetID: "4"}}
		if err := db.InTx(ctx, func(ctx context.Context) error { return a.RecordAll(ctx, batch) }); err != nil {
			t.Fatal(err)
		}
		if err := a.Record(ctx, audit.Entry{Action: "x.one", TargetID: "5"}); err != nil {
			t.Fatal(err)
		}
		rollback := []audit.Entry{{Action: "x.gone"}, {Action: "x.gone"}}
		err := db.InTx(ctx, func(ctx context.Context) error {
			if err := a.RecordAll(ctx, rollback); err != nil {
				return err
			}
			return context.Canceled
		})
		if err != context.Canceled {
			t.Fatalf("rolled back batch: %v", err)
		}
		if err := a.Record(ctx, audit.Entry{Action: "x.one", TargetID: "6"}); err != nil {
			t.Fatal(err)
		}
		n, brk, err := a.Verify(ctx)
		if err != nil || brk != nil || n != 6 {
			t.Fatalf("verify: %d entries, break %+v, %v; want 6 and no break", n, brk, err)
		}
		var got []string
		err = store.Audit{DB: db}.Each(ctx, func(e *audit.Entry) error {
			got = append(got, e.TargetID)
			if e.Source != string(actor.SourceJob) {
				t.Errorf("entry %d source %q", e.Seq, e.Source)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := "1 2 3 4 5 6"; strings.Join(got, " ") != want {
			t.Fatalf("chain order %q, want %q", strings.Join(got, " "), want)
		}
		if batch[1].Seq != 3 || batch[1].Hash == "" || batch[2].PrevHash != batch[1].Hash {
			t.Fatalf("batch entries not sealed in order: %+v", batch)
		}
	})
}
