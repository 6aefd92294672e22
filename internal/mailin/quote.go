package mailin

import (
	"regexp"
	"strings"
)

// The quoted history of a reply: everything from the first line that opens it is dropped, and so
// are ">" lines. The openers are those of the mail clients used in Chinese offices as well as the
// usual English ones: Outlook ("-----Original Message-----", "-----原始邮件-----", a "发件人:" /
// "From:" block), Gmail and Apple Mail ("On … wrote:"), Foxmail, QQ and NetEase mail ("在 … 写道：",
// "------------------ 原始邮件 ------------------").
var (
	quoteOpeners = []*regexp.Regexp{
		regexp.MustCompile(`(?i)^-{2,}\s*(original message|原始邮件|原邮件|转发邮件|forwarded message)\s*-{2,}\s*$`),
		regexp.MustCompile(`^\s*在.{0,200}写道[:：]\s*$`),
		regexp.MustCompile(`^\s*(发件人|寄件者|发件人：)\s*[:：]`),
		regexp.MustCompile(`(?i)^\s*On\b.{0,300}\bwrote:\s*$`),
	}
	// outlookFrom is Outlook's English header block: "From:" followed by "Sent:" or "Date:".
	outlookFrom = regexp.MustCompile(`(?i)^\s*From:\s*\S`)
	outlookNext = regexp.MustCompile(`(?i)^\s*(Sent|Date|To|Subject):\s*`)
	// onStart is the first line of an "On … wrote:" that the client wrapped over two lines.
	onStart = regexp.MustCompile(`(?i)^\s*On\s.{0,300}$`)
	wrote   = regexp.MustCompile(`(?i)^.{0,200}\bwrote:\s*$`)
)

// stripQuoted returns the new words of a reply: the text before the quoted history, without
// ">" lines and trailing blank lines.
func stripQuoted(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if opensQuote(lines, i) {
			break
		}
		if strings.HasPrefix(strings.TrimLeft(l, " \t"), ">") {
			continue
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

func opensQuote(lines []string, i int) bool {
	l := lines[i]
	for _, re := range quoteOpeners {
		if re.MatchString(l) {
			return true
		}
	}
	next := ""
	if i+1 < len(lines) {
		next = lines[i+1]
	}
	if outlookFrom.MatchString(l) && outlookNext.MatchString(next) {
		return true
	}
	return onStart.MatchString(l) && !strings.Contains(l, "wrote:") && wrote.MatchString(next)
}
