package store

import (
	"context"
	"time"

	"opsdesk/internal/iam"
)

func toToken(r *tokenRow) *iam.Token {
	return &iam.Token{ID: r.ID, UserID: r.UserID, Name: r.Name, Prefix: r.Prefix, Hash: r.Hash,
		CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), LastUsedAt: valTime(r.LastUsedAt), RevokedAt: valTime(r.RevokedAt)}
}

// CreateToken stores a token (its hash only) and sets its ID.
func (s IAM) CreateToken(ctx context.Context, t *iam.Token) error {
	row := &tokenRow{UserID: t.UserID, Name: t.Name, Prefix: t.Prefix, Hash: t.Hash, CreatedAt: t.CreatedAt.UTC(), ExpiresAt: t.ExpiresAt.UTC()}
	if _, err := s.w(ctx).NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return classify(err, "token")
	}
	t.ID = row.ID
	return nil
}

// TokenByHash finds a token by the hash of its secret.
func (s IAM) TokenByHash(ctx context.Context, hash string) (*iam.Token, error) {
	var r tokenRow
	if err := s.r(ctx).NewSelect().Model(&r).Where("hash = ?", hash).Scan(ctx); err != nil {
		return nil, classify(err, "token")
	}
	return toToken(&r), nil
}

// Token loads a token by id.
func (s IAM) Token(ctx context.Context, id int64) (*iam.Token, error) {
	var r tokenRow
	if err := s.r(ctx).NewSelect().Model(&r).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, classify(err, "token")
	}
	return toToken(&r), nil
}

// Tokens lists a user's tokens, newest first.
func (s IAM) Tokens(ctx context.Context, userID int64) ([]*iam.Token, error) {
	var rows []tokenRow
	if err := s.r(ctx).NewSelect().Model(&rows).Where("user_id = ?", userID).OrderExpr("id DESC").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]*iam.Token, len(rows))
	for i := range rows {
		out[i] = toToken(&rows[i])
	}
	return out, nil
}

// RevokeToken revokes one token.
func (s IAM) RevokeToken(ctx context.Context, id int64, at time.Time) error {
	_, err := s.w(ctx).NewUpdate().Model((*tokenRow)(nil)).Set("revoked_at = ?", at.UTC()).
		Where("id = ? AND revoked_at IS NULL", id).Exec(ctx)
	return err
}

// RevokeUserTokens revokes every live token of a user.
func (s IAM) RevokeUserTokens(ctx context.Context, userID int64, at time.Time) error {
	_, err := s.w(ctx).NewUpdate().Model((*tokenRow)(nil)).Set("revoked_at = ?", at.UTC()).
		Where("user_id = ? AND revoked_at IS NULL", userID).Exec(ctx)
	return err
}

// TouchToken records the last use.
func (s IAM) TouchToken(ctx context.Context, id int64, at time.Time) error {
	_, err := s.w(ctx).NewUpdate().Model((*tokenRow)(nil)).Set("last_used_at = ?", at.UTC()).Where("id = ?", id).Exec(ctx)
	return err
}
