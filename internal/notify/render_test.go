package notify

import (
	"strings"
	"testing"

	"opsdesk/internal/i18n"
	"opsdesk/internal/ticket"
)

func TestRenderLanguages(t *testing.T) {
	base := view{Number: "INC-2026-000123", Subject: "财务系统无法登录", Status: "x", Priority: "P1", Group: "系统组",
		Assignee: "李工", Reason: "换人", Link: "https://desk.corp.cn/tickets/5", Footer: "f"}
	cases := []struct {
		lang, headline, subject, label string
	}{
		{i18n.ZH, "工单已分派", "[INC-2026-000123] 工单已分派：财务系统无法登录", "处理人：李工"},
		{i18n.EN, "Ticket assigned", "[INC-2026-000123] Ticket assigned: 财务系统无法登录", "Assignee: 李工"},
	}
	for _, tc := range cases {
		v := base
		v.Lang, v.Headline = tc.lang, catalog().T(tc.lang, "notify.assigned.title")
		out, err := render(&v)
		if err != nil {
			t.Fatal(err)
		}
		if v.Headline != tc.headline || out.Subject != tc.subject {
			t.Errorf("%s: headline %q subject %q", tc.lang, v.Headline, out.Subject)
		}
		for name, s := range map[string]string{"text": out.Text, "markdown": out.Markdown, "html": out.HTML} {
			if !strings.Contains(s, tc.label) && !strings.Contains(s, strings.Replace(tc.label, catalog().T(tc.lang, "notify.colon"), "</th><td>", 1)) {
				t.Errorf("%s %s lacks %q:\n%s", tc.lang, name, tc.label, s)
			}
			if name != "markdown" && !strings.Contains(s, v.Link) { // a bot's driver adds the link
				t.Errorf("%s %s lacks the link", tc.lang, name)
			}
		}
		if out.Brief != "换人" {
			t.Errorf("%s brief %q", tc.lang, out.Brief)
		}
	}
}

// TestRenderHostileText: what a requester typed cannot become markup in an e-mail or a link in a bot.
func TestRenderHostileText(t *testing.T) {
	v := &view{Lang: i18n.ZH, Audience: toBot, Number: "INC-2026-000001", Headline: "新工单",
		Subject: "<script>alert(1)</script> [点我](http://evil.example/)\n第二行", Comment: "**粗体** <img src=x>"}
	out, err := render(v)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.HTML, "<script>") || strings.Contains(out.HTML, "<img") {
		t.Errorf("HTML not escaped:\n%s", out.HTML)
	}
	if strings.Contains(out.Markdown, "<img") || !strings.Contains(out.Markdown, "＜img") {
		t.Errorf("Markdown not neutralised:\n%s", out.Markdown)
	}
	// A bot shows the subject as a Markdown heading.
	if strings.Contains(out.Subject, "\n") || strings.Contains(out.Subject, "](http") || strings.Contains(out.Subject, "<script") {
		t.Errorf("bot subject not neutralised: %q", out.Subject)
	}
	v.Audience = toStaff
	if out, _ := render(v); !strings.Contains(out.Subject, "[点我](http://evil.example/) 第二行") {
		t.Errorf("an e-mail subject is plain text, kept as typed on one line: %q", out.Subject)
	}
}

func TestRenderRedacted(t *testing.T) {
	v := &view{Lang: i18n.EN, Audience: toBot, Number: "INC-2026-000009", Headline: "New ticket", Subject: "Confidential ticket",
		Redacted: true, Status: "secret-status", Priority: "P1", Reason: "secret-reason", Comment: "secret-comment"}
	out, err := render(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{out.Text, out.Markdown, out.HTML, out.Brief} {
		if strings.Contains(s, "secret") || strings.Contains(s, "P1") {
			t.Errorf("redacted view shows more than the number:\n%s", s)
		}
	}
}

// TestCatalogKeys: every key notify uses to write or to label is in both catalogs.
func TestCatalogKeys(t *testing.T) {
	var keys []string
	for k := range eventOf {
		keys = append(keys, "notify."+string(k)+".title")
	}
	for _, e := range append(Events, ChannelTest) {
		keys = append(keys, EventLabel(e))
	}
	for _, k := range append(ChannelKinds, InApp) {
		keys = append(keys, KindLabel(k))
		for _, f := range ConfigFields[k] {
			keys = append(keys, f.Label)
		}
	}
	for _, s := range Statuses {
		keys = append(keys, StatusLabel(s))
	}
	for _, m := range TLSModes {
		keys = append(keys, TLSLabel(m))
	}
	for _, s := range ticket.Statuses {
		keys = append(keys, "notify.status."+string(s))
	}
	for _, m := range []string{"first_response", "next_response", "resolution"} {
		keys = append(keys, "notify.sla."+m)
	}
	for _, k := range keys {
		for _, lang := range Langs {
			if !catalog().Has(lang, k) {
				t.Errorf("%s missing from the %s catalog", k, lang)
			}
		}
	}
	for _, lang := range Langs {
		if templateSets()[lang] == nil {
			t.Fatalf("no templates for %s", lang)
		}
	}
}
