package web

import (
	"net/http"

	"opsdesk/internal/iam"
)

// handlerFunc is a UI handler: it renders a page or returns an error for wrap to render.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// access says who may reach a route and in which session states.
type access struct {
	public     bool     // no login needed
	anyOf      []string // permissions, any of which admits; empty: every signed-in user
	mfaPending bool     // reachable while the second factor is still pending
	pwChange   bool     // reachable while the user must change the password
	enrol      bool     // reachable while the policy makes the user enrol a second factor
}

type route struct {
	pattern string
	fn      handlerFunc
	access  access
}

var (
	public   = access{public: true}
	loggedIn = access{}
)

func need(perms ...string) access { return access{anyOf: perms} }

// routes is the one list of UI routes. Template, handler file and route share a name:
// GET /admin/users/{id}/edit → user_edit.go → templates/user/form.tmpl.
func (h *Handler) routes() []route {
	manageUser := need(iam.PermUserManage, iam.PermUserManageAdmin)
	return []route{
		{"GET /static/{hash}/{name}", h.staticFile, public},
		{"GET /login", h.loginShow, public},
		{"POST /login", h.loginSubmit, public},
		{"GET /login/totp", h.loginTOTPShow, access{mfaPending: true}},
		{"POST /login/totp", h.loginTOTPSubmit, access{mfaPending: true}},
		{"POST /logout", h.logout, public},
		{"POST /lang", h.langSwitch, public},
		{"GET /setup", h.setupShow, public},
		{"POST /setup", h.setupSubmit, public},
		{"/", h.notFound, public},

		{"GET /{$}", h.homeShow, loggedIn},

		{"GET /profile", h.profileShow, loggedIn},
		{"GET /profile/password", h.passwordEdit, access{pwChange: true, enrol: true}},
		{"POST /profile/password", h.passwordUpdate, access{pwChange: true, enrol: true}},
		{"GET /profile/totp", h.totpShow, access{enrol: true}},
		{"POST /profile/totp/begin", h.totpBegin, access{enrol: true}},
		{"POST /profile/totp/confirm", h.totpConfirm, access{enrol: true}},
		{"POST /profile/totp/disable", h.totpDisable, loggedIn},
		{"GET /profile/tokens", h.tokenList, loggedIn},
		{"POST /profile/tokens", h.tokenCreate, loggedIn},
		{"POST /profile/tokens/{id}/revoke", h.tokenRevoke, loggedIn},

		{"GET /admin/org", h.orgList, need(iam.PermOrgRead)},
		{"POST /admin/org", h.orgCreate, need(iam.PermOrgManage)},
		{"GET /admin/org/{id}/edit", h.orgEdit, need(iam.PermOrgManage)},
		{"POST /admin/org/{id}", h.orgUpdate, need(iam.PermOrgManage)},
		{"POST /admin/org/{id}/delete", h.orgDelete, need(iam.PermOrgManage)},

		{"GET /admin/users", h.userList, need(iam.PermUserRead)},
		{"GET /admin/users/new", h.userNew, need(iam.PermUserManage)},
		{"POST /admin/users", h.userCreate, need(iam.PermUserManage)},
		{"GET /admin/users/{id}", h.userShow, need(iam.PermUserRead)},
		{"GET /admin/users/{id}/edit", h.userEdit, manageUser},
		{"POST /admin/users/{id}", h.userUpdate, manageUser},
		{"POST /admin/users/{id}/disable", h.userSetDisabled(true), manageUser},
		{"POST /admin/users/{id}/enable", h.userSetDisabled(false), manageUser},
		{"POST /admin/users/{id}/password", h.userPassword, manageUser},
		{"POST /admin/users/{id}/roles", h.userRoles, need(iam.PermRoleAssign, iam.PermUserManage)},
		{"POST /admin/users/{id}/unlock", h.userUnlock, need(iam.PermSecurityPolicy)},

		{"GET /admin/groups", h.groupList, need(iam.PermGroupRead)},
		{"GET /admin/groups/new", h.groupNew, need(iam.PermGroupManage)},
		{"POST /admin/groups", h.groupCreate, need(iam.PermGroupManage)},
		{"GET /admin/groups/{id}/edit", h.groupEdit, need(iam.PermGroupManage)},
		{"POST /admin/groups/{id}", h.groupUpdate, need(iam.PermGroupManage)},
		{"POST /admin/groups/{id}/delete", h.groupDelete, need(iam.PermGroupManage)},

		{"GET /admin/roles", h.roleList, need(iam.PermRoleRead)},
		{"GET /admin/roles/new", h.roleNew, need(iam.PermRoleManage)},
		{"POST /admin/roles", h.roleCreate, need(iam.PermRoleManage)},
		{"GET /admin/roles/{id}", h.roleShow, need(iam.PermRoleRead)},
		{"GET /admin/roles/{id}/edit", h.roleEdit, need(iam.PermRoleManage)},
		{"POST /admin/roles/{id}", h.roleUpdate, need(iam.PermRoleManage)},
		{"POST /admin/roles/{id}/delete", h.roleDelete, need(iam.PermRoleManage)},

		{"GET /admin/policy", h.policyEdit, need(iam.PermSecurityPolicy)},
		{"POST /admin/policy", h.policyUpdate, need(iam.PermSecurityPolicy)},

		{"GET /audit", h.auditList, need(iam.PermAuditRead)},
		{"GET /audit/{seq}", h.auditShow, need(iam.PermAuditRead)},
		{"GET /audit/export.csv", h.auditExport("csv"), need(iam.PermAuditExport)},
		{"GET /audit/export.xlsx", h.auditExport("xlsx"), need(iam.PermAuditExport)},
	}
}
