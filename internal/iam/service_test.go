package iam_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

const pw = "Opsdesk@2026!"

// fixture is an iam service on a fresh database with a clock the test moves.
type fixture struct {
	s     *iam.Service
	au    *audit.Service
	now   time.Time
	root  *iam.OrgUnit
	ctx   context.Context // the operator: every permission
	users map[string]*iam.User
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{now: time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC), users: map[string]*iam.User{}}
	clock := func() time.Time { return f.now }
	db.Now = clock
	f.au = &audit.Service{Store: store.Audit{DB: db}, Now: clock}
	f.s = &iam.Service{Store: store.IAM{DB: db}, Audit: f.au, Now: clock, Argon2: iam.CheapArgon2}
	// As in production, authentication is cached; for an hour here, so that every test of a
	// disable, revocation or time-out also checks that the cache was emptied, not that it expired.
	f.s.UseAuthCache(time.Hour)
	op := actor.System(actor.SourceCLI)
	for _, p := range iam.AllPermissions {
		op.Perms[p] = true
	}
	f.ctx = actor.NewContext(context.Background(), op)
	if _, err := f.s.FirstStart(f.ctx, pw); err != nil {
		t.Fatal(err)
	}
	var err error
	if f.root, err = f.s.EnsureRoot(f.ctx, "总部"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"admin", "secadmin", "auditor"} {
		f.users[name], _ = f.s.Store.UserByUsername(f.ctx, name)
	}
	return f
}

// as returns a context acting as the named user, with their real permissions.
func (f *fixture) as(t *testing.T, name string) context.Context {
	t.Helper()
	u, err := f.s.Store.UserByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.s.ActorFor(context.Background(), &actor.Actor{Source: actor.SourceWeb, IP: "10.0.0.1"}, u)
	if err != nil {
		t.Fatal(err)
	}
	return actor.NewContext(context.Background(), a)
}

func (f *fixture) user(t *testing.T, name string, roles ...string) *iam.User {
	t.Helper()
	u, err := f.s.CreateUser(f.ctx, iam.NewUser{Username: name, Password: pw, Roles: roles,
		UserFields: iam.UserFields{Name: name, OrgUnitID: f.root.ID}})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestLoginLockoutAndDisable(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		u := f.user(t, "zhangsan", iam.RoleAgent)
		ctx := actor.NewContext(context.Background(), &actor.Actor{IP: "10.1.1.1", Source: actor.SourceWeb})
		if _, err := f.s.Login(ctx, "nobody", "x"); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("unknown user: %v", err)
		}
		for i := 0; i < 4; i++ {
			if _, err := f.s.Login(ctx, "zhangsan", "wrong"); errs.KindOf(err) != errs.Unauthenticated {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if _, err := f.s.Login(ctx, "zhangsan", "wrong"); errs.KindOf(err) != errs.TooMany {
			t.Fatalf("fifth failure should lock: %v", err)
		}
		if _, err := f.s.Login(ctx, "zhangsan", pw); errs.KindOf(err) != errs.TooMany {
			t.Fatalf("locked account accepted the right password: %v", err)
		}
		f.now = f.now.Add(16 * time.Minute)
		res, err := f.s.Login(ctx, "zhangsan", pw)
		if err != nil {
			t.Fatalf("after cool-down: %v", err)
		}
		if _, _, _, err := f.s.Authenticate(ctx, res.Secret); err != nil {
			t.Fatalf("fresh session rejected: %v", err)
		}
		tok, _, err := f.s.IssueTokenFor(f.ctx, u.ID, "ci", 30)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.AuthenticateToken(ctx, tok); err != nil {
			t.Fatalf("token rejected: %v", err)
		}
		if err := f.s.SetDisabled(f.as(t, "admin"), u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := f.s.Authenticate(ctx, res.Secret); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("session survived disable: %v", err)
		}
		if _, err := f.s.AuthenticateToken(ctx, tok); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("token survived disable: %v", err)
		}
		ents, _ := f.au.Store.Search(context.Background(), audit.Filter{Action: "auth.lockout", Limit: 10})
		if len(ents) != 1 || ents[0].IP != "10.1.1.1" {
			t.Fatalf("lock-out not audited once with the IP: %+v", ents)
		}
		if n, brk, err := f.au.Verify(context.Background()); err != nil || brk != nil || n < 10 {
			t.Fatalf("chain: %d %v %v", n, brk, err)
		}
	})
}

func TestSessionTimeouts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.user(t, "lisi", iam.RoleUser)
		ctx := context.Background()
		res, err := f.s.Login(ctx, "lisi", pw)
		if err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(29 * time.Minute)
		if _, _, _, err := f.s.Authenticate(ctx, res.Secret); err != nil {
			t.Fatalf("active session rejected: %v", err)
		}
		f.now = f.now.Add(31 * time.Minute)
		if _, _, _, err := f.s.Authenticate(ctx, res.Secret); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("idle session accepted: %v", err)
		}
		res, _ = f.s.Login(ctx, "lisi", pw)
		for i := 0; i < 13; i++ { // active every 25 minutes, but past the 12-hour absolute limit
			f.now = f.now.Add(25 * time.Minute)
			f.s.Authenticate(ctx, res.Secret)
		}
		f.now = f.now.Add(7 * time.Hour)
		if _, _, _, err := f.s.Authenticate(ctx, res.Secret); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("session past absolute time-out accepted: %v", err)
		}
	})
}

func TestSeparationOfDuties(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		u := f.user(t, "wangwu", iam.RoleAgent)
		sys, sec, aud := f.as(t, "admin"), f.as(t, "secadmin"), f.as(t, "auditor")
		cases := []struct {
			name string
			ctx  context.Context
			do   func(ctx context.Context) error
			want errs.Kind
		}{
			{"sysadmin grants a business role", sys, func(ctx context.Context) error { return f.s.SetRoles(ctx, u.ID, []string{"agent", "engineer"}) }, 0},
			{"sysadmin cannot grant auditor", sys, func(ctx context.Context) error { return f.s.SetRoles(ctx, u.ID, []string{"auditor"}) }, errs.Forbidden},
			{"sysadmin cannot read the audit log", sys, func(ctx context.Context) error { _, err := f.au.Search(ctx, audit.Filter{}); return err }, errs.Forbidden},
			{"sysadmin cannot disable the auditor", sys, func(ctx context.Context) error { return f.s.SetDisabled(ctx, f.users["auditor"].ID, true) }, errs.Forbidden},
			{"sysadmin cannot change the policy", sys, func(ctx context.Context) error { return f.s.SavePolicy(ctx, iam.DefaultPolicy()) }, errs.Forbidden},
			{"secadmin grants auditor", sec, func(ctx context.Context) error { return f.s.SetRoles(ctx, u.ID, []string{"auditor"}) }, 0},
			{"no account holds two admin roles", sec, func(ctx context.Context) error { return f.s.SetRoles(ctx, u.ID, []string{"auditor", "sysadmin"}) }, errs.Invalid},
			{"secadmin cannot change own roles", sec, func(ctx context.Context) error {
				return f.s.SetRoles(ctx, f.users["secadmin"].ID, []string{"secadmin", "agent"})
			}, errs.Forbidden},
			{"secadmin cannot create users", sec, func(ctx context.Context) error {
				_, err := f.s.CreateUser(ctx, iam.NewUser{Username: "x1", Password: pw, UserFields: iam.UserFields{Name: "x", OrgUnitID: f.root.ID}})
				return err
			}, errs.Forbidden},
			{"secadmin cannot read the audit log", sec, func(ctx context.Context) error { _, err := f.au.Search(ctx, audit.Filter{}); return err }, errs.Forbidden},
			{"auditor reads the audit log", aud, func(ctx context.Context) error { _, err := f.au.Search(ctx, audit.Filter{}); return err }, 0},
			{"auditor changes nothing", aud, func(ctx context.Context) error { return f.s.SetDisabled(ctx, u.ID, true) }, errs.Forbidden},
			{"auditor cannot create roles", aud, func(ctx context.Context) error {
				_, err := f.s.CreateRole(ctx, iam.RoleInput{Code: "x", Name: "x"})
				return err
			}, errs.Forbidden},
			{"custom role cannot merge duties", sec, func(ctx context.Context) error {
				_, err := f.s.CreateRole(ctx, iam.RoleInput{Code: "super", Name: "超级", Perms: []string{iam.PermUserManage, iam.PermAuditRead}})
				return err
			}, errs.Invalid},
		}
		for _, tc := range cases {
			err := tc.do(tc.ctx)
			if tc.want == 0 && err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			if tc.want != 0 && errs.KindOf(err) != tc.want {
				t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
			}
		}
	})
}

func TestScopeToSubtree(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		east, _ := f.s.CreateOrgUnit(f.ctx, iam.OrgInput{ParentID: f.root.ID, Name: "华东分公司", Kind: iam.OrgBranch})
		south, _ := f.s.CreateOrgUnit(f.ctx, iam.OrgInput{ParentID: f.root.ID, Name: "华南分公司", Kind: iam.OrgBranch})
		mk := func(name string, org int64, roles ...string) *iam.User {
			u, err := f.s.CreateUser(f.ctx, iam.NewUser{Username: name, Password: pw, Roles: roles, UserFields: iam.UserFields{Name: name, OrgUnitID: org}})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		mk("east.admin", east.ID, iam.RoleSysAdmin)
		mk("east.user", east.ID, iam.RoleUser)
		s1 := mk("south.user", south.ID, iam.RoleUser)
		ctx := f.as(t, "east.admin")
		users, total, err := f.s.Users(ctx, iam.UserFilter{})
		if err != nil || total != 2 || len(users) != 2 {
			t.Fatalf("east admin sees %d users (%v)", total, err)
		}
		if _, err := f.s.User(ctx, s1.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("user of another branch visible: %v", err)
		}
		if err := f.s.SetDisabled(ctx, s1.ID, true); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("user of another branch disabled: %v", err)
		}
		if _, err := f.s.CreateOrgUnit(ctx, iam.OrgInput{ParentID: south.ID, Name: "x", Kind: iam.OrgDept}); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("unit created outside scope: %v", err)
		}
		units, _ := f.s.OrgUnits(ctx)
		if len(units) != 1 || units[0].ID != east.ID {
			t.Fatalf("east admin sees units %v", units)
		}
		mk("east.sec", east.ID, iam.RoleSecAdmin)
		if err := f.s.Unlock(f.as(t, "east.sec"), s1.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("security administrator of a branch unlocked a user of another: %v", err)
		}
	})
}

// TestServiceDeskReadsItsArea: an agent of the headquarters' service centre finds callers in every
// department (统一领导: the headquarters' area is the whole tree); a branch's desk finds its branch only.
func TestServiceDeskReadsItsArea(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		centre, _ := f.s.CreateOrgUnit(f.ctx, iam.OrgInput{ParentID: f.root.ID, Name: "服务中心", Kind: iam.OrgDept})
		finance, _ := f.s.CreateOrgUnit(f.ctx, iam.OrgInput{ParentID: f.root.ID, Name: "财务部", Kind: iam.OrgDept})
		east, _ := f.s.CreateOrgUnit(f.ctx, iam.OrgInput{ParentID: f.root.ID, Name: "华东分公司", Kind: iam.OrgBranch})
		eastIT, _ := f.s.CreateOrgUnit(f.ctx, iam.OrgInput{ParentID: east.ID, Name: "华东信息部", Kind: iam.OrgDept})
		mk := func(name string, org int64, roles ...string) *iam.User {
			u, err := f.s.CreateUser(f.ctx, iam.NewUser{Username: name, Password: pw, Roles: roles, UserFields: iam.UserFields{Name: name, OrgUnitID: org}})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		mk("desk.agent", centre.ID, iam.RoleAgent)
		mk("east.agent", eastIT.ID, iam.RoleAgent)
		caller := mk("cfo", finance.ID, iam.RoleUser)
		branchUser := mk("east.user", east.ID, iam.RoleUser)
		hq, branch := f.as(t, "desk.agent"), f.as(t, "east.agent")
		for _, id := range []int64{caller.ID, branchUser.ID} {
			if _, err := f.s.User(hq, id); err != nil {
				t.Fatalf("the headquarters' desk cannot look up user %d: %v", id, err)
			}
		}
		if _, err := f.s.User(branch, branchUser.ID); err != nil {
			t.Fatalf("a branch desk cannot look up a caller of its branch outside its department: %v", err)
		}
		if _, err := f.s.User(branch, caller.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("a branch desk reads the headquarters' people: %v", err)
		}
		if err := f.s.SetDisabled(hq, caller.ID, true); err == nil {
			t.Fatal("an agent disabled a caller")
		}
	})
}

func TestPasswordRulesAndTOTP(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.user(t, "zhaoliu", iam.RoleEngineer)
		ctx := f.as(t, "zhaoliu")
		if err := f.s.ChangePassword(ctx, "wrong", "Newpass@2026x"); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("wrong old password: %v", err)
		}
		if err := f.s.ChangePassword(ctx, pw, "short"); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("short password: %v", err)
		}
		if err := f.s.ChangePassword(ctx, pw, "Newpass@2026x"); err != nil {
			t.Fatal(err)
		}
		if err := f.s.ChangePassword(ctx, "Newpass@2026x", pw); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("reused password accepted: %v", err)
		}
		enr, err := f.s.BeginTOTP(ctx)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := totp.GenerateCode(enr.Secret, f.now)
		if err := f.s.ConfirmTOTP(ctx, code); err != nil {
			t.Fatal(err)
		}
		res, err := f.s.Login(context.Background(), "zhaoliu", "Newpass@2026x")
		if err != nil || !res.Session.MFAPending {
			t.Fatalf("login with TOTP: %v pending=%v", err, res != nil && res.Session.MFAPending)
		}
		if err := f.s.VerifyMFA(context.Background(), res.Session.ID, code); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("replayed code accepted: %v", err)
		}
		f.now = f.now.Add(30 * time.Second)
		code, _ = totp.GenerateCode(enr.Secret, f.now)
		if err := f.s.VerifyMFA(context.Background(), res.Session.ID, code); err != nil {
			t.Fatalf("fresh code rejected: %v", err)
		}
	})
}

// TestSecondFactorGuessingLocks checks that wrong TOTP codes count toward the lock-out (else a stolen
// password would allow guessing the six digits for ever) and that a password change ends the
// account's other sessions.
func TestSecondFactorGuessingLocks(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.user(t, "qianba", iam.RoleEngineer)
		ctx := f.as(t, "qianba")
		enr, err := f.s.BeginTOTP(ctx)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := totp.GenerateCode(enr.Secret, f.now)
		if err := f.s.ConfirmTOTP(ctx, code); err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(time.Minute)
		res, err := f.s.Login(context.Background(), "qianba", pw)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 4; i++ {
			if err := f.s.VerifyMFA(context.Background(), res.Session.ID, "000000"); errs.KindOf(err) != errs.Unauthenticated {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		if err := f.s.VerifyMFA(context.Background(), res.Session.ID, "000000"); errs.KindOf(err) != errs.TooMany {
			t.Fatalf("fifth wrong code should lock: %v", err)
		}
		good, _ := totp.GenerateCode(enr.Secret, f.now)
		if err := f.s.VerifyMFA(context.Background(), res.Session.ID, good); err == nil {
			t.Fatal("the pending session survived the lock-out")
		}
		if _, err := f.s.Login(context.Background(), "qianba", pw); errs.KindOf(err) != errs.TooMany {
			t.Fatalf("account not locked: %v", err)
		}
		ents, _ := f.au.Store.Search(context.Background(), audit.Filter{Action: "auth.lockout", Limit: 10})
		if len(ents) != 1 {
			t.Fatalf("lock-out audited %d times", len(ents))
		}

		f.now = f.now.Add(16 * time.Minute)
		other, err := f.s.Login(context.Background(), "qianba", pw)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.ChangePassword(ctx, pw, "Newpass@2026x"); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := f.s.Authenticate(context.Background(), other.Secret); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("another session survived the password change: %v", err)
		}
	})
}

func TestSweepSessionsAudited(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.user(t, "sunqi", iam.RoleUser)
		if _, err := f.s.Login(context.Background(), "sunqi", pw); err != nil {
			t.Fatal(err)
		}
		if n, err := f.s.SweepSessions(f.ctx); err != nil || n != 0 {
			t.Fatalf("fresh session swept: %d %v", n, err)
		}
		f.now = f.now.Add(13 * time.Hour)
		if n, err := f.s.SweepSessions(f.ctx); err != nil || n != 1 {
			t.Fatalf("expired session not swept: %d %v", n, err)
		}
		ents, _ := f.au.Store.Search(context.Background(), audit.Filter{Action: "session.sweep", Limit: 5})
		if len(ents) != 1 {
			t.Fatalf("sweep audited %d times", len(ents))
		}
	})
}
