package loadtest

import "opsdesk/internal/ticket"

// problem is one kind of request a service desk hears every day, with the words it is told in, the
// group that usually handles it and the replies that typically follow.
type problem struct {
	typ      ticket.Type
	group    string   // code of the support group that handles it (demo organisation codes)
	subjects []string // %s is a place, an asset or a system, chosen from things
	things   []string
	details  []string
	replies  []string
	weight   int
}

// problems are weighted by how often they come in: printers and passwords beat complaints.
var problems = []problem{
	{typ: ticket.Incident, group: "desktop", weight: 14,
		subjects: []string{"%s打印机卡纸", "%s打印机无法打印", "%s打印机打印出来全是空白", "%s复印机提示缺粉"},
		things:   []string{"三楼财务部", "二楼办公室", "人力资源部", "会议室", "前台", "档案室", "华东分公司综合办公室"},
		details: []string{"打印任务一直排队，重启打印机也没用。", "纸张卡在出纸口，拉不出来。", "打印驱动好像丢了，提示脱机。",
			"换了新硒鼓以后打印有黑条。", "急需打印报销单据，请尽快处理。"},
		replies: []string{"已到现场取出卡纸，清洁搓纸轮，测试打印正常。", "已重新安装打印驱动并设为默认打印机。", "硒鼓型号不对，已更换原装硒鼓。",
			"请确认打印机已联网，面板上显示的 IP 地址是多少？", "已清空打印队列，请再试一次。"}},
	{typ: ticket.Incident, group: "network", weight: 12,
		subjects: []string{"%s网络不通", "%s无线网络连不上", "%s上网很慢", "%s网线口没有信号"},
		things:   []string{"三楼", "五楼东侧", "大会议室", "财务部", "华南分公司", "机房值班室", "培训教室"},
		details: []string{"电脑右下角显示无法访问 Internet，同事也一样。", "Wi-Fi 能连上但是打不开 OA。", "从上午九点开始断断续续，影响业务办理。",
			"换了网线还是不行，交换机指示灯不亮。", "视频会议一直卡顿掉线。"},
		replies: []string{"接入交换机端口故障，已更换端口，网络恢复。", "无线 AP 掉线，已重启并调整信道。", "DHCP 地址池耗尽，已扩容地址池。",
			"请执行 ipconfig /all 并把结果截图发给我们。", "出口链路拥塞，已联系运营商扩容。"}},
	{typ: ticket.Incident, group: "systems", weight: 9,
		subjects: []string{"邮件无法发送", "%s邮件收不到", "Outlook 一直提示输入密码", "邮箱空间已满无法收信"},
		things:   []string{"财务部", "办公室", "人力资源部", "领导", "华东分公司"},
		details: []string{"发送外部邮件时提示 550 被拒绝。", "Outlook 报错 0x800CCC0E。", "手机上可以收，电脑上收不到。",
			"附件超过 20MB 发不出去。", "今天早上开始所有邮件都卡在发件箱。"},
		replies: []string{"邮件网关误判为垃圾邮件，已加入白名单。", "已为邮箱扩容到 10GB 并归档旧邮件。", "已重建 Outlook 配置文件，收发正常。",
			"大附件请使用文件中转站发送。", "请确认密码近期是否修改过。"}},
	{typ: ticket.Incident, group: "network", weight: 7,
		subjects: []string{"VPN 连不上", "VPN 拨号后无法访问内网", "%s出差 VPN 频繁断线"},
		things:   []string{"销售", "领导", "审计组", "驻外人员"},
		details:  []string{"客户端提示证书过期。", "连上以后打不开财务系统。", "在酒店网络下连接超时。", "手机令牌验证码一直提示错误。"},
		replies:  []string{"VPN 证书已更新，请重新导入。", "已为账号开通财务系统访问策略。", "请切换到 TCP 443 模式再试。", "令牌时间不同步，已重新绑定。"}},
	{typ: ticket.Incident, group: "systems", weight: 9,
		subjects: []string{"%s系统登录失败", "%s提示账号被锁定", "%s登录后页面空白"},
		things:   []string{"OA", "财务", "人事", "档案管理", "合同管理", "ERP"},
		details: []string{"输入密码后提示用户名或密码错误。", "连续输错几次以后账号被锁定了。", "换了浏览器也一样，同事可以正常登录。",
			"月底结账急用，请尽快处理。"},
		replies: []string{"账号已解锁，请使用新密码登录。", "浏览器缓存导致，清除缓存后恢复。", "单点登录服务异常，已重启认证服务。",
			"已重置密码并通过短信发送。"}},
	{typ: ticket.Incident, group: "desktop", weight: 8,
		subjects: []string{"电脑蓝屏", "%s电脑开不了机", "%s电脑运行很慢", "%s电脑中了病毒"},
		things:   []string{"财务部", "前台", "档案室", "会议室", "华南分公司", "人力资源部"},
		details:  []string{"开机以后蓝屏，错误代码 0x0000007B。", "按电源键没有反应。", "打开 Excel 要等好几分钟。", "杀毒软件一直弹窗报警。"},
		replies: []string{"内存条松动，已重新插拔，开机正常。", "硬盘坏道，已更换固态硬盘并恢复数据。", "已清理启动项并升级内存。",
			"已隔离病毒文件并全盘查杀，请修改密码。"}},
	{typ: ticket.Incident, group: "database", weight: 4,
		subjects: []string{"%s数据库连接超时", "%s报表查询很慢", "%s数据库空间告警"},
		things:   []string{"财务系统", "ERP", "人事系统", "档案系统"},
		details:  []string{"应用日志里大量连接超时。", "月报跑了一个小时还没出来。", "监控提示表空间使用率超过 90%。"},
		replies:  []string{"连接池配置过小，已调整。", "已为查询补充索引，耗时降到 3 秒。", "已扩容表空间并清理历史归档日志。"}},
	{typ: ticket.Incident, group: "vendor-support", weight: 3,
		subjects: []string{"%s审批流程卡住", "%s升级后报错", "%s导出 Excel 乱码"},
		things:   []string{"OA", "合同管理系统", "财务系统"},
		details:  []string{"提交以后一直显示处理中。", "页面提示 500 内部错误。", "导出的文件打开是乱码。"},
		replies:  []string{"已提交厂商排查，厂商确认为已知缺陷，补丁下周发布。", "厂商已远程修复流程数据。", "字符集配置错误，已改为 UTF-8。"}},
	{typ: ticket.Request, group: "service-desk", weight: 14,
		subjects: []string{"申请开通%s账号", "申请%s权限", "新员工入职开通%s", "申请安装%s"},
		things:   []string{"OA", "VPN", "邮箱", "财务系统", "共享文件夹", "WPS", "视频会议"},
		details:  []string{"新同事下周一入职，请提前开通。", "部门领导已审批同意。", "因工作需要，请开通只读权限。", "请同时开通手机端。"},
		replies:  []string{"已开通，初始密码已通过短信发送。", "请部门负责人在系统中确认审批。", "已安装正版软件并激活。", "权限已开通，有效期一年。"}},
	{typ: ticket.Request, group: "desktop", weight: 6,
		subjects: []string{"申请更换%s", "%s需要搬迁电脑", "申请领用%s"},
		things:   []string{"显示器", "键盘鼠标", "笔记本电脑", "财务部", "办公室", "打印机硒鼓"},
		details:  []string{"原来的设备已经用了六年。", "部门调整座位，共 5 台电脑。", "请尽快安排。"},
		replies:  []string{"已从备件库领用并送达。", "已安排周五下班后搬迁。", "请在资产系统中提交领用单。"}},
	{typ: ticket.Consultation, group: "service-desk", weight: 6,
		subjects: []string{"咨询%s怎么操作", "%s在哪里下载", "如何修改%s密码"},
		things:   []string{"报销系统", "VPN 客户端", "OA", "邮箱", "打印机驱动", "会议室预订"},
		details:  []string{"第一次使用，不知道从哪里进入。", "找不到下载地址。", "手机上能不能用？"},
		replies:  []string{"操作手册已发到您的邮箱。", "请访问内网门户的软件下载专区。", "已电话指导完成操作。"}},
	{typ: ticket.Complaint, group: "service-desk", weight: 1,
		subjects: []string{"投诉%s处理太慢", "对%s服务不满意"},
		things:   []string{"网络故障", "打印机维修", "账号开通", "现场服务"},
		details:  []string{"报修三天了还没有人来。", "工程师态度不好。", "同一个问题反复出现。"},
		replies:  []string{"非常抱歉，已安排专人跟进并回访。", "已向服务中心主任反馈，将加强培训。", "已升级为问题单，彻底排查根因。"}},
}

// notes are internal notes engineers leave for each other.
var notes = []string{"已电话联系用户，约好下午上门。", "疑似与上周网络割接有关，需复核。", "备件已申请，等待到货。",
	"已转二线处理。", "用户不在工位，稍后再联系。", "同类问题本月第三次，建议提交问题单。"}

// requesterReplies are what requesters write back.
var requesterReplies = []string{"好的，谢谢！", "已经可以用了，谢谢。", "问题还在，麻烦再看看。", "我下午都在办公室。",
	"截图已发到邮箱。", "非常感谢，处理很及时。"}

// Words are two-character words that occur in the generated text, for search load.
var Words = []string{"打印", "网络", "邮件", "登录", "蓝屏", "账号", "密码", "硒鼓", "无线", "权限", "审批", "报销"}

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")

var givenNames = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英",
	"霞", "平", "刚", "桂英", "建国", "志强", "海燕", "晓东", "文", "斌", "宇", "欣怡"}

var externalDepts = []string{"审计局驻场组", "物业管理处", "外包呼叫中心", "合作银行驻点", "工会办公室"}

var locations = []string{"总部大楼 3 层", "总部大楼 5 层东区", "总部大楼 1 层大厅", "A 座 1205 室", "B 座 803 室", "机房",
	"华东分公司 2 层", "华南分公司 6 层", "档案楼", "培训中心"}
