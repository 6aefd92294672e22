package demo

import "opsdesk/internal/ticket"

// demoTicket is one scripted request: who asks (and which agent took the call, for phone tickets),
// what about, and how far the service desk has got with it.
type demoTicket struct {
	day              float64 // days after the start of the two weeks
	requester, agent string  // agent "" is a portal request
	typ              ticket.Type
	cat              string // category name (second level)
	subject, desc    string
	loc              string
	u, i             ticket.Level
	end              string // new, assigned, in_progress, pending, resolved, closed, cancelled
	up, why          string // escalate to this group's code, with the reason
	note, reply      string // an internal note and a public reply by the engineer
	cause, fix       string // the resolution
	urge, secret     bool
	score            int // satisfaction 1–5 once closed; 0 leaves the survey open
	said             string
}

const (
	inc = ticket.Incident
	req = ticket.Request
	con = ticket.Consultation
	cmp = ticket.Complaint
)

// demoTickets are in the order they happen. The first two arrive before the dispatch rules exist.
var demoTickets = []demoTicket{
	{day: 13.2, requester: "gaoyuan", typ: req, cat: "外设", subject: "档案室扫描仪需要安装驱动", desc: "新到的扫描仪连上电脑后识别不了。", loc: "总部 2 楼档案室", u: 3, i: 3, end: "new"},
	{day: 13.5, requester: "liangchen", typ: con, cat: "咨询", subject: "如何申请第二块显示器", desc: "想问一下申请流程和审批人。", loc: "华南分公司 综合办", u: 3, i: 3, end: "new"},
	{day: 0.1, requester: "yangxue", agent: "zhangwei", typ: inc, cat: "打印机/复印机", subject: "财务部打印机卡纸无法打印", desc: "三楼财务部 HP 打印机一直提示卡纸，已经取出纸张仍然报错。", loc: "总部 3 楼财务部", u: 2, i: 2, end: "closed",
		note: "同型号打印机上月也出现过，怀疑进纸轮老化。", reply: "工程师下午到现场查看。", cause: "进纸轮老化打滑", fix: "更换进纸轮并清洁纸道，打印测试正常。", score: 5, said: "处理很及时"},
	{day: 0.4, requester: "linfeng", typ: inc, cat: "业务系统", subject: "财务系统登录提示证书过期", desc: "登录网上报销系统时提示证书过期，无法提交报销单。", loc: "总部 3 楼财务部", u: 1, i: 2, end: "closed",
		reply: "已远程为您更新证书。", cause: "客户端证书到期", fix: "远程重新签发并安装客户端证书。", score: 4},
	{day: 0.9, requester: "maxiaoling", agent: "liuyang", typ: req, cat: "账号与权限", subject: "新员工开通邮箱和 OA 账号", desc: "人力资源部新入职 2 人，需要开通邮箱和 OA 账号。", loc: "总部 4 楼人力资源部", u: 2, i: 3, end: "closed",
		fix: "已开通邮箱和 OA 账号，初始密码已短信发送。", score: 5, said: "很方便"},
	{day: 1.3, requester: "hujun", agent: "wangfang", typ: inc, cat: "无线网络", subject: "华东分公司会议室无线网络连不上", desc: "会议室 Wi-Fi 能搜到信号但一直获取不到 IP 地址。", loc: "华东分公司 5 楼会议室", u: 1, i: 2, end: "closed",
		note: "DHCP 地址池可能耗尽。", reply: "已定位为地址池不足，正在扩容。", cause: "DHCP 地址池耗尽", fix: "扩大无线 DHCP 地址池并缩短租期。", score: 4, said: "希望以后能提前发现"},
	{day: 1.8, requester: "zhuming", typ: req, cat: "办公软件", subject: "申请安装 PDF 编辑软件", desc: "需要编辑合同 PDF，申请安装正版 PDF 编辑软件。", loc: "总部 1 楼办公室", u: 3, i: 3, end: "closed",
		fix: "已从软件中心推送安装。", score: 3, said: "等待时间有点长"},
	{day: 2.2, requester: "songjia", agent: "chenjing", typ: inc, cat: "台式机/笔记本", subject: "笔记本电脑开机蓝屏", desc: "开机后进入桌面约一分钟就蓝屏重启，错误代码 0x0000007E。", loc: "总部 3 楼财务部", u: 1, i: 3, end: "closed",
		up: "desktop", why: "需现场检测硬件", note: "远程无法进入系统，安排现场。", cause: "显卡驱动与系统更新冲突", fix: "安全模式回退显卡驱动并暂停该更新。", score: 5},
	{day: 2.7, requester: "heyan", typ: inc, cat: "邮件", subject: "邮箱容量已满无法收信", desc: "提示邮箱容量不足，重要邮件收不到。", loc: "总部 4 楼人力资源部", u: 2, i: 3, end: "closed",
		fix: "已将邮箱容量由 2GB 扩至 5GB，并协助归档旧邮件。"},
	{day: 3.1, requester: "guoli", agent: "wangfang", typ: inc, cat: "有线网络", subject: "华南分公司办公区整片断网", desc: "二楼办公区所有电脑都上不了网，电话正常。", loc: "华南分公司 2 楼", u: 1, i: 1, end: "closed",
		up: "experts", why: "汇聚交换机疑似故障，影响整层办公", note: "核心到汇聚链路 down，需专家组配合。", reply: "已安排工程师到场，预计 1 小时内恢复。",
		cause: "汇聚交换机电源模块故障", fix: "更换电源模块，链路恢复，已观察 2 小时稳定。", urge: true, score: 4, said: "恢复得挺快"},
	{day: 3.6, requester: "luoqi", typ: req, cat: "外设", subject: "申请领用键盘鼠标", desc: "键盘部分按键失灵，申请更换一套键盘鼠标。", loc: "华东分公司 综合办", u: 3, i: 3, end: "closed",
		fix: "已领用新键盘鼠标。", score: 5},
	{day: 4.0, requester: "yangxue", typ: inc, cat: "打印机/复印机", subject: "打印出来的发票字迹模糊", desc: "打印增值税发票时字迹很淡，看不清。", loc: "总部 3 楼财务部", u: 2, i: 3, end: "closed",
		cause: "硒鼓碳粉不足", fix: "更换硒鼓。", score: 2, said: "第二次才修好"},
	{day: 4.5, requester: "huangmin", agent: "zhangwei", typ: req, cat: "服务器", subject: "测试环境申请两台虚拟机", desc: "新项目联调需要两台 4 核 8G 的 Linux 虚拟机，使用一个月。", loc: "信息技术部", u: 3, i: 2, end: "closed",
		up: "systems", why: "需系统组分配虚拟化资源", fix: "已在测试资源池创建两台虚拟机并发送登录信息。"},
	{day: 5.0, requester: "maxiaoling", typ: con, cat: "咨询", subject: "内网能否访问外部招聘网站", desc: "招聘需要登录外部招聘网站，想咨询是否可以开放。", loc: "总部 4 楼人力资源部", u: 3, i: 3, end: "closed",
		reply: "已按招聘岗位需求开放相关网站白名单。", fix: "已开放白名单。", score: 5},
	{day: 5.4, requester: "linfeng", agent: "liuyang", typ: inc, cat: "VPN", subject: "出差时 VPN 连接后马上断开", desc: "在外地酒店连接 VPN，连接成功十几秒后自动断开。", loc: "出差（上海）", u: 2, i: 3, end: "closed",
		cause: "酒店网络 MTU 过小", fix: "调整客户端 MTU 并切换 TCP 模式。", score: 4},
	{day: 6.0, requester: "zhuming", typ: cmp, cat: "咨询", subject: "投诉：报修后两天无人联系", desc: "上周报修的会议室投影问题两天都没人联系。", loc: "总部 1 楼办公室", u: 2, i: 3, end: "closed",
		reply: "非常抱歉，已核实为派单遗漏，今天上午已处理。", cause: "派单遗漏", fix: "已向报修人致歉并完成投影维修，加强派单复核。", score: 3},
	{day: 6.5, requester: "gaoyuan", agent: "chenjing", typ: inc, cat: "业务系统", subject: "档案系统检索结果为空", desc: "档案管理系统按年份检索全部返回空。", loc: "总部 2 楼档案室", u: 2, i: 2, end: "resolved",
		up: "vendor-support", why: "疑似系统缺陷，索引异常，需开发商排查（紧急越级）", note: "二线值班工程师外出，情况紧急直接越级至开发商。", reply: "开发商已介入排查。",
		cause: "索引任务异常中断", fix: "开发商重建检索索引并修复定时任务。"},
	{day: 7.0, requester: "hujun", typ: inc, cat: "打印机/复印机", subject: "复印机扫描到邮箱功能失效", desc: "复印机扫描后发送邮件失败，提示 SMTP 错误。", loc: "华东分公司 综合办", u: 3, i: 2, end: "resolved",
		cause: "邮箱密码策略变更", fix: "为复印机配置专用发信账号。"},
	{day: 7.5, requester: "fengtao", agent: "wangfang", typ: inc, cat: "网络安全", subject: "邮箱疑似被盗用发送异常邮件", desc: "多位同事收到以我名义发出的可疑邮件。", loc: "华东分公司 总经理室", u: 1, i: 2, end: "in_progress",
		secret: true, note: "已冻结账号外发，正在排查登录日志，注意保密。", reply: "已临时限制您的邮箱外发，稍后会联系您修改密码。"},
	{day: 8.0, requester: "yangxue", typ: req, cat: "账号与权限", subject: "申请开通预算系统查询权限", desc: "因年度预算编制需要，申请预算系统只读查询权限。", loc: "总部 3 楼财务部", u: 3, i: 3, end: "resolved",
		fix: "已开通只读权限，有效期至年底。"},
	{day: 8.3, requester: "heyan", agent: "zhangwei", typ: inc, cat: "办公软件", subject: "Excel 打开大文件卡死", desc: "培训签到表 Excel 打开后一直未响应。", loc: "总部 4 楼人力资源部", u: 3, i: 3, end: "resolved",
		reply: "文件中有大量空白格式，已帮您清理。", cause: "文件格式冗余", fix: "清理冗余格式，文件由 80MB 降为 2MB。"},
	{day: 8.8, requester: "songjia", typ: inc, cat: "服务器", subject: "财务共享盘访问很慢", desc: "打开共享盘里的文件夹要等半分钟。", loc: "总部 3 楼财务部", u: 2, i: 2, end: "pending",
		up: "systems", why: "文件服务器性能问题需系统组排查", note: "存储阵列有一块盘告警，已报原厂。", reply: "正在等待硬盘备件，到货后更换。"},
	{day: 9.2, requester: "guoli", typ: inc, cat: "有线网络", subject: "综合办两个网口不通", desc: "新调整的工位有两个网口插上网线没有反应。", loc: "华南分公司 综合办", u: 2, i: 3, end: "pending",
		reply: "需要确认配线架跳线，已约明天上午到场。", urge: true},
	{day: 9.6, requester: "luoqi", agent: "liuyang", typ: inc, cat: "台式机/笔记本", subject: "电脑风扇噪音很大", desc: "主机风扇声音很大，偶尔自动关机。", loc: "华东分公司 综合办", u: 2, i: 3, end: "in_progress",
		note: "可能是 CPU 散热硅脂干涸。", reply: "钱进工程师会到现场处理。"},
	{day: 10.0, requester: "maxiaoling", typ: inc, cat: "业务系统", subject: "考勤系统导出报表格式错乱", desc: "导出月度考勤时列错位。", loc: "总部 4 楼人力资源部", u: 2, i: 2, end: "in_progress",
		up: "systems", why: "报表模板问题需系统组处理", urge: true},
	{day: 10.4, requester: "zhuming", agent: "chenjing", typ: inc, cat: "打印机/复印机", subject: "会议室打印机无法连接", desc: "会议室的无线打印机找不到。", loc: "总部 1 楼会议室", u: 3, i: 2, end: "in_progress",
		reply: "我们已确认打印机 IP 变化，正在重新配置。"},
	{day: 10.8, requester: "linfeng", typ: req, cat: "办公软件", subject: "申请安装财务软件客户端", desc: "新电脑需要安装用友客户端。", loc: "总部 3 楼财务部", u: 3, i: 3, end: "assigned"},
	{day: 11.2, requester: "hujun", agent: "wangfang", typ: inc, cat: "VPN", subject: "分公司到总部 VPN 时断时续", desc: "下午开始访问总部系统时断时续。", loc: "华东分公司", u: 1, i: 1, end: "in_progress",
		note: "运营商线路丢包严重，已报障运营商。", reply: "已确认是运营商线路问题，正在协调抢修。", urge: true},
	{day: 11.6, requester: "heyan", typ: req, cat: "外设", subject: "培训室需要一台投影仪", desc: "下周三全员培训需要借用投影仪。", loc: "总部 5 楼培训室", u: 3, i: 2, end: "assigned", urge: true},
	{day: 11.9, requester: "liangchen", agent: "wangfang", typ: inc, cat: "邮件", subject: "Outlook 每次启动都要求输入密码", desc: "修改域密码后，Outlook 一直弹出密码框。", loc: "华南分公司 综合办", u: 2, i: 3, end: "closed",
		reply: "已远程清除旧的凭据缓存。", cause: "凭据管理器保存了旧密码", fix: "清除 Windows 凭据中的旧密码并重新登录。", score: 5, said: "远程就解决了，很方便"},
	{day: 12.0, requester: "gaoyuan", agent: "zhangwei", typ: con, cat: "咨询", subject: "咨询文件加密软件使用方法", desc: "外发文件需要加密，不知道怎么操作。", loc: "总部 2 楼档案室", u: 3, i: 3, end: "resolved",
		fix: "已电话指导加密外发流程，并发送操作手册。"},
	{day: 12.3, requester: "songjia", typ: inc, cat: "邮件", subject: "手机收不到公司邮件", desc: "手机邮件客户端从昨天开始收不到新邮件。", loc: "总部 3 楼财务部", u: 3, i: 3, end: "cancelled"},
	{day: 12.6, requester: "liangchen", agent: "wangfang", typ: inc, cat: "打印机/复印机", subject: "打印机提示墨盒不兼容", desc: "更换墨盒后打印机提示不兼容。", loc: "华南分公司 综合办", u: 3, i: 3, end: "assigned"},
	{day: 12.9, requester: "xuwei", typ: req, cat: "账号与权限", subject: "申请堡垒机临时权限", desc: "夜间变更需要数据库服务器堡垒机临时权限。", loc: "信息技术支持服务中心", u: 2, i: 2, end: "assigned"},
	{day: 13.1, requester: "yangxue", typ: inc, cat: "无线网络", subject: "财务部无线信号弱", desc: "靠窗位置无线信号只有一格，经常掉线。", loc: "总部 3 楼财务部", u: 3, i: 2, end: "in_progress",
		reply: "明天上午会做现场信号测试。"},
	{day: 13.3, requester: "zhuming", typ: req, cat: "办公软件", subject: "申请开通视频会议账号", desc: "办公室需要召开分公司视频会议。", loc: "总部 1 楼办公室", u: 2, i: 2, end: "cancelled"},
	{day: 13.5, requester: "luoqi", agent: "liuyang", typ: inc, cat: "操作系统", subject: "系统更新后无法登录域账号", desc: "今天早上系统更新后提示信任关系失败。", loc: "华东分公司 综合办", u: 1, i: 3, end: "assigned", urge: true},
	{day: 13.7, requester: "guoli", typ: inc, cat: "业务系统", subject: "合同管理系统上传附件失败", desc: "上传超过 10MB 的扫描件时报错。", loc: "华南分公司 综合办", u: 2, i: 2, end: "in_progress",
		up: "systems", why: "上传限制需系统组调整", note: "Nginx client_max_body_size 为 10m。"},
	{day: 13.8, requester: "maxiaoling", typ: con, cat: "咨询", subject: "离职员工电脑如何交接", desc: "想了解离职员工电脑和账号的交接流程。", loc: "总部 4 楼人力资源部", u: 3, i: 3, end: "assigned"},
	{day: 13.9, requester: "hujun", typ: inc, cat: "打印机/复印机", subject: "打印时提示后台处理程序未运行", desc: "点打印没有反应，提示打印后台处理程序服务没有运行。", loc: "华东分公司 综合办", u: 2, i: 3, end: "assigned"},
}
