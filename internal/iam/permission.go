// Package iam manages identity and access (身份与权限): the organisation tree, users, support groups,
// roles made of permissions, passwords, second factors, sessions and API tokens, and the separation of
// the three administrator duties (三员分立).
package iam

import (
	"slices"

	"opsdesk/internal/audit"
	"opsdesk/internal/notify"
	"opsdesk/internal/sla"
	"opsdesk/internal/ticket"
)

// Permissions. A permission names one thing an actor may do; roles bundle them.
const (
	PermOrgRead         = "org.read"
	PermOrgManage       = "org.manage"
	PermUserRead        = "user.read"
	PermUserManage      = "user.manage"        // create, edit, disable, reset passwords of ordinary users
	PermUserManageAdmin = "user.manage_admins" // the same for holders of the three administrator roles
	PermGroupRead       = "group.read"
	PermGroupManage     = "group.manage"
	PermRoleRead        = "role.read"
	PermRoleManage      = "role.manage" // define custom roles and their permissions
	PermRoleAssign      = "role.assign" // grant any role, administrator roles included
	PermSecurityPolicy  = "security.policy"
	PermAuditRead       = audit.PermRead
	PermAuditExport     = audit.PermExport
	PermSystemMetrics   = "system.metrics"
	PermSLAManage       = sla.PermManage       // business calendars, holiday imports
	PermNotifyConfigure = notify.PermConfigure // notification channels and the outbox

	PermTicketSubmit       = ticket.PermSubmit
	PermTicketIntake       = ticket.PermIntake
	PermTicketWork         = ticket.PermWork
	PermTicketWorkAssigned = ticket.PermWorkAssigned
	PermTicketAssign       = ticket.PermAssign
	PermTicketManage       = ticket.PermManage
	PermTicketConfigure    = ticket.PermConfigure
)

// AllPermissions lists every permission in display order.
var AllPermissions = []string{
	PermOrgRead, PermOrgManage, PermUserRead, PermUserManage, PermUserManageAdmin,
	PermGroupRead, PermGroupManage, PermRoleRead, PermRoleManage, PermRoleAssign,
	PermSecurityPolicy, PermAuditRead, PermAuditExport, PermSystemMetrics, PermSLAManage,
	PermTicketSubmit, PermTicketIntake, PermTicketWork, PermTicketWorkAssigned, PermTicketAssign, PermTicketManage,
	PermTicketConfigure, PermNotifyConfigure,
}

// IsPermission reports whether p is a known permission.
func IsPermission(p string) bool { return slices.Contains(AllPermissions, p) }

// Built-in role codes.
const (
	RoleSysAdmin = "sysadmin" // 系统管理员
	RoleSecAdmin = "secadmin" // 安全管理员
	RoleAuditor  = "auditor"  // 安全审计员
	RoleAgent    = "agent"    // 服务台坐席（一线）
	RoleEngineer = "engineer" // 运维工程师（二线）
	RoleManager  = "manager"  // 部门负责人
	RoleUser     = "requester"
	RoleVendor   = "vendor" // 三线厂商工程师
)

// AdminRoles are the three administrator roles of 三员分立: one account may hold at most one of them.
var AdminRoles = []string{RoleSysAdmin, RoleSecAdmin, RoleAuditor}

// IsAdminRole reports whether code is one of the three administrator roles.
func IsAdminRole(code string) bool { return slices.Contains(AdminRoles, code) }

// BuiltinRole is a role shipped with opsdesk; its permissions are kept in step with this table at start-up.
type BuiltinRole struct {
	Code, Name, NameEN, Description string
	Perms                           []string
}

// BuiltinRoles defines the shipped roles. The three administrator roles share no permission, the
// auditor changes nothing, and the system administrator cannot read the audit log.
var BuiltinRoles = []BuiltinRole{
	{RoleSysAdmin, "系统管理员", "System administrator", "管理组织机构、用户账号、支持组和系统运行",
		[]string{PermOrgRead, PermOrgManage, PermUserRead, PermUserManage, PermGroupRead, PermGroupManage, PermRoleRead, PermSystemMetrics, PermSLAManage,
			PermTicketConfigure, PermNotifyConfigure}},
	{RoleSecAdmin, "安全管理员", "Security administrator", "管理角色授权、安全策略和管理员账号",
		[]string{PermOrgRead, PermUserRead, PermUserManageAdmin, PermGroupRead, PermRoleRead, PermRoleManage, PermRoleAssign, PermSecurityPolicy}},
	{RoleAuditor, "安全审计员", "Auditor", "查询、导出和核验审计日志，不能修改任何数据",
		[]string{PermOrgRead, PermUserRead, PermGroupRead, PermRoleRead, PermAuditRead, PermAuditExport}},
	{RoleAgent, "服务台坐席", "Service-desk agent", "一线：受理、登记、分派请求（首问负责）",
		[]string{PermOrgRead, PermUserRead, PermGroupRead, PermTicketSubmit, PermTicketIntake, PermTicketWork, PermTicketAssign}},
	{RoleEngineer, "运维工程师", "Engineer", "二线：处理分派的工单",
		[]string{PermOrgRead, PermUserRead, PermGroupRead, PermTicketSubmit, PermTicketWork}},
	{RoleManager, "部门负责人", "Manager", "审批、督办、查看报表",
		[]string{PermOrgRead, PermUserRead, PermGroupRead, PermSLAManage, PermTicketSubmit, PermTicketWork, PermTicketAssign, PermTicketManage}},
	{RoleUser, "报障用户", "Requester", "提交和跟踪自己的请求", []string{PermTicketSubmit}},
	{RoleVendor, "厂商工程师", "Vendor engineer", "三线技术支持单位：只处理派给本单位的工单", []string{PermTicketWorkAssigned}},
}

// Builtin returns the built-in role with the given code.
func Builtin(code string) (BuiltinRole, bool) {
	for _, r := range BuiltinRoles {
		if r.Code == code {
			return r, true
		}
	}
	return BuiltinRole{}, false
}
