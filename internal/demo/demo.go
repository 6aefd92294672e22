// Package demo loads a realistic Chinese demo organisation (演示数据) so that a newcomer can look
// around at once: a headquarters with two branches, departments, about 30 people in every role, and
// first-, second- and third-line support groups.
package demo

import (
	"context"
	"fmt"

	"opsdesk/internal/actor"
	"opsdesk/internal/iam"
)

// Password is the password of every demo account, documented in the README.
const Password = "Opsdesk@2026"

const loadedKey = "demo_loaded"

type unit struct {
	key, parent, name, code string
	kind                    iam.OrgKind
}

var units = []unit{
	{"it", "", "信息技术部", "it", iam.OrgDept},
	{"center", "it", "信息技术支持服务中心", "it-center", iam.OrgDept},
	{"office", "", "办公室", "office", iam.OrgDept},
	{"finance", "", "财务部", "finance", iam.OrgDept},
	{"hr", "", "人力资源部", "hr", iam.OrgDept},
	{"east", "", "华东分公司", "east", iam.OrgBranch},
	{"east-office", "east", "综合办公室", "east-office", iam.OrgDept},
	{"east-it", "east", "信息技术科", "east-it", iam.OrgDept},
	{"south", "", "华南分公司", "south", iam.OrgBranch},
	{"south-office", "south", "综合办公室", "south-office", iam.OrgDept},
	{"south-it", "south", "信息技术科", "south-it", iam.OrgDept},
}

type person struct {
	username, name, unit, post, role string
}

var people = []person{
	{"zhangwei", "张伟", "center", "服务台坐席", iam.RoleAgent},
	{"liuyang", "刘洋", "center", "服务台坐席", iam.RoleAgent},
	{"chenjing", "陈静", "center", "服务台坐席", iam.RoleAgent},
	{"wangfang", "王芳", "east-it", "服务台坐席", iam.RoleAgent},
	{"lihua", "李华", "center", "网络工程师", iam.RoleEngineer},
	{"zhaolei", "赵磊", "center", "系统工程师", iam.RoleEngineer},
	{"sunli", "孙丽", "center", "数据库工程师", iam.RoleEngineer},
	{"zhouqiang", "周强", "center", "桌面运维工程师", iam.RoleEngineer},
	{"zhengkai", "郑凯", "center", "中间件工程师", iam.RoleEngineer},
	{"wuhao", "吴昊", "south-it", "现场支持工程师", iam.RoleEngineer},
	{"qianjin", "钱进", "east-it", "现场支持工程师", iam.RoleEngineer},
	{"huangmin", "黄敏", "it", "信息技术部主任", iam.RoleManager},
	{"xuwei", "徐伟", "center", "服务中心主任", iam.RoleManager},
	{"fengtao", "冯涛", "east", "分公司副总经理", iam.RoleManager},
	{"yangxue", "杨雪", "finance", "会计", iam.RoleUser},
	{"linfeng", "林峰", "finance", "出纳", iam.RoleUser},
	{"maxiaoling", "马晓玲", "hr", "人事专员", iam.RoleUser},
	{"heyan", "何艳", "hr", "培训主管", iam.RoleUser},
	{"zhuming", "朱明", "office", "行政秘书", iam.RoleUser},
	{"gaoyuan", "高原", "office", "档案管理员", iam.RoleUser},
	{"hujun", "胡军", "east-office", "综合办主任", iam.RoleUser},
	{"luoqi", "罗琦", "east-office", "文员", iam.RoleUser},
	{"guoli", "郭丽", "south-office", "综合办主任", iam.RoleUser},
	{"liangchen", "梁晨", "south-office", "文员", iam.RoleUser},
	{"songjia", "宋佳", "finance", "财务主管", iam.RoleUser},
	{"hw.liu", "刘建国（华为）", "center", "原厂商驻场工程师", iam.RoleVendor},
	{"dev.chen", "陈志远（系统开发商）", "center", "系统开发商工程师", iam.RoleVendor},
}

type group struct {
	name, code, desc string
	tier             iam.Tier
	manager          string
	members          []string
}

var groups = []group{
	{"服务台", "service-desk", "一线：统一受理电话、邮件、门户请求，首问负责", 1, "xuwei", []string{"zhangwei", "liuyang", "chenjing", "wangfang"}},
	{"网络组", "network", "二线：局域网、广域网、无线、VPN", 2, "huangmin", []string{"lihua"}},
	{"系统组", "systems", "二线：服务器、操作系统、虚拟化、中间件", 2, "huangmin", []string{"zhaolei", "zhengkai"}},
	{"数据库组", "database", "二线：数据库运维与备份", 2, "huangmin", []string{"sunli"}},
	{"桌面运维组", "desktop", "二线：终端、打印机、办公软件、现场服务", 2, "xuwei", []string{"zhouqiang", "wuhao", "qianjin"}},
	{"厂商技术支持", "vendor-support", "三线：原厂商与系统开发商", 3, "huangmin", []string{"hw.liu", "dev.chen"}},
	{"专家队伍", "experts", "三线：内部专家", 3, "huangmin", []string{"zhaolei", "sunli"}},
}

// Load creates the demo organisation once and returns the number of users it created (0 when the demo
// was loaded before). It runs through the iam service, so every record is validated and audited.
func Load(ctx context.Context, s *iam.Service) (int, error) {
	var loaded bool
	if _, err := s.Store.Setting(ctx, loadedKey, &loaded); err != nil || loaded {
		return 0, err
	}
	// One transaction: a failure leaves no half-loaded demo behind.
	err := s.Store.InTx(loader(ctx), func(ctx context.Context) error { return load(ctx, s) })
	if err != nil {
		return 0, err
	}
	return len(people), nil
}

func load(ctx context.Context, s *iam.Service) error {
	root, err := s.EnsureRoot(ctx, "总部")
	if err != nil {
		return err
	}
	ids := map[string]int64{"": root.ID}
	for i, u := range units {
		ou, err := s.CreateOrgUnit(ctx, iam.OrgInput{ParentID: ids[u.parent], Name: u.name, Code: u.code, Kind: u.kind, Sort: i})
		if err != nil {
			return fmt.Errorf("unit %s: %w", u.name, err)
		}
		ids[u.key] = ou.ID
	}
	users := map[string]int64{}
	for i, p := range people {
		u, err := s.CreateUser(ctx, iam.NewUser{Username: p.username, Password: Password, Roles: []string{p.role},
			UserFields: iam.UserFields{Name: p.name, Post: p.post, OrgUnitID: ids[p.unit],
				Phone: fmt.Sprintf("1380013%04d", 1000+i), Email: p.username + "@demo.opsdesk.cn"}})
		if err != nil {
			return fmt.Errorf("user %s: %w", p.username, err)
		}
		users[p.username] = u.ID
	}
	for _, g := range groups {
		in := iam.GroupInput{Name: g.name, Code: g.code, Description: g.desc, Tier: g.tier,
			ManagerID: users[g.manager], OrgUnitID: ids["center"]}
		for _, m := range g.members {
			in.MemberIDs = append(in.MemberIDs, users[m])
		}
		if _, err := s.CreateGroup(ctx, in); err != nil {
			return fmt.Errorf("group %s: %w", g.name, err)
		}
	}
	// Demo accounts keep the documented password instead of being forced to change it.
	for _, name := range append([]string{"admin", "secadmin", "auditor"}, usernames()...) {
		u, err := s.Store.UserByUsername(ctx, name)
		if err != nil {
			return err
		}
		if u.MustChangePassword {
			u.MustChangePassword = false
			if err := s.Store.UpdateUser(ctx, u); err != nil {
				return err
			}
		}
	}
	return s.Store.SaveSetting(ctx, loadedKey, true)
}

func usernames() []string {
	out := make([]string, len(people))
	for i, p := range people {
		out[i] = p.username
	}
	return out
}

// loader is the actor of the demo load: a background job allowed to create everything.
func loader(ctx context.Context) context.Context {
	a := actor.System(actor.SourceJob)
	a.Username = "demo-loader"
	for _, p := range iam.AllPermissions {
		a.Perms[p] = true
	}
	return actor.NewContext(ctx, a)
}
