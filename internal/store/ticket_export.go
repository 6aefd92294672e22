package store

import (
	"context"

	"github.com/uptrace/bun"

	"opsdesk/internal/ticket"
)

var _ ticket.Namer = Directory{}

// UserNames returns the names of the users with the given ids, in one query; unknown ids are absent.
func (d Directory) UserNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	return d.names(ctx, "users", ids)
}

// GroupNames returns the names of the support groups with the given ids, in one query.
func (d Directory) GroupNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	return d.names(ctx, "support_groups", ids)
}

func (d Directory) names(ctx context.Context, table string, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
	}
	err := d.r(ctx).NewSelect().Table(table).Column("id", "name").Where("id IN (?)", bun.In(ids)).Scan(ctx, &rows)
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, err
}
