package mailin

import (
	"strings"

	"golang.org/x/net/html"
)

// htmlText renders an HTML body as plain text for a mail that has no text part: block elements
// end lines, scripts and styles are dropped, quoted blocks get "> " so that stripQuoted drops
// them from a reply.
func htmlText(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	var b strings.Builder
	skip, quote := 0, 0
	newline := func() {
		b.WriteString("\n")
		if quote > 0 {
			b.WriteString("> ")
		}
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			return collapseBlank(b.String())
		case html.TextToken:
			if skip == 0 {
				t := strings.Join(strings.Fields(string(z.Text())), " ")
				if t != "" {
					b.WriteString(t)
					b.WriteString(" ")
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "head", "title":
				skip++
			case "blockquote":
				quote++
				newline()
			case "br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "hr":
				newline()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "head", "title":
				skip = max(skip-1, 0)
			case "blockquote":
				quote = max(quote-1, 0)
				newline()
			case "p", "div", "li", "tr", "table":
				newline()
			}
		}
	}
}

// collapseBlank trims every line and keeps at most one blank line in a row.
func collapseBlank(s string) string {
	var out []string
	blank := false
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || l == ">" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		out = append(out, l)
		blank = false
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
