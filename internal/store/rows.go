package store

import (
	"time"

	"github.com/uptrace/bun"
)

// Row types map tables to Go; the domain types never carry bun tags. Times are stored in UTC.

type orgUnitRow struct {
	bun.BaseModel `bun:"table:org_units,alias:ou"`
	ID            int64 `bun:",pk,autoincrement"`
	ParentID      *int64
	Name          string
	Code          string
	Kind          string
	Path          string
	Sort          int
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

type userRow struct {
	bun.BaseModel      `bun:"table:users,alias:u"`
	ID                 int64 `bun:",pk,autoincrement"`
	Username           string
	Name               string
	Phone              string
	Email              string
	OrgUnitID          int64
	Post               string
	Locale             string
	PasswordHash       string
	PasswordChangedAt  time.Time
	MustChangePassword bool
	TOTPSecret         string `bun:"totp_secret"`
	TOTPEnabled        bool   `bun:"totp_enabled"`
	TOTPLastStep       int64  `bun:"totp_last_step"`
	Disabled           bool
	FailedLogins       int
	LockedUntil        *time.Time
	LastLoginAt        *time.Time
	Version            int
	CreatedAt          time.Time
	UpdatedAt          time.Time
	OrgPath            string  `bun:"org_path,scanonly"`
	OrgName            string  `bun:"org_name,scanonly"`
	ServicePath        *string `bun:"service_path,scanonly"`
}

type roleRow struct {
	bun.BaseModel `bun:"table:roles,alias:r"`
	ID            int64 `bun:",pk,autoincrement"`
	Code          string
	Name          string
	NameEN        string `bun:"name_en"`
	Description   string
	Builtin       bool
	Version       int
	CreatedAt     time.Time
}

type rolePermRow struct {
	bun.BaseModel `bun:"table:role_permissions"`
	RoleID        int64
	Permission    string
}

type userRoleRow struct {
	bun.BaseModel `bun:"table:user_roles"`
	UserID        int64
	RoleID        int64
}

type groupRow struct {
	bun.BaseModel `bun:"table:support_groups,alias:g"`
	ID            int64 `bun:",pk,autoincrement"`
	Name          string
	Code          string
	Tier          int
	ManagerID     *int64
	OrgUnitID     *int64
	Description   string
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
	ManagerName   string `bun:"manager_name,scanonly"`
}

type groupMemberRow struct {
	bun.BaseModel `bun:"table:group_members"`
	GroupID       int64
	UserID        int64
}

type sessionRow struct {
	bun.BaseModel `bun:"table:sessions"`
	ID            string `bun:",pk"`
	UserID        int64
	CreatedAt     time.Time
	LastSeenAt    time.Time
	ExpiresAt     time.Time
	MFAPending    bool   `bun:"mfa_pending"`
	IP            string `bun:"ip"`
	UserAgent     string
}

type tokenRow struct {
	bun.BaseModel `bun:"table:api_tokens"`
	ID            int64 `bun:",pk,autoincrement"`
	UserID        int64
	Name          string
	Prefix        string
	Hash          string
	CreatedAt     time.Time
	ExpiresAt     time.Time
	LastUsedAt    *time.Time
	RevokedAt     *time.Time
}

type settingRow struct {
	bun.BaseModel `bun:"table:settings"`
	Key           string `bun:",pk"`
	Value         string
	UpdatedAt     time.Time
}

type auditRow struct {
	bun.BaseModel `bun:"table:audit_log"`
	Seq           int64 `bun:",pk"`
	At            time.Time
	ActorID       int64
	ActorName     string
	Action        string
	TargetType    string
	TargetID      string
	IP            string `bun:"ip"`
	UserAgent     string
	Source        string
	Result        string
	Detail        string
	BeforeJSON    string `bun:"before_json"`
	AfterJSON     string `bun:"after_json"`
	PrevHash      string
	Hash          string
}

// ptrTime maps the zero time to NULL.
func ptrTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func valTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func ptrID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func valID(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

type passwordHistoryRow struct {
	bun.BaseModel `bun:"table:password_history"`
	ID            int64 `bun:",pk,autoincrement"`
	UserID        int64
	Hash          string
	CreatedAt     time.Time
}

func valStr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
