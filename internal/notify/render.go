package notify

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"strings"
	"sync"
	"text/template"
	"unicode/utf8"

	"opsdesk/internal/i18n"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// catalog holds the wording of messages; built once, read-only afterwards.
var catalog = sync.OnceValue(i18n.New)

// Langs are the languages messages are written in; the first is the default.
var Langs = []string{i18n.ZH, i18n.EN}

// langOf picks a message's language: the person's own choice, else the channel's, else zh-CN.
func langOf(personLocale string, ch *Channel) string {
	if personLocale == i18n.ZH || personLocale == i18n.EN {
		return personLocale
	}
	if ch != nil {
		if l := ch.Config["lang"]; l == i18n.ZH || l == i18n.EN {
			return l
		}
	}
	return i18n.ZH
}

// templateSet is the parsed templates of one language: "t" translates with that language.
type templateSet struct {
	text, markdown *template.Template
	html           *htmltemplate.Template
}

// templateSets parses the embedded templates once per language, with the wording of "t" written
// into them (render_phrases.go). A template that does not parse is a build error, so it panics (a
// test parses them).
var templateSets = sync.OnceValue(func() map[string]*templateSet { return parseTemplateSets(true) })

// parseTemplateSets parses the templates of every language; inline writes the wording of "t" into
// the templates' text where that renders the same.
func parseTemplateSets(inline bool) map[string]*templateSet {
	out := map[string]*templateSet{}
	for _, lang := range Langs {
		funcs := map[string]any{
			"t":  func(key string) string { return phrase(lang, key) },
			"md": markdownSafe,
		}
		src := func(name string, html bool) string {
			b, err := templateFS.ReadFile("templates/" + name)
			if err != nil {
				panic(err)
			}
			if inline {
				return inlinePhrases(string(b), lang, html)
			}
			return string(b)
		}
		out[lang] = &templateSet{
			text:     template.Must(template.New("text.tmpl").Funcs(funcs).Parse(src("text.tmpl", false))),
			markdown: template.Must(template.New("markdown.tmpl").Funcs(funcs).Parse(src("markdown.tmpl", false))),
			html:     htmltemplate.Must(htmltemplate.New("html.tmpl").Funcs(funcs).Parse(src("html.tmpl", true))),
		}
	}
	return out
}

// audience is who reads a message; it chooses the wording and the link.
type audience int

const (
	toStaff     audience = iota // people working the ticket: "/tickets/{id}"
	toRequester                 // the person who asked: "/my/tickets/{id}", the wording of the portal
	toBot                       // a chat group or a system: neutral wording, no personal links
)

// view is what the templates show of one notice to one audience in one language. On a redacted
// view (a confidential ticket, shown to a bot or to someone who may not see it) only Number,
// Headline, Subject (neutral) and Link are set.
type view struct {
	Audience   audience
	Lang       string
	Number     string
	Headline   string // what happened, in the reader's words
	Lead       string // a sentence for the requester: the acknowledgement, the survey request
	Subject    string
	Redacted   bool
	Status     string
	Priority   string
	Group      string
	Assignee   string
	Author     string // of a reply
	Reason     string
	Comment    string
	Cause      string
	Solution   string
	SurveyLink string
	Link       string
	Footer     string
}

// IsRequester and IsBot let the templates choose wording without knowing the audience constants.
func (v *view) IsRequester() bool { return v.Audience == toRequester }
func (v *view) IsBot() bool       { return v.Audience == toBot }

// rendered is the text of one message. Subject and Brief are always there; the bodies only once
// filled (see part), since a tick renders hundreds of views and most need one or two of them.
type rendered struct {
	Subject  string // "[INC-2026-000123] headline: subject"
	Text     string // plain text: e-mail body, webhook text
	Markdown string // bot message
	HTML     string // e-mail body
	Brief    string // the in-app entry's body

	v    *view
	done part
}

// part is a body of a message, rendered by its own template.
type part uint8

const (
	textPart     part = 1 << iota // e-mail text, webhook text
	markdownPart                  // a bot's message
	htmlPart                      // e-mail HTML
	allParts     = textPart | markdownPart | htmlPart
)

// render writes v in its language with every template.
func render(v *view) (*rendered, error) {
	return renderParts(v, allParts)
}

// renderParts writes v's subject and brief, and the bodies of parts.
func renderParts(v *view, parts part) (*rendered, error) {
	subject := oneLine(v.Subject)
	if v.Audience == toBot { // a bot shows the subject as a Markdown heading
		subject = markdownSafe(subject)
	}
	r := &rendered{v: v, Subject: "[" + v.Number + "] " + v.Headline + phrase(v.Lang, "notify.colon") + subject}
	if !v.Redacted {
		for _, s := range []string{v.Lead, v.Comment, v.Reason, v.Solution} {
			if s != "" {
				r.Brief = clip(oneLine(s), 300)
				break
			}
		}
	}
	return r, r.fill(parts)
}

// fill renders the bodies of parts not rendered yet.
func (r *rendered) fill(parts part) error {
	return r.fillFrom(templateSets(), parts)
}

func (r *rendered) fillFrom(sets map[string]*templateSet, parts part) error {
	parts &^= r.done
	if parts == 0 {
		return nil
	}
	set := sets[r.v.Lang]
	if set == nil {
		set = sets[i18n.ZH]
	}
	var b bytes.Buffer
	if parts&textPart != 0 {
		if err := set.text.Execute(&b, r.v); err != nil {
			return err
		}
		r.Text = tidy(b.String())
		b.Reset()
	}
	if parts&markdownPart != 0 {
		if err := set.markdown.Execute(&b, r.v); err != nil {
			return err
		}
		r.Markdown = tidy(b.String())
		b.Reset()
	}
	if parts&htmlPart != 0 {
		if err := set.html.Execute(&b, r.v); err != nil {
			return err
		}
		r.HTML = b.String()
	}
	r.done |= parts
	return nil
}

// tidy trims the blank lines and trailing spaces conditional template sections leave behind, but
// not the space of the signature separator "-- ". Empty text stays empty.
func tidy(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	out := lines[:0]
	for i, l := range lines {
		if l != "-- " {
			l = strings.TrimRight(l, " \t")
		}
		if l == "" && i > 0 && out[len(out)-1] == "" {
			continue
		}
		out = append(out, l)
	}
	if len(out) == 1 && out[0] == "" {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
}

// oneLine folds line breaks into spaces: subjects and titles are single lines.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// clip shortens s to at most n runes, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// markdownSafe keeps text a reader wrote from becoming Markdown or HTML in a chat bot: no links,
// tags or code spans can be made of it, it stays on its line (a Markdown quote), and long text is cut.
var markdownReplacer = strings.NewReplacer("[", "［", "]", "］", "<", "＜", ">", "＞", "`", "'", "\r", "")

func markdownSafe(s string) string {
	return clip(oneLine(markdownReplacer.Replace(s)), 300)
}
