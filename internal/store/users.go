package store

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
)

// IAM implements iam.Store.
type IAM struct{ *DB }

var _ iam.Store = IAM{}

func toUser(r *userRow) *iam.User {
	return &iam.User{
		ID: r.ID, Username: r.Username, Name: r.Name, Phone: r.Phone, Email: r.Email,
		OrgUnitID: r.OrgUnitID, OrgPath: r.OrgPath, ServicePath: valStr(r.ServicePath), OrgName: r.OrgName, Post: r.Post, Locale: r.Locale,
		PasswordHash: r.PasswordHash, PasswordChangedAt: r.PasswordChangedAt.UTC(),
		MustChangePassword: r.MustChangePassword, TOTPSecret: r.TOTPSecret, TOTPEnabled: r.TOTPEnabled,
		TOTPLastStep: r.TOTPLastStep, Disabled: r.Disabled, FailedLogins: r.FailedLogins,
		LockedUntil: valTime(r.LockedUntil), LastLoginAt: valTime(r.LastLoginAt),
		CreatedAt: r.CreatedAt.UTC(), Version: r.Version,
	}
}

func fromUser(u *iam.User) *userRow {
	return &userRow{
		ID: u.ID, Username: u.Username, Name: u.Name, Phone: u.Phone, Email: u.Email,
		OrgUnitID: u.OrgUnitID, Post: u.Post, Locale: u.Locale, PasswordHash: u.PasswordHash,
		PasswordChangedAt: u.PasswordChangedAt.UTC(), MustChangePassword: u.MustChangePassword,
		TOTPSecret: u.TOTPSecret, TOTPEnabled: u.TOTPEnabled, TOTPLastStep: u.TOTPLastStep,
		Disabled: u.Disabled, FailedLogins: u.FailedLogins, LockedUntil: ptrTime(u.LockedUntil),
		LastLoginAt: ptrTime(u.LastLoginAt), Version: u.Version, CreatedAt: u.CreatedAt.UTC(),
	}
}

func (s IAM) userQuery(ctx context.Context) *bun.SelectQuery {
	return s.r(ctx).NewSelect().Model((*userRow)(nil)).
		ColumnExpr("u.*").ColumnExpr("ou.path AS org_path, ou.name AS org_name").
		// The service path: the nearest headquarters or branch at or above the user's unit.
		ColumnExpr(`(SELECT a.path FROM org_units AS a WHERE ou.path LIKE a.path || '%' AND a.kind IN ('hq', 'branch')
			ORDER BY length(a.path) DESC LIMIT 1) AS service_path`).
		Join("JOIN org_units AS ou ON ou.id = u.org_unit_id")
}

func (s IAM) oneUser(ctx context.Context, q *bun.SelectQuery) (*iam.User, error) {
	var row userRow
	if err := q.Limit(1).Scan(ctx, &row); err != nil {
		return nil, classify(err, "user")
	}
	u := toUser(&row)
	roles, err := s.rolesOf(ctx, []int64{u.ID})
	if err != nil {
		return nil, err
	}
	u.Roles = roles[u.ID]
	return u, nil
}

// User loads one user with their organisation and roles.
func (s IAM) User(ctx context.Context, id int64) (*iam.User, error) {
	return s.oneUser(ctx, s.userQuery(ctx).Where("u.id = ?", id))
}

// UserByUsername loads a user by login name.
func (s IAM) UserByUsername(ctx context.Context, username string) (*iam.User, error) {
	return s.oneUser(ctx, s.userQuery(ctx).Where("u.username = ?", username))
}

// Users lists users matching f, ordered by organisation path and name, and the total count.
func (s IAM) Users(ctx context.Context, f iam.UserFilter) ([]*iam.User, int, error) {
	q := s.userQuery(ctx)
	if f.Scope != "" {
		q.Where("ou.path LIKE ?", likePrefix(f.Scope))
	}
	if f.OrgUnitID != 0 {
		q.Where("u.org_unit_id = ?", f.OrgUnitID)
	}
	if f.Query != "" {
		// Usernames and e-mails are stored lower-case; names match case-insensitively (ILIKE on
		// PostgreSQL, LIKE is already so for ASCII on SQLite). No LOWER() on columns: it costs a
		// function call per row.
		p := "%" + escapeLike(strings.ToLower(f.Query)) + "%"
		like := "LIKE"
		if s.IsPostgres() {
			like = "ILIKE"
		}
		q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("u.name "+like+" ? ESCAPE '\\'", p).WhereOr("u.username LIKE ? ESCAPE '\\'", p).
				WhereOr("u.phone LIKE ? ESCAPE '\\'", p).WhereOr("u.email LIKE ? ESCAPE '\\'", p)
		})
	}
	if f.Role != "" {
		q.Where("EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.code = ?)", f.Role)
	}
	if f.Disabled != nil {
		q.Where("u.disabled = ?", *f.Disabled)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var rows []userRow
	total, err := q.OrderExpr("ou.path, u.name, u.id").Limit(int64(f.Limit)).Offset(int64(f.Offset)).ScanAndCount(ctx, &rows)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	roles, err := s.rolesOf(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	out := make([]*iam.User, len(rows))
	for i := range rows {
		out[i] = toUser(&rows[i])
		out[i].Roles = roles[rows[i].ID]
	}
	return out, int(total), nil
}

// CountUsers counts every account; zero means a fresh installation.
func (s IAM) CountUsers(ctx context.Context) (int, error) {
	return count(ctx, s.r(ctx).NewSelect().Model((*userRow)(nil)))
}

// CreateUser inserts u and sets its ID and Version.
func (s IAM) CreateUser(ctx context.Context, u *iam.User) error {
	row := fromUser(u)
	now := s.Now().UTC()
	row.ID, row.Version, row.CreatedAt, row.UpdatedAt = 0, 1, now, now
	if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return classify(err, "user")
	}
	u.ID, u.Version, u.CreatedAt = row.ID, 1, now
	return nil
}

// UpdateUser saves u when u.Version is the stored version (optimistic concurrency) and bumps it.
func (s IAM) UpdateUser(ctx context.Context, u *iam.User) error {
	row := fromUser(u)
	row.UpdatedAt = s.Now().UTC()
	row.Version = u.Version + 1
	res, err := s.w(ctx).NewUpdate().Model(row).
		ExcludeColumn("id", "username", "created_at", "failed_logins", "locked_until", "last_login_at").
		Where("id = ? AND version = ?", u.ID, u.Version).Exec(ctx)
	if err != nil {
		return classify(err, "user")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.Conflict, "err.stale")
	}
	u.Version++
	return nil
}

// RecordLogin saves the login counters and TOTP step, which change outside of edits.
func (s IAM) RecordLogin(ctx context.Context, u *iam.User) error {
	_, err := s.w(ctx).NewUpdate().Model((*userRow)(nil)).
		Set("failed_logins = ?", u.FailedLogins).Set("locked_until = ?", ptrTime(u.LockedUntil)).
		Set("last_login_at = ?", ptrTime(u.LastLoginAt)).Set("totp_last_step = ?", u.TOTPLastStep).
		Where("id = ?", u.ID).Exec(ctx)
	return err
}

// SetUserRoles replaces the user's role grants by the roles with the given codes.
func (s IAM) SetUserRoles(ctx context.Context, userID int64, codes []string) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.w(ctx).NewDelete().Model((*userRoleRow)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
			return err
		}
		if len(codes) == 0 {
			return nil
		}
		var ids []int64
		if err := s.w(ctx).NewSelect().Model((*roleRow)(nil)).Column("id").Where("code IN (?)", bun.In(codes)).Scan(ctx, &ids); err != nil {
			return err
		}
		if len(ids) != len(codes) {
			return errs.E(errs.Invalid, "err.role.unknown", errs.Field("roles", "err.role.unknown"))
		}
		rows := make([]userRoleRow, len(ids))
		for i, id := range ids {
			rows[i] = userRoleRow{UserID: userID, RoleID: id}
		}
		_, err := s.w(ctx).NewInsert().Model(&rows).Exec(ctx)
		return err
	})
}

// rolesOf returns the role codes of each user, sorted.
func (s IAM) rolesOf(ctx context.Context, userIDs []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		UserID int64
		Code   string
	}
	err := s.r(ctx).NewSelect().TableExpr("user_roles AS ur").ColumnExpr("ur.user_id, r.code").
		Join("JOIN roles AS r ON r.id = ur.role_id").Where("ur.user_id IN (?)", bun.In(userIDs)).
		OrderExpr("r.code").Scan(ctx, &rows)
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r.Code)
	}
	return out, err
}

// PasswordHistory returns the last n password hashes of a user, newest first.
func (s IAM) PasswordHistory(ctx context.Context, userID int64, n int) ([]string, error) {
	var hashes []string
	if n <= 0 {
		return nil, nil
	}
	err := s.r(ctx).NewSelect().Table("password_history").Column("hash").Where("user_id = ?", userID).
		OrderExpr("id DESC").Limit(int64(n)).Scan(ctx, &hashes)
	return hashes, err
}

// AddPasswordHistory remembers a password hash.
func (s IAM) AddPasswordHistory(ctx context.Context, userID int64, hash string, at time.Time) error {
	row := &passwordHistoryRow{UserID: userID, Hash: hash, CreatedAt: at.UTC()}
	_, err := s.w(ctx).NewInsert().Model(row).Exec(ctx)
	return err
}

// escapeLike escapes LIKE wildcards in user input.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// likePrefix matches a materialised path and its subtree; paths hold only digits and slashes.
func likePrefix(path string) string { return path + "%" }
