package mailin

import (
	"strings"
	"testing"

	"opsdesk/internal/notify/email"
)

func TestStripQuoted(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"gmail", "Thanks, it works now.\n\nOn Mon, Nov 23, 2026 at 9:00 AM Service Desk <sd@corp.cn> wrote:\n> Please try again.\n", "Thanks, it works now."},
		{"gmail wrapped", "OK\n\nOn Mon, Nov 23, 2026 at 9:00 AM Service Desk <servicedesk@corp.cn>\nwrote:\n> text", "OK"},
		{"outlook", "已重启，恢复正常。\n\n-----Original Message-----\nFrom: 服务台\nSent: Monday\n", "已重启，恢复正常。"},
		{"outlook zh", "收到\n\n-----原始邮件-----\n发件人: 服务台", "收到"},
		{"qq", "好的\n------------------ 原始邮件 ------------------\n发件人: \"服务台\"", "好的"},
		{"foxmail", "谢谢！\n\n在 2026-11-23 09:00:00，\"服务台\" <sd@corp.cn> 写道：\n> 您好", "谢谢！"},
		{"outlook header block zh", "问题依旧\n\n发件人: 服务台 <sd@corp.cn>\n发送时间: 2026年11月23日 9:00\n收件人: 张三", "问题依旧"},
		{"outlook header block en", "Still broken\n\nFrom: Service Desk <sd@corp.cn>\nSent: Monday, November 23, 2026 9:00 AM\nTo: Zhang", "Still broken"},
		{"inline quote lines", "> earlier words\nmy answer\n> more quoted\nsecond line", "my answer\nsecond line"},
		{"from in prose stays", "From: here on it works\nthanks", "From: here on it works\nthanks"},
		{"nothing quoted", "第一行\n第二行", "第一行\n第二行"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := stripQuoted(tc.in); got != tc.want {
				t.Errorf("stripQuoted = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestTicketNumbers(t *testing.T) {
	subjects := map[string]string{
		"Re: [INC-2026-000123] 打印机":        "INC-2026-000123",
		"回复：[req-2026-000004] 申请账号":        "REQ-2026-000004",
		"答复: [CON-2025-001234]":            "CON-2025-001234",
		"[CMP-2026-000001] complaint":      "CMP-2026-000001",
		"INC-2026-000123 without brackets": "",
		"[XYZ-2026-000123]":                "",
		"[INC-26-000123]":                  "",
	}
	for in, want := range subjects {
		if got := numberInSubject(in); got != want {
			t.Errorf("numberInSubject(%q) = %q, want %q", in, got, want)
		}
	}
	tags := map[string]string{
		"servicedesk+inc-2026-000123@corp.cn": "INC-2026-000123",
		"desk+REQ-2026-000002@corp.cn":        "REQ-2026-000002",
		"desk+INC-2026-000123x@corp.cn":       "",
		"desk@corp.cn":                        "",
		"desk+other@corp.cn":                  "",
	}
	for in, want := range tags {
		if got := numberInTag([]string{in}); got != want {
			t.Errorf("numberInTag(%q) = %q, want %q", in, got, want)
		}
	}
	// A reference as go-message gives it (brackets gone) reads back to the outbox key.
	if k := email.KeyFromMessageID("k-20261123-abc@corp.cn"); k != "k-20261123-abc" {
		t.Errorf("key = %q", k)
	}
	if k := email.KeyFromMessageID("no-at-sign"); k != "" {
		t.Errorf("key without @ = %q", k)
	}
}

func TestRulesByHeader(t *testing.T) {
	mk := func(header string) *parsed {
		p, err := parse([]byte(header + "From: Someone <someone@corp.cn>\r\nSubject: x\r\n\r\nbody\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name, header string
		want         Outcome
	}{
		{"plain", "", ""},
		{"auto-submitted no", "Auto-Submitted: no\r\n", ""},
		{"out of office", "Auto-Submitted: auto-replied\r\n", OutAutoReply},
		{"precedence bulk", "Precedence: bulk\r\n", OutAutoReply},
		{"precedence list", "Precedence: list\r\n", OutAutoReply},
		{"x-autoreply", "X-Autoreply: yes\r\n", OutAutoReply},
		{"x-autorespond", "X-Autorespond: on\r\n", OutAutoReply},
		{"x-auto-response-suppress", "X-Auto-Response-Suppress: All\r\n", OutAutoReply},
		{"null return path", "Return-Path: <>\r\n", OutBounce},
		{"our key", "X-Opsdesk-Key: k-1\r\n", OutLoop},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := mk(tc.header)
			got := Outcome("")
			for _, rule := range []func() (Outcome, string){
				func() (Outcome, string) { return loopOf(p, "servicedesk@corp.cn") },
				func() (Outcome, string) { return bounceOf(p) },
				func() (Outcome, string) { return autoOf(p) },
			} {
				if o, _ := rule(); o != "" && got == "" {
					got = o
				}
			}
			if got != tc.want {
				t.Errorf("outcome %q, want %q", got, tc.want)
			}
		})
	}
	for _, from := range []string{"MAILER-DAEMON@mx.corp.cn", "postmaster@corp.cn"} {
		p, err := parse([]byte("From: " + from + "\r\nSubject: Undeliverable\r\n\r\nx\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		if o, _ := bounceOf(p); o != OutBounce {
			t.Errorf("%s: %q", from, o)
		}
	}
	p, _ := parse([]byte("From: Desk <ServiceDesk@corp.cn>\r\n\r\nx"))
	if o, _ := loopOf(p, "servicedesk@corp.cn"); o != OutLoop {
		t.Errorf("own address: %q", o)
	}
}

func TestHTMLText(t *testing.T) {
	in := `<html><head><style>p{color:red}</style></head><body><p>您好，</p><p>VPN 连不上&nbsp;&amp; 报错 <b>809</b>。</p>` +
		`<div>谢谢<br>张三</div><blockquote><p>之前的邮件</p></blockquote><script>alert(1)</script></body></html>`
	got := htmlText(in)
	want := "您好，\n\nVPN 连不上 & 报错 809 。\n\n谢谢\n张三\n\n> 之前的邮件"
	if got != want {
		t.Errorf("htmlText =\n%q\nwant\n%q", got, want)
	}
	if s := stripQuoted(got); strings.Contains(s, "之前的邮件") {
		t.Errorf("quoted HTML block kept: %q", s)
	}
}

func TestParseNeverFailsOnCharsets(t *testing.T) {
	raw := "From: a@b.cn\r\nSubject: =?x-unknown?B?5L2g5aW9?=\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\nhello \xff\xfe world\r\n"
	p, err := parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.notes) == 0 || !strings.Contains(strings.Join(p.notes, ";"), "charset") {
		t.Errorf("no note of the unknown charset: %v", p.notes)
	}
	if !strings.HasPrefix(p.text, "hello") || !strings.HasSuffix(p.text, "world") {
		t.Errorf("best-effort text %q", p.text)
	}
	if _, err := parse([]byte("this is not a mail header\r\nat all\r\n\r\n")); err == nil {
		t.Error("a message without a header parsed")
	}
}

// Some mailers encode the whole From header, address included, as one encoded word: the sender is
// still found (Python's email package does this for a non-ASCII name given as a plain string).
func TestFromAsOneEncodedWord(t *testing.T) {
	raw := "From: =?utf-8?b?5p2O5ZubIDxsaXNpQHBhcnRuZXIuZXhhbXBsZS5jbj4=?=\r\nSubject: =?gbk?b?yP3CpbTy06G7+rnK1c8=?=\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nhi\r\n"
	p, err := parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if p.from != "lisi@partner.example.cn" || p.fromName != "李四" || p.subject != "三楼打印机故障" {
		t.Fatalf("from %q name %q subject %q", p.from, p.fromName, p.subject)
	}
	if _, err := parse([]byte("From: =?utf-8?b?bm90IGFuIGFkZHJlc3M=?=\r\n\r\nhi\r\n")); err == nil {
		t.Error("an encoded From without an address parsed")
	}
}

// Labels outside the IANA and WHATWG indexes that Chinese mailers write still decode.
func TestChineseCharsetAliases(t *testing.T) {
	for label, enc := range map[string]string{
		"big5_tw": "=?big5_tw?b?VlBOILVMqmuzc711?=", "cp950": "=?cp950?b?VlBOILVMqmuzc711?=",
		"cp936": "=?cp936?b?VlBOIM7et6jBrL3T?=", "x-gbk": "=?x-gbk?b?VlBOIM7et6jBrL3T?=",
	} {
		raw := "From: a@b.cn\r\nSubject: " + enc + "\r\n\r\nhi\r\n"
		p, err := parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		want := "VPN 無法連線"
		if label == "cp936" || label == "x-gbk" {
			want = "VPN 无法连接"
		}
		if p.subject != want {
			t.Errorf("%s: subject %q, want %q (notes %v)", label, p.subject, want, p.notes)
		}
	}
}
