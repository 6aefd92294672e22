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

// templateSets parses the embedded templates once per language. A template that does not parse
// is a build error, so it panics (a test parses them).
var templateSets = sync.OnceValue(func() map[string]*templateSet {
	out := map[string]*templateSet{}
	for _, lang := range Langs {
		funcs := map[string]any{
			"t":  func(key string) string { return catalog().T(lang, key) },
			"md": markdownSafe,
		}
		out[lang] = &templateSet{
			text:     template.Must(template.New("text.tmpl").Funcs(funcs).ParseFS(templateFS, "templates/text.tmpl")),
			markdown: template.Must(template.New("markdown.tmpl").Funcs(funcs).ParseFS(templateFS, "templates/markdown.tmpl")),
			html:     htmltemplate.Must(htmltemplate.New("html.tmpl").Funcs(funcs).ParseFS(templateFS, "templates/html.tmpl")),
		}
	}
	return out
})

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

// rendered is the text of one message.
type rendered struct {
	Subject  string // "[INC-2026-000123] headline: subject"
	Text     string // plain text: e-mail body, webhook text
	Markdown string // bot message
	HTML     string // e-mail body
	Brief    string // the in-app entry's body
}

// render writes v in its language with every template.
func render(v *view) (*rendered, error) {
	set := templateSets()[v.Lang]
	if set == nil {
		set = templateSets()[i18n.ZH]
	}
	subject := oneLine(v.Subject)
	if v.Audience == toBot { // a bot shows the subject as a Markdown heading
		subject = markdownSafe(subject)
	}
	r := &rendered{Subject: "[" + v.Number + "] " + v.Headline + catalog().T(v.Lang, "notify.colon") + subject}
	var b bytes.Buffer
	if err := set.text.Execute(&b, v); err != nil {
		return nil, err
	}
	r.Text = tidy(b.String())
	b.Reset()
	if err := set.markdown.Execute(&b, v); err != nil {
		return nil, err
	}
	r.Markdown = tidy(b.String())
	b.Reset()
	if err := set.html.Execute(&b, v); err != nil {
		return nil, err
	}
	r.HTML = b.String()
	if !v.Redacted {
		for _, s := range []string{v.Lead, v.Comment, v.Reason, v.Solution} {
			if s != "" {
				r.Brief = clip(oneLine(s), 300)
				break
			}
		}
	}
	return r, nil
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
