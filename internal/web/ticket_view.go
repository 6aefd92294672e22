package web

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
	"opsdesk/internal/ticket"
)

// ticketLookup resolves the ids a ticket screen shows (people, groups, categories) to names, once per
// request. People the actor may not read (a vendor engineer holds no user.read) show as "#id".
type ticketLookup struct {
	language string
	people   map[int64]string
	Groups   []*iam.Group
	Cats     []*ticket.Category
	byCat    map[int64]*ticket.Category
	ctx      context.Context
	iam      *iam.Service
	tier     func(int) string // the tier's name in the page language
	auto     string           // " (least-loaded member)" in the page language
	tr       func(key string) string
}

func (h *Handler) lookup(ctx context.Context, lang string) (*ticketLookup, error) {
	l := &ticketLookup{language: lang, people: map[int64]string{}, byCat: map[int64]*ticket.Category{}, ctx: ctx, iam: h.d.IAM,
		tier: func(n int) string { return h.d.I18n.T(lang, fmt.Sprintf("web.tier.%d", n)) },
		auto: h.d.I18n.T(lang, "web.ticket.assign_auto"), tr: func(k string) string { return h.d.I18n.T(lang, k) }}
	groups, err := h.d.IAM.Groups(ctx)
	if err != nil && errs.KindOf(err) != errs.Forbidden {
		return nil, err
	}
	l.Groups = groups
	cats, err := h.d.Tickets.Categories(ctx)
	if err != nil {
		return nil, err
	}
	l.Cats = cats
	for _, c := range cats {
		l.byCat[c.ID] = c
	}
	return l, nil
}

// Person is the display name of a user id, "" for 0.
func (l *ticketLookup) Person(id int64) string {
	if id == 0 {
		return ""
	}
	if n, ok := l.people[id]; ok {
		return n
	}
	n := "#" + strconv.FormatInt(id, 10)
	if l.iam != nil {
		if u, err := l.iam.User(l.ctx, id); err == nil {
			n = u.Name
		}
	}
	l.people[id] = n
	return n
}

// Group returns a support group by id, nil when unknown or unreadable.
func (l *ticketLookup) Group(id int64) *iam.Group {
	for _, g := range l.Groups {
		if g.ID == id {
			return g
		}
	}
	return nil
}

// GroupName is the name of a group id, "#id" when it cannot be read.
func (l *ticketLookup) GroupName(id int64) string {
	if id == 0 {
		return ""
	}
	if g := l.Group(id); g != nil {
		return g.Name
	}
	return "#" + strconv.FormatInt(id, 10)
}

// Category is the label of a category id as "parent › child".
func (l *ticketLookup) Category(id int64) string {
	c := l.byCat[id]
	if c == nil {
		return ""
	}
	if p := l.byCat[c.ParentID]; p != nil {
		return p.Label(l.language) + " › " + c.Label(l.language)
	}
	return c.Label(l.language)
}

// catOption is one entry of a category select, children indented under their parent.
type catOption struct {
	ID    int64
	Label string
	Child bool
}

// CatOptions lists the active categories, parents before their children.
func (l *ticketLookup) CatOptions() []catOption {
	var out []catOption
	for _, c := range l.Cats {
		if c.Active {
			out = append(out, catOption{ID: c.ID, Label: c.Label(l.language), Child: c.ParentID != 0})
		}
	}
	return out
}

// targetGroup is a support group with the choices of an assign select: the group itself (its
// least-loaded member takes the ticket) and each member.
type targetGroup struct {
	Name    string
	Options []targetOption
}

type targetOption struct{ Value, Label string }

// Targets lists the assign choices, one option group per support group. Values are "group:user".
func (l *ticketLookup) Targets() []targetGroup {
	var out []targetGroup
	for _, g := range l.Groups {
		tg := targetGroup{Name: g.Name + " · " + l.tier(int(g.Tier))}
		tg.Options = append(tg.Options, targetOption{Value: fmt.Sprintf("%d:0", g.ID), Label: g.Name + l.auto})
		for _, m := range g.MemberIDs {
			tg.Options = append(tg.Options, targetOption{Value: fmt.Sprintf("%d:%d", g.ID, m), Label: g.Name + " › " + l.Person(m)})
		}
		out = append(out, tg)
	}
	return out
}

// parseTarget reads an assign select's "group:user" value.
func parseTarget(v string) (group, user int64, ok bool) {
	gs, us, found := strings.Cut(v, ":")
	g, err1 := strconv.ParseInt(gs, 10, 64)
	u, err2 := strconv.ParseInt(us, 10, 64)
	if !found || err1 != nil || err2 != nil || g <= 0 || u < 0 {
		return 0, 0, false
	}
	return g, u, true
}

// myGroups are the ids of the groups the user is a member of.
func (l *ticketLookup) myGroups(userID int64) []int64 {
	var out []int64
	for _, g := range l.Groups {
		for _, m := range g.MemberIDs {
			if m == userID {
				out = append(out, g.ID)
				break
			}
		}
	}
	return out
}

// openStatuses are the statuses in which work is still owed.
var openStatuses = []ticket.Status{ticket.New, ticket.Assigned, ticket.InProgress, ticket.Pending}

// encodeCursor and decodeCursor keep the keyset position in the "more" link.
func encodeCursor(c *ticket.Cursor) string {
	if c == nil {
		return ""
	}
	var due int64
	if !c.SLADue.IsZero() {
		due = c.SLADue.UnixNano()
	}
	return fmt.Sprintf("%d_%d_%d_%d_%d", int(c.Priority), c.CreatedAt.UnixNano(), c.UpdatedAt.UnixNano(), c.ID, due)
}

func decodeCursor(s string) *ticket.Cursor {
	var p, c, u, id, due int64
	if n, err := fmt.Sscanf(s, "%d_%d_%d_%d_%d", &p, &c, &u, &id, &due); err != nil || n != 5 || id <= 0 {
		return nil
	}
	out := &ticket.Cursor{Priority: ticket.Priority(p), CreatedAt: unixNano(c), UpdatedAt: unixNano(u), ID: id}
	if due != 0 {
		out.SLADue = unixNano(due)
	}
	return out
}

func unixNano(n int64) time.Time { return time.Unix(0, n) }

// ticketURL is the page of a ticket, with an optional fragment.
func ticketURL(id int64, frag string) string {
	u := "/tickets/" + strconv.FormatInt(id, 10)
	if frag != "" {
		u += "#" + url.PathEscape(frag)
	}
	return u
}
