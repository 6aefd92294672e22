package notify

import (
	"context"

	"opsdesk/internal/errs"
)

// lookups are the people, groups and preferences read for a call of NoticeAll, shared by its
// notices: they run in one transaction, so what was read stays true for all of them.
type lookups struct {
	people map[int64]*Person       // nil value: absent
	groups map[int64]*Group        // nil value: absent
	prefs  map[int64][]*Preference // by person
}

func newLookups() *lookups {
	return &lookups{people: map[int64]*Person{}, groups: map[int64]*Group{}, prefs: map[int64][]*Preference{}}
}

// loadGroups reads the groups of ids not read yet in one batch (People.Groups), so that a tick's
// notices do not ask group by group.
func (lk *lookups) loadGroups(ctx context.Context, p People, ids []int64) error {
	ids = lk.missing(ids, func(id int64) bool { _, ok := lk.groups[id]; return ok })
	if len(ids) == 0 {
		return nil
	}
	gs, err := p.Groups(ctx, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		lk.groups[id] = gs[id] // nil: absent
	}
	return nil
}

// loadPeople reads the people of ids not read yet in one batch (People.People), and the
// preferences of those who exist in another (Store.PreferencesOf).
func (lk *lookups) loadPeople(ctx context.Context, p People, st Store, ids []int64) error {
	ids = lk.missing(ids, func(id int64) bool { _, ok := lk.people[id]; return ok })
	if len(ids) == 0 {
		return nil
	}
	ps, err := p.People(ctx, ids)
	if err != nil {
		return err
	}
	var found []int64
	for _, id := range ids {
		lk.people[id] = ps[id] // nil: absent
		if ps[id] != nil && !ps[id].Disabled {
			found = append(found, id)
		}
	}
	if len(found) == 0 {
		return nil
	}
	prefs, err := st.PreferencesOf(ctx, found)
	if err != nil {
		return err
	}
	for _, id := range found {
		lk.prefs[id] = prefs[id] // nil: none stored, every event and kind on
	}
	return nil
}

// missing returns the distinct non-zero ids that known does not report.
func (lk *lookups) missing(ids []int64, known func(int64) bool) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, id := range ids {
		if id != 0 && !seen[id] && !known(id) {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// person looks a user up once per call; nil when they do not exist.
func (x *notice) person(ctx context.Context, id int64) (*Person, error) {
	if p, ok := x.people[id]; ok {
		return p, nil
	}
	p, err := x.s.People.Person(ctx, id)
	if errs.Is(err, errs.NotFound) {
		p, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	x.people[id] = p
	return p, nil
}

// group looks a support group up once per call; nil when it does not exist.
func (x *notice) group(ctx context.Context, id int64) (*Group, error) {
	if g, ok := x.groups[id]; ok {
		return g, nil
	}
	g, err := x.s.People.GroupOf(ctx, id)
	if errs.Is(err, errs.NotFound) {
		g, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	x.groups[id] = g
	return g, nil
}

// preferences reads a person's stored preferences once per call.
func (x *notice) preferences(ctx context.Context, id int64) ([]*Preference, error) {
	if ps, ok := x.prefs[id]; ok {
		return ps, nil
	}
	ps, err := x.s.Store.Preferences(ctx, id)
	if err != nil {
		return nil, err
	}
	x.prefs[id] = ps
	return ps, nil
}
