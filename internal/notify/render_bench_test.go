package notify

import (
	"testing"

	"opsdesk/internal/i18n"
)

// BenchmarkRender renders an SLA notice's views as a tick does: the staff's e-mail (text and
// HTML) and a bot's Markdown.
func BenchmarkRender(b *testing.B) {
	v := view{Lang: i18n.ZH, Number: "INC-2026-000123", Subject: "财务系统无法登录", Status: "处理中", Priority: "P2",
		Group: "二线1组", Assignee: "李工", Reason: "解决时限 2026-11-30 17:00 将到", Link: "https://desk.corp.cn/tickets/5",
		Footer: "此邮件由系统自动发送", Headline: "SLA 预警"}
	for _, p := range []struct {
		name  string
		parts part
		aud   audience
	}{{"text", textPart, toStaff}, {"html", htmlPart, toStaff}, {"markdown", markdownPart, toBot}} {
		b.Run(p.name, func(b *testing.B) {
			v := v
			v.Audience = p.aud
			for b.Loop() {
				if _, err := renderParts(&v, p.parts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
