package store

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"opsdesk/internal/notify"
)

// NotifyPeople looks many people or support groups up at once over the iam tables, for a batch of
// notices (notify.People's People and Groups): the SLA engine's tick tells dozens of people of a
// hundred tickets, and a look-up each cost two queries. It reads without permission checks, as the
// adapter that uses it.
type NotifyPeople struct{ *DB }

// lookupChunk bounds the ids of one IN list.
const lookupChunk = 500

// People returns the people of ids by id: name, address, language and state. Ids of nobody are
// missing from the map.
func (s NotifyPeople) People(ctx context.Context, ids []int64) (map[int64]*notify.Person, error) {
	out := make(map[int64]*notify.Person, len(ids))
	for chunk := range slices.Chunk(distinctIDs(ids), lookupChunk) {
		var rows []userRow
		err := s.r(ctx).NewSelect().Model(&rows).Column("id", "name", "email", "locale", "disabled").
			Where("id IN (?)", bun.In(chunk)).Scan(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.ID] = &notify.Person{ID: r.ID, Name: r.Name, Email: r.Email, Locale: r.Locale, Disabled: r.Disabled}
		}
	}
	return out, nil
}

// Groups returns the support groups of ids by id: name, manager and active members (a disabled
// member is told nothing), as the app's GroupOf. Ids of no group are missing from the map.
func (s NotifyPeople) Groups(ctx context.Context, ids []int64) (map[int64]*notify.Group, error) {
	out := make(map[int64]*notify.Group, len(ids))
	for chunk := range slices.Chunk(distinctIDs(ids), lookupChunk) {
		var rows []groupRow
		err := s.r(ctx).NewSelect().Model(&rows).Column("id", "name", "manager_id").Where("id IN (?)", bun.In(chunk)).Scan(ctx)
		if err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			continue
		}
		for _, r := range rows {
			out[r.ID] = &notify.Group{ID: r.ID, Name: r.Name, ManagerID: valID(r.ManagerID)}
		}
		var members []groupMemberRow
		err = s.r(ctx).NewSelect().Model(&members).Column("m.group_id", "m.user_id").ModelTableExpr("group_members AS m").
			Join("JOIN users AS u ON u.id = m.user_id").Where("m.group_id IN (?) AND NOT u.disabled", bun.In(chunk)).
			OrderExpr("m.group_id, m.user_id").Scan(ctx)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			g := out[m.GroupID]
			g.Members = append(g.Members, m.UserID)
		}
	}
	return out, nil
}

// distinctIDs returns ids without zeros and repeats, sorted.
func distinctIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > 0 && out[0] == 0 {
		out = out[1:]
	}
	return out
}
