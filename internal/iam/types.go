package iam

import "time"

// OrgKind is the level of an organisation unit.
type OrgKind string

const (
	OrgHQ     OrgKind = "hq"     // 总部
	OrgBranch OrgKind = "branch" // 分部/省公司
	OrgDept   OrgKind = "dept"   // 部门
)

// OrgUnit is a node of the organisation tree. Path is the materialised path of ids ("/1/4/9/"),
// so that a subtree is one prefix match.
type OrgUnit struct {
	ID       int64
	ParentID int64 // 0 for the root
	Name     string
	Code     string
	Kind     OrgKind
	Path     string
	Sort     int
	Version  int
}

// Depth is the number of ancestors of u.
func (u *OrgUnit) Depth() int {
	n := -2
	for _, c := range u.Path {
		if c == '/' {
			n++
		}
	}
	return max(n, 0)
}

// User is one account per person (一人一号).
type User struct {
	ID        int64
	Username  string
	Name      string
	Phone     string
	Email     string
	OrgUnitID int64
	OrgPath   string // of OrgUnitID, filled by the store
	// ServicePath is the path of the nearest headquarters or branch at or above OrgUnitID, filled by
	// the store: the part of the organisation a service-desk member serves (统一领导、分级管理).
	ServicePath        string
	OrgName            string // of OrgUnitID, filled by the store
	Post               string // 岗位
	Locale             string // "", "zh-CN" or "en"
	PasswordHash       string
	PasswordChangedAt  time.Time
	MustChangePassword bool
	TOTPSecret         string
	TOTPEnabled        bool
	TOTPLastStep       int64 // last accepted time step, so that a code is not accepted twice
	Disabled           bool
	FailedLogins       int
	LockedUntil        time.Time
	LastLoginAt        time.Time
	CreatedAt          time.Time
	Version            int
	Roles              []string // role codes, filled by the store
}

// IsLocked reports whether the account is in its lock-out cool-down at now.
func (u *User) IsLocked(now time.Time) bool { return now.Before(u.LockedUntil) }

// IsAdmin reports whether u holds one of the three administrator roles.
func (u *User) IsAdmin() bool {
	for _, r := range u.Roles {
		if IsAdminRole(r) {
			return true
		}
	}
	return false
}

// Tier is a support line: 1 (一线 service desk), 2 (二线) or 3 (三线).
type Tier int

// Group is a support group or team (支持组), a dispatch target.
type Group struct {
	ID          int64
	Name        string
	Code        string
	Tier        Tier
	ManagerID   int64
	ManagerName string
	OrgUnitID   int64
	Description string
	MemberIDs   []int64
	Version     int
}

// Role is a named set of permissions.
type Role struct {
	ID          int64
	Code        string
	Name        string
	NameEN      string
	Description string
	Builtin     bool
	Perms       []string
	Version     int
}

// Session is a signed-in browser. ID is the SHA-256 of the cookie value; the value itself is never stored.
type Session struct {
	ID         string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute time-out
	MFAPending bool      // password accepted, second factor not yet
	IP         string
	UserAgent  string
}

// Token is a personal API token. Hash is the SHA-256 of the secret, which is shown once.
type Token struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string // first characters of the secret, to tell tokens apart
	Hash       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// IsActive reports whether the token may be used at now.
func (t *Token) IsActive(now time.Time) bool {
	return t.RevokedAt.IsZero() && now.Before(t.ExpiresAt)
}
