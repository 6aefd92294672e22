package webhook

import (
	"strings"
	"unicode/utf8"

	"opsdesk/internal/notify"
)

// ellipsis marks text cut to fit a vendor's limit.
const ellipsis = "…"

// linkLabel is the text of the ticket link in the channel's language (Config["lang"], zh-CN by
// default, as the group chats of a Chinese service desk are).
func linkLabel(cfg map[string]string) string {
	if strings.HasPrefix(strings.ToLower(cfg["lang"]), "en") {
		return "Open ticket"
	}
	return "查看工单"
}

// card is the Markdown a bot posts: the subject as a heading, the text, and the ticket link.
type card struct {
	title string // one line
	text  string
	link  string // "[label](url)", or "" without a URL
}

func newCard(cfg map[string]string, m *notify.Message) card {
	c := card{
		title: strings.Join(strings.Fields(strings.ToValidUTF8(m.Subject, "")), " "),
		text:  strings.TrimSpace(strings.ToValidUTF8(m.Text, "")),
	}
	if m.Link != "" {
		c.link = "[" + linkLabel(cfg) + "](" + m.Link + ")"
	}
	return c
}

// markdown renders the title behind heading (say "### "), the text and the link within limit
// bytes. The text is what gets cut: the title says what happened and the link leads to the rest,
// so both survive a long text.
func (c card) markdown(heading string, limit int) string {
	return c.render(heading+c.title, limit)
}

// body renders text and link without the title, for kinds that show the title on their own
// (Feishu's card header), within limit bytes.
func (c card) body(limit int) string { return c.render("", limit) }

func (c card) render(head string, limit int) string {
	const sep = "\n\n"
	room := limit - len(head) - len(c.link) - 2*len(sep)
	if room < len(ellipsis) {
		// A title or link so long that no text fits: keep the start of everything.
		return truncate(join(sep, head, c.text, c.link), limit)
	}
	return join(sep, head, truncate(c.text, room), c.link)
}

// join joins the non-empty parts with sep.
func join(sep string, parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.String()
}

// truncate cuts s to at most n bytes, on a rune boundary, ending in an ellipsis when cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n < len(ellipsis) {
		return ""
	}
	cut := n - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}
