package mailin_test

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"opsdesk/internal/mailin"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// TestChineseCharsets: bodies in GBK, GB18030 and Big5, and subjects and names as RFC 2047 words
// in them, come out as the exact text the sender wrote; an unknown charset is noted, not fatal.
func TestChineseCharsets(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		box := startIMAP(t, mailin.TLSNone)
		e.addMailbox(box)
		gbk, gb18030, big5 := simplifiedchinese.GBK, simplifiedchinese.GB18030, traditionalchinese.Big5
		cases := []struct {
			name                   string
			raw                    []byte
			subject, body, contact string
		}{
			{"GBK body, GB2312 and GBK subject", msg(encodedWord("GBK", gbk, "李雷")+" <lilei@partner.com>", "",
				"", rawSubject(encodedWord("GB2312", gbk, "财务系统")+" "+encodedWord("GBK", gbk, "登录失败")),
				encodedBody("GBK", gbk, "您好：\n财务系统提示“用户名或密码错误”，请协助处理。")),
				"财务系统登录失败", "您好：\n财务系统提示“用户名或密码错误”，请协助处理。", "李雷"},
			{"GB18030 body and subject", msg("韩梅梅 <hanmeimei@partner.com>", "", "",
				rawSubject(encodedWord("GB18030", gb18030, "申请开通𠀾号邮箱")),
				encodedBody("GB18030", gb18030, "部门：财务部\n姓名：韩梅梅（㐀）")),
				"申请开通𠀾号邮箱", "部门：财务部\n姓名：韩梅梅（㐀）", "韩梅梅"},
			{"Big5 body and subject", msg(encodedWord("Big5", big5, "陳大文")+" <chan@partner.hk>", "", "",
				rawSubject(encodedWord("Big5", big5, "網絡連線中斷")),
				encodedBody("Big5", big5, "請盡快處理，謝謝。")),
				"網絡連線中斷", "請盡快處理，謝謝。", "陳大文"},
			{"raw 8-bit GBK subject", msg("zhou@partner.com", "", "", rawSubject(mustEncode(gbk, "显示器黑屏")),
				encodedBody("gb2312", gbk, "开机后黑屏")), "显示器黑屏", "开机后黑屏", "zhou@partner.com"},
		}
		for _, tc := range cases {
			e.poll(box, tc.raw)
			m := e.last()
			if m.Outcome != mailin.OutTicket {
				t.Fatalf("%s: mail %+v", tc.name, m)
			}
			tk := e.ticket(m.TicketID)
			if tk.Subject != tc.subject || tk.Description != tc.body || tk.ContactName != tc.contact || m.Subject != tc.subject {
				t.Errorf("%s:\nsubject %q want %q\nbody %q want %q\ncontact %q want %q", tc.name, tk.Subject, tc.subject,
					tk.Description, tc.body, tk.ContactName, tc.contact)
			}
		}

		// An unknown charset: the ticket is made with the best-effort text and the record says why.
		e.poll(box, msg("x@partner.com", "odd charset", "", header("Content-Type", "text/plain; charset=x-martian"),
			func(l *letter) { l.body = []byte("plain words") }))
		m := e.last()
		if m.Outcome != mailin.OutTicket || !strings.Contains(m.Reason, "charset") || e.ticket(m.TicketID).Description != "plain words" {
			t.Fatalf("unknown charset: %+v", m)
		}
	})
}

func mustEncode(enc encoding.Encoding, s string) string {
	b, err := enc.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return b
}
