package notify

import (
	"strings"
	"testing"
)

// TestInlinePhrases: the templates with the labels' wording written into them render every kind of
// view — each language, audience, redacted or not, with every optional part or none — exactly as
// the templates that call "t" do.
func TestInlinePhrases(t *testing.T) {
	calls, inlined := parseTemplateSets(false), templateSets()
	for _, lang := range Langs {
		b, err := templateFS.ReadFile("templates/html.tmpl")
		if err != nil {
			t.Fatal(err)
		}
		if src := string(b); inlinePhrases(src, lang, true) == src {
			t.Fatalf("%s: no label of html.tmpl was written in", lang)
		}
		full := view{Lang: lang, Number: "INC-2026-000123", Headline: "SLA 预警", Lead: "我们已收到 <您的> 请求 & 会尽快处理",
			Subject: "财务系统 [无法] 登录 *急*", Status: "处理中", Priority: "P2", Group: "二线1组", Assignee: "李工",
			Author: "王 <b>五</b>", Reason: "解决时限 2026-11-30 17:00 将到; 升级失败", Comment: "重启后\n仍然 `报错` +1",
			Cause: "证书过期", Solution: "更新证书\n并重启", SurveyLink: "https://desk.corp.cn/survey/abc?x=1&y=2",
			Link: "https://desk.corp.cn/tickets/5", Footer: "此邮件由系统自动发送"}
		for _, aud := range []audience{toStaff, toRequester, toBot} {
			for _, redacted := range []bool{false, true} {
				for _, v := range []view{full, {Lang: lang, Number: "INC-2026-000124", Headline: "工单已创建", Subject: "x"}} {
					v.Audience, v.Redacted = aud, redacted
					want, got := &rendered{v: &v}, &rendered{v: &v}
					if err := want.fillFrom(calls, allParts); err != nil {
						t.Fatal(err)
					}
					if err := got.fillFrom(inlined, allParts); err != nil {
						t.Fatal(err)
					}
					for name, pair := range map[string][2]string{"text": {want.Text, got.Text},
						"markdown": {want.Markdown, got.Markdown}, "html": {want.HTML, got.HTML}} {
						if pair[0] != pair[1] {
							t.Errorf("%s audience %d redacted %v %s differs:\n%s\n--- inlined:\n%s", lang, aud, redacted, name, pair[0], pair[1])
						}
						if strings.TrimSpace(pair[0]) == "" && name != "markdown" {
							t.Errorf("%s %s is empty", lang, name)
						}
					}
				}
			}
		}
	}
}
