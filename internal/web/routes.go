package web

import (
	"net/http"

	"opsdesk/internal/iam"
	"opsdesk/internal/sla"
	"opsdesk/internal/ticket"
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
	upload     bool     // takes a file: the body may be as large as an attachment
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
	// The agent workspace and ticket pages (工单): staff who work tickets; requesters use the portal.
	ticketWork := need(iam.PermTicketWork, iam.PermTicketWorkAssigned, iam.PermTicketManage)
	ticketStaff := need(iam.PermTicketWork, iam.PermTicketWorkAssigned, iam.PermTicketManage, iam.PermTicketIntake)
	return append([]route{
		{"GET /static/{hash}/{name}", h.staticFile, public},
		{"GET /login", h.loginShow, public},
		{"POST /login", h.loginSubmit, public},
		{"GET /login/totp", h.loginTOTPShow, access{mfaPending: true}},
		{"POST /login/totp", h.loginTOTPSubmit, access{mfaPending: true}},
		{"POST /logout", h.logout, public},
		{"POST /lang", h.langSwitch, public},
		{"GET /setup", h.setupShow, public},
		{"POST /setup", h.setupSubmit, public},
		// The one-time satisfaction survey link stands in for a login (see ticket.SurveyTicket).
		{"GET /survey/{token}", h.surveyShow, public},
		{"POST /survey/{token}", h.surveySubmit, public},
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

		// The requester portal (自助服务门户): one's own tickets only.
		{"GET /my/tickets", h.portalList, need(ticket.PermSubmit)},
		{"GET /my/tickets/new", h.portalNew, need(ticket.PermSubmit)},
		{"POST /my/tickets", h.portalCreate, need(ticket.PermSubmit)},
		{"GET /my/tickets/{id}", h.portalShow, need(ticket.PermSubmit)},
		{"POST /my/tickets/{id}/reply", h.portalReply, need(ticket.PermSubmit)},
		{"POST /my/tickets/{id}/attachments", h.portalAttach, uploads(need(ticket.PermSubmit))},
		{"GET /my/tickets/{id}/attachments/{aid}", h.portalAttachment, need(ticket.PermSubmit)},
		{"POST /my/tickets/{id}/confirm", h.portalConfirm, need(ticket.PermSubmit)},
		{"POST /my/tickets/{id}/reject", h.portalReject, need(ticket.PermSubmit)},
		{"POST /my/tickets/{id}/rate", h.portalRate, need(ticket.PermSubmit)},
		{"POST /my/tickets/{id}/urge", h.portalUrge, need(ticket.PermSubmit)},
		{"POST /my/tickets/{id}/cancel", h.portalCancel, need(ticket.PermSubmit)},
		{"POST /my/tickets/{id}/reopen", h.portalReopen, need(ticket.PermSubmit)},

		// Service-desk configuration (工单配置) by the system administrator.
		{"GET /admin/ticket-categories", h.categoryList, need(ticket.PermConfigure)},
		{"POST /admin/ticket-categories", h.categoryCreate, need(ticket.PermConfigure)},
		{"GET /admin/ticket-categories/{id}/edit", h.categoryEdit, need(ticket.PermConfigure)},
		{"POST /admin/ticket-categories/{id}", h.categoryUpdate, need(ticket.PermConfigure)},
		{"POST /admin/ticket-categories/{id}/toggle", h.categoryToggle, need(ticket.PermConfigure)},
		{"GET /admin/dispatch-rules", h.ruleList, need(ticket.PermConfigure)},
		{"GET /admin/dispatch-rules/new", h.ruleNew, need(ticket.PermConfigure)},
		{"POST /admin/dispatch-rules", h.ruleCreate, need(ticket.PermConfigure)},
		{"GET /admin/dispatch-rules/{id}/edit", h.ruleEdit, need(ticket.PermConfigure)},
		{"POST /admin/dispatch-rules/{id}", h.ruleUpdate, need(ticket.PermConfigure)},
		{"POST /admin/dispatch-rules/{id}/delete", h.ruleDelete, need(ticket.PermConfigure)},
		{"GET /admin/ticket-settings", h.ticketSettingsEdit, need(ticket.PermConfigure)},
		{"POST /admin/ticket-settings", h.ticketSettingsUpdate, need(ticket.PermConfigure)},

		// Business calendars (工作日历) and SLA policies (服务级别策略).
		{"GET /admin/sla", h.slaIndex, need(sla.PermManage)},
		{"GET /admin/sla/calendars", h.slaCalendarList, need(sla.PermManage)},
		{"GET /admin/sla/calendars/new", h.slaCalendarNew, need(sla.PermManage)},
		{"POST /admin/sla/calendars", h.slaCalendarCreate, need(sla.PermManage)},
		{"GET /admin/sla/calendars/{name}", h.slaCalendarShow, need(sla.PermManage)},
		{"GET /admin/sla/calendars/{name}/edit", h.slaCalendarEdit, need(sla.PermManage)},
		{"POST /admin/sla/calendars/{name}", h.slaCalendarUpdate, need(sla.PermManage)},
		{"POST /admin/sla/calendars/{name}/delete", h.slaCalendarDelete, need(sla.PermManage)},
		{"POST /admin/sla/calendars/{name}/days", h.slaDaySet, need(sla.PermManage)},
		{"POST /admin/sla/calendars/{name}/days/{date}/delete", h.slaDayClear, need(sla.PermManage)},
		{"POST /admin/sla/calendars/{name}/import", h.slaCalendarImport, need(sla.PermManage)},
		{"GET /admin/sla/policies", h.slaPolicyList, need(sla.PermManage)},
		{"GET /admin/sla/policies/new", h.slaPolicyNew, need(sla.PermManage)},
		{"POST /admin/sla/policies", h.slaPolicyCreate, need(sla.PermManage)},
		{"GET /admin/sla/policies/{id}/edit", h.slaPolicyEdit, need(sla.PermManage)},
		{"POST /admin/sla/policies/{id}", h.slaPolicyUpdate, need(sla.PermManage)},
		{"POST /admin/sla/policies/{id}/delete", h.slaPolicyDelete, need(sla.PermManage)},

		{"GET /tickets", h.ticketList, ticketStaff},
		// The workspace's filter downloaded as the 技术支持记录表 (ticket.Service.Export's permission).
		{"GET /tickets/export.csv", h.queueExport("csv"), need(iam.PermTicketWork, iam.PermTicketManage)},
		{"GET /tickets/export.xlsx", h.queueExport("xlsx"), need(iam.PermTicketWork, iam.PermTicketManage)},
		{"POST /tickets/bulk", h.ticketBulk, need(iam.PermTicketWork, iam.PermTicketManage)},
		{"GET /tickets/new", h.intakeNew, need(iam.PermTicketIntake)},
		{"GET /tickets/new/callers", h.intakeCallers, need(iam.PermTicketIntake)},
		{"POST /tickets", h.intakeCreate, need(iam.PermTicketIntake)},
		{"GET /tickets/{id}", h.ticketShow, ticketStaff},
		{"POST /tickets/{id}", h.ticketAction("edit", h.ticketUpdate), ticketWork},
		{"POST /tickets/{id}/comments", h.ticketAction("comment", h.ticketComment), ticketWork},
		{"POST /tickets/{id}/attachments", h.ticketAction("attach", h.ticketAttach), uploads(ticketWork)},
		{"GET /tickets/{id}/attachments/{aid}", h.ticketAttachment, ticketStaff},
		{"POST /tickets/{id}/take", h.ticketAction("take", h.ticketTake), ticketWork},
		{"POST /tickets/{id}/start", h.ticketAction("start", h.ticketStart), ticketWork},
		{"POST /tickets/{id}/wait", h.ticketAction("wait", h.ticketWait), ticketWork},
		{"POST /tickets/{id}/resolve", h.ticketAction("resolve", h.ticketResolve), ticketWork},
		{"POST /tickets/{id}/cancel", h.ticketAction("cancel", h.ticketCancel), ticketWork},
		{"POST /tickets/{id}/assign", h.ticketAction("assign", h.ticketAssign), ticketWork},
		{"POST /tickets/{id}/escalate", h.ticketAction("escalate", h.ticketEscalate), ticketWork},
		{"POST /tickets/{id}/report", h.ticketAction("report", h.ticketReport), ticketWork},
		{"POST /tickets/{id}/urge", h.ticketAction("urge", h.ticketUrge), ticketWork},
		{"POST /tickets/{id}/watch", h.ticketAction("watch", h.ticketWatch), ticketWork},
		{"GET /tickets/{id}/watchers/candidates", h.ticketWatcherCandidates, ticketWork},
		{"POST /tickets/{id}/watchers", h.ticketWatcherAdd, ticketWork},
		{"POST /tickets/{id}/watchers/remove", h.ticketWatcherRemove, ticketWork},
		{"POST /tickets/{id}/reopen", h.ticketAction("reopen", h.ticketReopen), ticketWork},
		{"POST /tickets/{id}/survey-link", h.ticketSurveyLink, ticketWork},
		// Saved views (保存的视图) of the workspace: whoever has the workspace.
		{"GET /tickets/views", h.queueViewList, ticketStaff},
		{"POST /tickets/views", h.queueViewCreate, ticketStaff},
		{"POST /tickets/views/{id}/rename", h.queueViewRename, ticketStaff},
		{"POST /tickets/views/{id}/delete", h.queueViewDelete, ticketStaff},

		// On-site service (现场服务) and its printable service report (维修服务报告), confirmed by the
		// requester in the portal.
		{"POST /tickets/{id}/service-mode", h.ticketAction("service_mode", h.ticketServiceMode), ticketWork},
		{"POST /tickets/{id}/visits", h.ticketAction("visit", h.ticketVisitPlan), ticketWork},
		{"POST /tickets/{id}/visits/{vid}/arrive", h.ticketAction("arrive", h.ticketVisitArrive), ticketWork},
		{"POST /tickets/{id}/visits/{vid}/complete", h.ticketAction("complete", h.ticketVisitComplete), ticketWork},
		{"GET /tickets/{id}/report", h.ticketServiceReport, ticketStaff},
		{"GET /my/tickets/{id}/report", h.portalServiceReport, need(ticket.PermSubmit)},
		{"POST /my/tickets/{id}/report/confirm", h.portalServiceReportConfirm, need(ticket.PermSubmit)},
		// Quality inspection (质检) by supervisors; the checklist by the service-desk administrator.
		{"GET /inspections", h.inspectionList, need(ticket.PermManage)},
		{"POST /inspections/sample", h.inspectionSample, need(ticket.PermManage)},
		{"GET /inspections/{id}", h.inspectionShow, need(ticket.PermManage)},
		{"POST /inspections/{id}/score", h.inspectionScore, need(ticket.PermManage)},
		{"GET /admin/inspection-checklist", h.inspectionChecklist, need(ticket.PermConfigure)},
		{"POST /admin/inspection-checklist", h.inspectionChecklistSave, need(ticket.PermConfigure)},
		// The service-desk report (报表): supervisors every line of their area; staff who work tickets
		// and vendor engineers their own lines (ticket.CanReport).
		{"GET /reports/service-desk", h.reportServiceDesk, ticketWork},
		{"GET /reports/service-desk.csv", h.reportServiceDeskCSV, ticketWork},
		{"GET /reports/sla", h.reportSLA, need(iam.PermTicketManage)},
		{"GET /reports/sla.csv", h.reportSLACSV, need(iam.PermTicketManage)},

		{"GET /audit", h.auditList, need(iam.PermAuditRead)},
		{"GET /audit/{seq}", h.auditShow, need(iam.PermAuditRead)},
		{"GET /audit/export.csv", h.auditExport("csv"), need(iam.PermAuditExport)},
		{"GET /audit/export.xlsx", h.auditExport("xlsx"), need(iam.PermAuditExport)},
	}, h.notifyRoutes()...)
}
