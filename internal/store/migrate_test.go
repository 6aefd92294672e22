package store_test

import (
	"context"
	"sync"
	"testing"

	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// TestReplicasMigrateAtOnce starts two "replicas" on one empty database at the same moment: both must
// succeed, and the migrations must be applied exactly once.
func TestReplicasMigrateAtOnce(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			cfg := storetest.Empty(t, engine)
			ctx := context.Background()
			var wg sync.WaitGroup
			applied := make([][]string, 2)
			errs := make([]error, 2)
			for i := range 2 {
				db, err := store.Open(ctx, cfg)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				wg.Add(1)
				go func() {
					defer wg.Done()
					applied[i], errs[i] = db.Migrate(ctx)
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("replica %d: %v", i, err)
				}
			}
			st, err := store.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			all, err := st.MigrationStatus(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(applied[0]) + len(applied[1]); n != len(all) || (len(applied[0]) != 0 && len(applied[1]) != 0) {
				t.Fatalf("migrations applied %v by the two replicas, want all %d by one", applied, len(all))
			}
		})
	}
}
