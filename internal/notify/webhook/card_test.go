package webhook

import (
	"strings"
	"testing"
	"unicode/utf8"

	"opsdesk/internal/notify"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly", 7, "exactly"},
		{"abcdefgh", 7, "abcd…"},
		{"工单工单", 9, "工单…"}, // 12 bytes into 9: two runes and the 3-byte ellipsis
		{"工单工单", 8, "工…"},  // the cut would split 单, so it backs off to 工
		{"a😀b", 5, "a…"},   // never half an emoji
		{"abcdef", 2, ""},  // no room even for the ellipsis
		{"", 0, ""},
	}
	for _, tc := range tests {
		got := truncate(tc.s, tc.n)
		if got != tc.want || len(got) > tc.n || !utf8.ValidString(got) {
			t.Errorf("truncate(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}

func TestCard_KeepsTitleAndLinkWhenTextIsCut(t *testing.T) {
	m := &notify.Message{Subject: "标题\n第二行", Text: strings.Repeat("长", 100), Link: "https://x/t/1"}
	got := newCard(nil, m).markdown("## ", 100)
	want := "## 标题 第二行\n\n" + strings.Repeat("长", 15) + "…\n\n[查看工单](https://x/t/1)"
	if got != want || len(got) > 100 {
		t.Errorf("markdown =\n%q (%d bytes)\nwant\n%q", got, len(got), want)
	}
	// No text and no link: just the title.
	if got := newCard(nil, &notify.Message{Subject: "只有标题"}).markdown("### ", 100); got != "### 只有标题" {
		t.Errorf("markdown = %q", got)
	}
	// A link too long for the limit: everything is cut from the end, still valid UTF-8.
	m.Link = "https://x/" + strings.Repeat("p", 200)
	if got := newCard(nil, m).markdown("### ", 100); len(got) > 100 || !utf8.ValidString(got) || !strings.HasPrefix(got, "### 标题") {
		t.Errorf("markdown = %q (%d bytes)", got, len(got))
	}
}
