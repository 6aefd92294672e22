package loadtest

import (
	"math/rand/v2"
	"slices"

	"opsdesk/internal/iam"
)

// Person is someone who raises or works tickets.
type Person struct {
	ID      int64
	Name    string
	Phone   string
	OrgPath string
	OrgName string
}

// Group is a support group with the people who take its tickets.
type Group struct {
	ID      int64
	Code    string
	Tier    int
	Members []int64
}

// Directory is who the generated tickets are about: requesters, first-contact agents and support
// groups, keyed by group code. An empty Directory makes tickets from external contacts with no group.
type Directory struct {
	Requesters []Person
	Agents     []Person
	Groups     map[string]Group
	RootPath   string // organisation path of external contacts' tickets
}

// DirectoryFrom sorts an organisation's users into requesters (ordinary users and managers) and
// agents, and keeps the groups that have members. Disabled users raise nothing.
func DirectoryFrom(users []*iam.User, groups []*iam.Group) Directory {
	d := Directory{Groups: map[string]Group{}, RootPath: "/"}
	for _, u := range users {
		if u.Disabled {
			continue
		}
		p := Person{ID: u.ID, Name: u.Name, Phone: u.Phone, OrgPath: u.OrgPath, OrgName: u.OrgName}
		switch {
		case slices.Contains(u.Roles, iam.RoleAgent):
			d.Agents = append(d.Agents, p)
		case slices.Contains(u.Roles, iam.RoleUser), slices.Contains(u.Roles, iam.RoleManager):
			d.Requesters = append(d.Requesters, p)
		}
		if d.RootPath == "/" && u.OrgPath != "" {
			d.RootPath = rootOf(u.OrgPath)
		}
	}
	for _, g := range groups {
		if len(g.MemberIDs) > 0 {
			d.Groups[g.Code] = Group{ID: g.ID, Code: g.Code, Tier: int(g.Tier), Members: g.MemberIDs}
		}
	}
	return d
}

// rootOf returns the first segment of a materialised path: /1/4/9/ → /1/.
func rootOf(path string) string {
	for i := 1; i < len(path); i++ {
		if path[i] == '/' {
			return path[:i+1]
		}
	}
	return path
}

func (d Directory) requester(r *rand.Rand) (Person, bool) {
	if len(d.Requesters) == 0 {
		return Person{}, false
	}
	return d.Requesters[r.IntN(len(d.Requesters))], true
}

func (d Directory) agent(r *rand.Rand) (Person, bool) {
	if len(d.Agents) == 0 {
		return Person{}, false
	}
	return d.Agents[r.IntN(len(d.Agents))], true
}

// frontDesk is the code of the first-line group.
func (d Directory) frontDesk() string { return "service-desk" }

// codes lists the group codes in a fixed order, so that the same seed gives the same tickets.
func (d Directory) codes() []string {
	out := make([]string, 0, len(d.Groups))
	for c := range d.Groups {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// handler picks the group that worked a ticket (the problem's usual group when the organisation
// has it, else any) and, when assign is set, one of its members.
func (d Directory) handler(r *rand.Rand, code string, assign bool) (groupID, assigneeID int64) {
	g, ok := d.Groups[code]
	if !ok || r.IntN(20) == 0 { // escalations and misroutes end up elsewhere
		codes := d.codes()
		if len(codes) == 0 {
			return 0, 0
		}
		g = d.Groups[codes[r.IntN(len(codes))]]
	}
	if assign && len(g.Members) > 0 {
		assigneeID = g.Members[r.IntN(len(g.Members))]
	}
	return g.ID, assigneeID
}
