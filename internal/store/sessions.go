package store

import (
	"context"
	"time"

	"opsdesk/internal/iam"
)

// CreateSession stores a new session.
func (s IAM) CreateSession(ctx context.Context, x *iam.Session) error {
	row := &sessionRow{ID: x.ID, UserID: x.UserID, CreatedAt: x.CreatedAt.UTC(), LastSeenAt: x.LastSeenAt.UTC(),
		ExpiresAt: x.ExpiresAt.UTC(), MFAPending: x.MFAPending, IP: x.IP, UserAgent: x.UserAgent}
	_, err := s.w(ctx).NewInsert().Model(row).Exec(ctx)
	return err
}

// Session loads a session by the hash of its cookie.
func (s IAM) Session(ctx context.Context, id string) (*iam.Session, error) {
	var r sessionRow
	if err := s.r(ctx).NewSelect().Model(&r).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, classify(err, "session")
	}
	return &iam.Session{ID: r.ID, UserID: r.UserID, CreatedAt: r.CreatedAt.UTC(), LastSeenAt: r.LastSeenAt.UTC(),
		ExpiresAt: r.ExpiresAt.UTC(), MFAPending: r.MFAPending, IP: r.IP, UserAgent: r.UserAgent}, nil
}

// TouchSession records activity for the idle time-out.
func (s IAM) TouchSession(ctx context.Context, id string, at time.Time) error {
	_, err := s.w(ctx).NewUpdate().Model((*sessionRow)(nil)).Set("last_seen_at = ?", at.UTC()).Where("id = ?", id).Exec(ctx)
	return err
}

// CompleteMFA marks the second factor as passed.
func (s IAM) CompleteMFA(ctx context.Context, id string) error {
	_, err := s.w(ctx).NewUpdate().Model((*sessionRow)(nil)).Set("mfa_pending = ?", false).Where("id = ?", id).Exec(ctx)
	return err
}

// DeleteSession ends one session.
func (s IAM) DeleteSession(ctx context.Context, id string) error {
	_, err := s.w(ctx).NewDelete().Model((*sessionRow)(nil)).Where("id = ?", id).Exec(ctx)
	return err
}

// DeleteUserSessions ends every session of a user.
func (s IAM) DeleteUserSessions(ctx context.Context, userID int64) error {
	_, err := s.w(ctx).NewDelete().Model((*sessionRow)(nil)).Where("user_id = ?", userID).Exec(ctx)
	return err
}

// DeleteUserSessionsExcept ends every session of a user but keep (the one in use; "" keeps none).
func (s IAM) DeleteUserSessionsExcept(ctx context.Context, userID int64, keep string) error {
	_, err := s.w(ctx).NewDelete().Model((*sessionRow)(nil)).Where("user_id = ? AND id <> ?", userID, keep).Exec(ctx)
	return err
}

// DeleteExpiredSessions removes sessions past their absolute time-out; a background job calls it.
func (s IAM) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.w(ctx).NewDelete().Model((*sessionRow)(nil)).Where("expires_at < ?", now.UTC()).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
