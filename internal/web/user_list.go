package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"opsdesk/internal/iam"
)

// usersPerPage is the page size of the user list.
const usersPerPage = 50

// usersPage lists users with search and filters. The table is a partial (user/_table.tmpl) that htmx
// replaces as the filters change.
type usersPage struct {
	basePage
	Users     []*iam.User
	Total     int
	Filter    userFilter
	Page      int
	Pages     int
	PrevURL   string
	NextURL   string
	Orgs      []orgRow
	Roles     []roleOption
	RoleNames map[string]string
	CanCreate bool
	Now       time.Time
}

// userFilter is the query of the user list, kept in the URL so that a search can be bookmarked.
type userFilter struct {
	Q        string
	Org      int64
	Role     string
	Disabled string // "", "0" (active) or "1" (disabled)
}

func readUserFilter(r *http.Request) userFilter {
	q := r.URL.Query()
	f := userFilter{Q: strings.TrimSpace(q.Get("q")), Role: q.Get("role"), Disabled: q.Get("disabled")}
	f.Org, _ = strconv.ParseInt(q.Get("org"), 10, 64)
	if f.Disabled != "0" && f.Disabled != "1" {
		f.Disabled = ""
	}
	return f
}

// query is the filter as URL query for page links.
func (f userFilter) query(page int) string {
	v := url.Values{}
	if f.Q != "" {
		v.Set("q", f.Q)
	}
	if f.Org > 0 {
		v.Set("org", strconv.FormatInt(f.Org, 10))
	}
	if f.Role != "" {
		v.Set("role", f.Role)
	}
	if f.Disabled != "" {
		v.Set("disabled", f.Disabled)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/admin/users"
	}
	return "/admin/users?" + v.Encode()
}

// userList renders the user list, or only its table for an htmx filter request.
func (h *Handler) userList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f := readUserFilter(r)
	page := max(queryInt(r, "page", 1), 1)
	uf := iam.UserFilter{Query: f.Q, OrgUnitID: f.Org, Role: f.Role, Limit: usersPerPage, Offset: (page - 1) * usersPerPage}
	if f.Disabled != "" {
		d := f.Disabled == "1"
		uf.Disabled = &d
	}
	users, total, err := h.d.IAM.Users(ctx, uf)
	if err != nil {
		return err
	}
	p := &usersPage{basePage: h.base(r, "web.users.title"), Users: users, Total: total, Filter: f, Page: page,
		Pages: max(1, (total+usersPerPage-1)/usersPerPage), Now: time.Now()}
	if page > 1 {
		p.PrevURL = f.query(page - 1)
	}
	if page < p.Pages {
		p.NextURL = f.query(page + 1)
	}
	if p.Roles, err = h.roleOptions(r, nil); err != nil {
		return err
	}
	p.RoleNames = map[string]string{}
	for _, o := range p.Roles {
		p.RoleNames[o.Code] = o.Name
	}
	if isHTMX(r) && r.Header.Get("HX-Target") == "user-table" {
		h.fragment(w, r, http.StatusOK, "user/list", "user_table", p)
		return nil
	}
	p.CanCreate = p.Can(iam.PermUserManage)
	if p.Can(iam.PermOrgRead) {
		units, err := h.d.IAM.OrgUnits(ctx)
		if err != nil {
			return err
		}
		p.Orgs = orgTree(units)
	}
	h.render(w, r, http.StatusOK, "user/list", p)
	return nil
}
