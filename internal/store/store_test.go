package store_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

func TestMigrateIsIdempotentAndComplete(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		applied, err := db.Migrate(ctx)
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate: applied=%v err=%v", applied, err)
		}
		st, err := db.MigrationStatus(ctx)
		if err != nil || len(st) == 0 || !st[0].Applied {
			t.Fatalf("status %v %v", st, err)
		}
		cols, err := db.Columns(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"users.password_hash", "audit_log.prev_hash", "org_units.path", "support_groups.tier", "api_tokens.hash"} {
			if !cols[want] {
				t.Errorf("column %s missing", want)
			}
		}
	})
}

func TestSchemaSameOnBothEngines(t *testing.T) {
	if len(storetest.Engines()) < 2 {
		t.Skip("needs " + storetest.EnvPostgres)
	}
	ctx := context.Background()
	lite, err := storetest.Open(t, store.SQLite).Columns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := storetest.Open(t, store.Postgres).Columns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for c := range lite {
		if !pg[c] {
			t.Errorf("%s only on SQLite", c)
		}
	}
	for c := range pg {
		if !lite[c] {
			t.Errorf("%s only on PostgreSQL", c)
		}
	}
}

func TestInTxRollsBackEverything(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, a := store.IAM{DB: db}, &audit.Service{Store: store.Audit{DB: db}, Now: time.Now}
		root := &iam.OrgUnit{Name: "总部", Kind: iam.OrgHQ}
		if err := s.CreateOrgUnit(ctx, root); err != nil {
			t.Fatal(err)
		}
		boom := errs.E(errs.Invalid, "boom")
		err := db.InTx(ctx, func(ctx context.Context) error {
			if err := s.CreateUser(ctx, &iam.User{Username: "li", Name: "李四", OrgUnitID: root.ID}); err != nil {
				return err
			}
			if err := a.Record(ctx, audit.Entry{Action: "user.create"}); err != nil {
				return err
			}
			return boom
		})
		if err != boom {
			t.Fatalf("err = %v", err)
		}
		if _, err := s.UserByUsername(ctx, "li"); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("user survived rollback: %v", err)
		}
		if n, _, _ := a.Verify(ctx); n != 0 {
			t.Fatalf("audit entry survived rollback: %d", n)
		}
	})
}

func TestAuditAppendOnly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := &audit.Service{Store: store.Audit{DB: db}, Now: time.Now}
		for i := 0; i < 3; i++ {
			if err := a.Record(ctx, audit.Entry{Action: "x.test", Before: `{"a":1}`, After: `{"a":2}`}); err != nil {
				t.Fatal(err)
			}
		}
		if n, brk, err := a.Verify(ctx); err != nil || brk != nil || n != 3 {
			t.Fatalf("verify: %d %v %v", n, brk, err)
		}
		if _, err := db.W.ExecContext(ctx, "UPDATE audit_log SET action = 'y' WHERE seq = 2"); err == nil {
			t.Fatal("UPDATE on audit_log allowed")
		}
		if _, err := db.W.ExecContext(ctx, "DELETE FROM audit_log WHERE seq = 2"); err == nil {
			t.Fatal("DELETE on audit_log allowed")
		}
	})
}

func TestUserVersionConflict(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.IAM{DB: db}
		root := &iam.OrgUnit{Name: "总部", Kind: iam.OrgHQ}
		s.CreateOrgUnit(ctx, root)
		u := &iam.User{Username: "wang", Name: "王五", OrgUnitID: root.ID}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateUser(ctx, &iam.User{Username: "wang", Name: "x", OrgUnitID: root.ID}); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("duplicate username: %v", err)
		}
		stale := *u
		u.Phone = "13800000000"
		if err := s.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		stale.Phone = "139"
		if err := s.UpdateUser(ctx, &stale); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("stale update: %v", err)
		}
		got, _ := s.User(ctx, u.ID)
		if got.Phone != "13800000000" || got.OrgName != "总部" || got.Version != 2 {
			t.Fatalf("got %+v", got)
		}
	})
}

func TestOrgMoveRewritesSubtree(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.IAM{DB: db}
		hq := &iam.OrgUnit{Name: "总部", Kind: iam.OrgHQ}
		s.CreateOrgUnit(ctx, hq)
		a := &iam.OrgUnit{Name: "华东分部", Kind: iam.OrgBranch, ParentID: hq.ID}
		b := &iam.OrgUnit{Name: "华南分部", Kind: iam.OrgBranch, ParentID: hq.ID}
		s.CreateOrgUnit(ctx, a)
		s.CreateOrgUnit(ctx, b)
		d := &iam.OrgUnit{Name: "信息部", Kind: iam.OrgDept, ParentID: a.ID}
		s.CreateOrgUnit(ctx, d)
		e := &iam.OrgUnit{Name: "运维组", Kind: iam.OrgDept, ParentID: d.ID}
		s.CreateOrgUnit(ctx, e)
		old := d.Path
		d.ParentID, d.Path = b.ID, b.Path+itoa(d.ID)+"/"
		if err := s.UpdateOrgUnit(ctx, d, old); err != nil {
			t.Fatal(err)
		}
		got, _ := s.OrgUnit(ctx, e.ID)
		if want := d.Path + itoa(e.ID) + "/"; got.Path != want {
			t.Fatalf("child path %q, want %q", got.Path, want)
		}
		under, _ := s.OrgUnits(ctx, b.Path)
		if len(under) != 3 {
			t.Fatalf("subtree of 华南 has %d units", len(under))
		}
	})
}

func TestOrgUnitCodeUnique(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.IAM{DB: db}
		hq := &iam.OrgUnit{Name: "总部", Code: "HQ", Kind: iam.OrgHQ}
		if err := s.CreateOrgUnit(ctx, hq); err != nil {
			t.Fatal(err)
		}
		dup := &iam.OrgUnit{Name: "另一个总部", Code: "HQ", Kind: iam.OrgBranch, ParentID: hq.ID}
		if err := s.CreateOrgUnit(ctx, dup); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("duplicate code: %v", err)
		}
		for _, name := range []string{"信息部", "财务部"} {
			if err := s.CreateOrgUnit(ctx, &iam.OrgUnit{Name: name, Kind: iam.OrgDept, ParentID: hq.ID}); err != nil {
				t.Fatalf("two units without a code: %v", err)
			}
		}
		if units, _ := s.OrgUnits(ctx, hq.Path); len(units) != 3 {
			t.Fatalf("the refused unit left a row: %d units", len(units))
		}
	})
}

// TestServicePath checks the area a service-desk member serves: the nearest headquarters or branch
// above their department, whatever the depth.
func TestServicePath(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.IAM{DB: db}
		hq := &iam.OrgUnit{Name: "总部", Kind: iam.OrgHQ}
		s.CreateOrgUnit(ctx, hq)
		center := &iam.OrgUnit{Name: "信息技术支持服务中心", Kind: iam.OrgDept, ParentID: hq.ID}
		s.CreateOrgUnit(ctx, center)
		team := &iam.OrgUnit{Name: "一线组", Kind: iam.OrgDept, ParentID: center.ID}
		s.CreateOrgUnit(ctx, team)
		east := &iam.OrgUnit{Name: "华东分公司", Kind: iam.OrgBranch, ParentID: hq.ID}
		s.CreateOrgUnit(ctx, east)
		eastIT := &iam.OrgUnit{Name: "华东信息部", Kind: iam.OrgDept, ParentID: east.ID}
		s.CreateOrgUnit(ctx, eastIT)
		for name, c := range map[string]struct {
			unit int64
			want string
		}{"agent.hq": {team.ID, hq.Path}, "agent.east": {eastIT.ID, east.Path}, "boss.east": {east.ID, east.Path}} {
			if err := s.CreateUser(ctx, &iam.User{Username: name, Name: name, OrgUnitID: c.unit}); err != nil {
				t.Fatal(err)
			}
			u, err := s.UserByUsername(ctx, name)
			if err != nil || u.ServicePath != c.want {
				t.Errorf("%s: service path %q, want %q (%v)", name, u.ServicePath, c.want, err)
			}
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
