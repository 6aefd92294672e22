package web

import (
	"net/http"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/iam"
	"opsdesk/internal/sla"
)

// homePage is the start page: a greeting, the user's roles and quick links to what they may do.
type homePage struct {
	basePage
	RoleNames []string
	Links     []quickLink
	// SLAMissing names the calendars lacking next year's holidays (from 1 November, for sla.manage).
	SLAMissing []string
	NextYear   int
}

// quickLink is one tile on the start page.
type quickLink struct {
	Href, Label, Text string // Label and Text are message keys
}

// homeShow renders the start page.
func (h *Handler) homeShow(w http.ResponseWriter, r *http.Request) error {
	a := actor.FromContext(r.Context())
	p := &homePage{basePage: h.base(r, "web.home.title")}
	for _, code := range a.Roles {
		p.RoleNames = append(p.RoleNames, roleName(p.Lang, code, nil))
	}
	p.Links = quickLinks(a)
	if a.Can(sla.PermManage) {
		cals, err := h.d.SLA.Calendars(r.Context())
		if err != nil {
			return err
		}
		p.SLAMissing, p.NextYear = slaMissingNextYear(cals, time.Now()), time.Now().Year()+1
	}
	h.render(w, r, http.StatusOK, "home/home", p)
	return nil
}

func quickLinks(a *actor.Actor) []quickLink {
	all := []struct {
		perm string
		link quickLink
	}{
		{iam.PermUserManage, quickLink{"/admin/users/new", "web.home.link.user_new", "web.home.link.user_new_text"}},
		{iam.PermUserRead, quickLink{"/admin/users", "web.nav.users", "web.home.link.users_text"}},
		{iam.PermOrgRead, quickLink{"/admin/org", "web.nav.org", "web.home.link.org_text"}},
		{iam.PermGroupRead, quickLink{"/admin/groups", "web.nav.groups", "web.home.link.groups_text"}},
		{iam.PermRoleRead, quickLink{"/admin/roles", "web.nav.roles", "web.home.link.roles_text"}},
		{iam.PermSecurityPolicy, quickLink{"/admin/policy", "web.nav.policy", "web.home.link.policy_text"}},
		{iam.PermAuditRead, quickLink{"/audit", "web.nav.audit", "web.home.link.audit_text"}},
	}
	var out []quickLink
	for _, l := range all {
		if a.Can(l.perm) {
			out = append(out, l.link)
		}
	}
	return append(out,
		quickLink{"/profile", "web.nav.profile", "web.home.link.profile_text"},
		quickLink{"/profile/tokens", "web.tokens.title", "web.home.link.tokens_text"})
}
