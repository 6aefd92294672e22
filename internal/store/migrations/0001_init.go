package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// Tables as of migration 0001. These structs are frozen: later migrations describe their own changes.
type orgUnit0001 struct {
	bun.BaseModel `bun:"table:org_units"`
	ID            int64        `bun:",pk,autoincrement"`
	ParentID      *int64       `bun:"parent_id"`
	Parent        *orgUnit0001 `bun:"rel:belongs-to,join:parent_id=id"`
	Name          string       `bun:",notnull"`
	Code          string       `bun:",notnull,default:''"`
	Kind          string       `bun:",notnull"`
	Path          string       `bun:",notnull,default:''"`
	Sort          int          `bun:",notnull,default:0"`
	Version       int          `bun:",notnull,default:1"`
	CreatedAt     time.Time    `bun:",notnull"`
	UpdatedAt     time.Time    `bun:",notnull"`
}

type user0001 struct {
	bun.BaseModel      `bun:"table:users"`
	ID                 int64        `bun:",pk,autoincrement"`
	Username           string       `bun:",notnull,unique"`
	Name               string       `bun:",notnull"`
	Phone              string       `bun:",notnull,default:''"`
	Email              string       `bun:",notnull,default:''"`
	OrgUnitID          int64        `bun:",notnull"`
	OrgUnit            *orgUnit0001 `bun:"rel:belongs-to,join:org_unit_id=id"`
	Post               string       `bun:",notnull,default:''"`
	Locale             string       `bun:",notnull,default:''"`
	PasswordHash       string       `bun:",notnull,default:''"`
	PasswordChangedAt  time.Time    `bun:",notnull"`
	MustChangePassword bool         `bun:",notnull,default:false"`
	TOTPSecret         string       `bun:"totp_secret,notnull,default:''"`
	TOTPEnabled        bool         `bun:"totp_enabled,notnull,default:false"`
	TOTPLastStep       int64        `bun:"totp_last_step,notnull,default:0"`
	Disabled           bool         `bun:",notnull,default:false"`
	FailedLogins       int          `bun:",notnull,default:0"`
	LockedUntil        *time.Time
	LastLoginAt        *time.Time
	Version            int       `bun:",notnull,default:1"`
	CreatedAt          time.Time `bun:",notnull"`
	UpdatedAt          time.Time `bun:",notnull"`
}

type passwordHistory0001 struct {
	bun.BaseModel `bun:"table:password_history"`
	ID            int64     `bun:",pk,autoincrement"`
	UserID        int64     `bun:",notnull"`
	User          *user0001 `bun:"rel:belongs-to,join:user_id=id,on_delete:cascade"`
	Hash          string    `bun:",notnull"`
	CreatedAt     time.Time `bun:",notnull"`
}

type role0001 struct {
	bun.BaseModel `bun:"table:roles"`
	ID            int64     `bun:",pk,autoincrement"`
	Code          string    `bun:",notnull,unique"`
	Name          string    `bun:",notnull"`
	NameEN        string    `bun:"name_en,notnull,default:''"`
	Description   string    `bun:",notnull,default:''"`
	Builtin       bool      `bun:",notnull,default:false"`
	Version       int       `bun:",notnull,default:1"`
	CreatedAt     time.Time `bun:",notnull"`
}

type rolePermission0001 struct {
	bun.BaseModel `bun:"table:role_permissions"`
	RoleID        int64     `bun:",pk"`
	Role          *role0001 `bun:"rel:belongs-to,join:role_id=id,on_delete:cascade"`
	Permission    string    `bun:",pk"`
}

type userRole0001 struct {
	bun.BaseModel `bun:"table:user_roles"`
	UserID        int64     `bun:",pk"`
	User          *user0001 `bun:"rel:belongs-to,join:user_id=id,on_delete:cascade"`
	RoleID        int64     `bun:",pk"`
	Role          *role0001 `bun:"rel:belongs-to,join:role_id=id"`
}

type group0001 struct {
	bun.BaseModel `bun:"table:support_groups"`
	ID            int64        `bun:",pk,autoincrement"`
	Name          string       `bun:",notnull,unique"`
	Code          string       `bun:",notnull,unique"`
	Tier          int          `bun:",notnull"`
	ManagerID     *int64       `bun:"manager_id"`
	Manager       *user0001    `bun:"rel:belongs-to,join:manager_id=id"`
	OrgUnitID     *int64       `bun:"org_unit_id"`
	OrgUnit       *orgUnit0001 `bun:"rel:belongs-to,join:org_unit_id=id"`
	Description   string       `bun:",notnull,default:''"`
	Version       int          `bun:",notnull,default:1"`
	CreatedAt     time.Time    `bun:",notnull"`
	UpdatedAt     time.Time    `bun:",notnull"`
}

type groupMember0001 struct {
	bun.BaseModel `bun:"table:group_members"`
	GroupID       int64      `bun:",pk"`
	Group         *group0001 `bun:"rel:belongs-to,join:group_id=id,on_delete:cascade"`
	UserID        int64      `bun:",pk"`
	User          *user0001  `bun:"rel:belongs-to,join:user_id=id,on_delete:cascade"`
}

type session0001 struct {
	bun.BaseModel `bun:"table:sessions"`
	ID            string    `bun:",pk"`
	UserID        int64     `bun:",notnull"`
	User          *user0001 `bun:"rel:belongs-to,join:user_id=id,on_delete:cascade"`
	CreatedAt     time.Time `bun:",notnull"`
	LastSeenAt    time.Time `bun:",notnull"`
	ExpiresAt     time.Time `bun:",notnull"`
	MFAPending    bool      `bun:"mfa_pending,notnull,default:false"`
	IP            string    `bun:"ip,notnull,default:''"`
	UserAgent     string    `bun:",notnull,default:''"`
}

type apiToken0001 struct {
	bun.BaseModel `bun:"table:api_tokens"`
	ID            int64     `bun:",pk,autoincrement"`
	UserID        int64     `bun:",notnull"`
	User          *user0001 `bun:"rel:belongs-to,join:user_id=id,on_delete:cascade"`
	Name          string    `bun:",notnull"`
	Prefix        string    `bun:",notnull"`
	Hash          string    `bun:",notnull,unique"`
	CreatedAt     time.Time `bun:",notnull"`
	ExpiresAt     time.Time `bun:",notnull"`
	LastUsedAt    *time.Time
	RevokedAt     *time.Time
}

type setting0001 struct {
	bun.BaseModel `bun:"table:settings"`
	Key           string    `bun:",pk"`
	Value         string    `bun:",notnull"`
	UpdatedAt     time.Time `bun:",notnull"`
}

type auditLog0001 struct {
	bun.BaseModel `bun:"table:audit_log"`
	Seq           int64     `bun:",pk"`
	At            time.Time `bun:",notnull"`
	ActorID       int64     `bun:",notnull,default:0"`
	ActorName     string    `bun:",notnull"`
	Action        string    `bun:",notnull"`
	TargetType    string    `bun:",notnull,default:''"`
	TargetID      string    `bun:",notnull,default:''"`
	IP            string    `bun:"ip,notnull,default:''"`
	UserAgent     string    `bun:",notnull,default:''"`
	Source        string    `bun:",notnull,default:''"`
	Result        string    `bun:",notnull"`
	Detail        string    `bun:",notnull,default:''"`
	BeforeJSON    string    `bun:"before_json,type:text,notnull,default:''"`
	AfterJSON     string    `bun:"after_json,type:text,notnull,default:''"`
	PrevHash      string    `bun:",notnull"`
	Hash          string    `bun:",notnull"`
}

// auditHead0001 is the single row that serialises appends to the hash chain.
type auditHead0001 struct {
	bun.BaseModel `bun:"table:audit_head"`
	ID            int    `bun:",pk"`
	Seq           int64  `bun:",notnull"`
	Hash          string `bun:",notnull"`
}

func register0001(ms *migrate.Migrations) {
	ms.MustRegister(inTx(up0001), inTx(down0001))
}

func up0001(ctx context.Context, tx bun.Tx) error {
	err := createTables(ctx, tx, (*orgUnit0001)(nil), (*user0001)(nil), (*passwordHistory0001)(nil),
		(*role0001)(nil), (*rolePermission0001)(nil), (*userRole0001)(nil), (*group0001)(nil),
		(*groupMember0001)(nil), (*session0001)(nil), (*apiToken0001)(nil), (*setting0001)(nil),
		(*auditLog0001)(nil), (*auditHead0001)(nil))
	if err != nil {
		return err
	}
	err = exec(ctx, tx,
		`CREATE INDEX org_units_path ON org_units (path)`,
		`CREATE INDEX org_units_parent ON org_units (parent_id)`,
		`CREATE INDEX users_org_unit ON users (org_unit_id)`,
		`CREATE INDEX users_phone ON users (phone)`,
		`CREATE INDEX password_history_user ON password_history (user_id, id)`,
		`CREATE INDEX user_roles_role ON user_roles (role_id)`,
		`CREATE INDEX group_members_user ON group_members (user_id)`,
		`CREATE INDEX sessions_user ON sessions (user_id)`,
		`CREATE INDEX api_tokens_user ON api_tokens (user_id)`,
		`CREATE INDEX audit_log_at ON audit_log (at)`,
		`CREATE INDEX audit_log_actor ON audit_log (actor_name, seq)`,
		`CREATE INDEX audit_log_action ON audit_log (action, seq)`,
		`CREATE INDEX audit_log_target ON audit_log (target_type, target_id)`,
		`INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')`,
	)
	if err != nil {
		return err
	}
	// The audit log is append-only inside the database as well: a row can be inserted, never
	// updated or deleted, whatever code runs.
	if isPG(tx) {
		return exec(ctx, tx,
			`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
			 BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`,
			`CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
			 FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
			`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
			 FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`,
		)
	}
	return exec(ctx, tx,
		`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
		 BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
		`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
		 BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
	)
}

func down0001(ctx context.Context, tx bun.Tx) error {
	stmts := []string{}
	if isPG(tx) {
		stmts = append(stmts, `DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log`)
	}
	for _, t := range []string{"audit_head", "audit_log", "settings", "api_tokens", "sessions", "group_members",
		"support_groups", "user_roles", "role_permissions", "roles", "password_history", "users", "org_units"} {
		stmts = append(stmts, "DROP TABLE IF EXISTS "+t)
	}
	if isPG(tx) {
		stmts = append(stmts, `DROP FUNCTION IF EXISTS audit_log_append_only()`)
	}
	return exec(ctx, tx, stmts...)
}
