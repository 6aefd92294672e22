package mailin_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"opsdesk/internal/mailin"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// TestMailThatMakesNoTicket: automatic answers, bounces, loops, an enormous and a malformed mail
// are recorded with their outcome and reason, and make no ticket.
func TestMailThatMakesNoTicket(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		box := startIMAP(t, mailin.TLSNone)
		e.addMailbox(box)
		original := string(msg("servicedesk@corp.cn", "[INC-2026-000001] 已受理", "您的工单已受理"))
		huge := msg("zhang.san@corp.cn", "日志", strings.Repeat("很长的日志行 0123456789\n", 4000))
		cases := []struct {
			name   string
			raw    []byte
			want   mailin.Outcome
			reason string
		}{
			{"out of office", msg("zhang.san@corp.cn", "自动回复：不在办公室", "我在休假，11月30日回来。",
				header("Auto-Submitted", "auto-replied")), mailin.OutAutoReply, "Auto-Submitted: auto-replied"},
			{"exchange auto reply", msg("li.si@corp.cn", "Automatic reply: 打印机", "I am out of office.",
				header("X-Auto-Response-Suppress", "All")), mailin.OutAutoReply, "X-Auto-Response-Suppress"},
			{"bulk", msg("news@vendor.com", "产品通讯", "本月新品", header("Precedence", "bulk")), mailin.OutAutoReply, "Precedence: bulk"},
			{"DSN bounce", dsn(original), mailin.OutBounce, "delivery status notification"},
			{"null return path", msg("someone@partner.com", "Delivery failure", "x", header("Return-Path", "<>")),
				mailin.OutBounce, "Return-Path"},
			{"our own mail", msg("服务台 <servicedesk@corp.cn>", "[INC-2026-000001] 已受理", "您的工单已受理",
				header("X-Opsdesk-Key", "k-20261123-0002"), header("From", "relay@corp.cn")), mailin.OutLoop, "X-Opsdesk-Key"},
			{"from the desk's address", msg("ServiceDesk@corp.cn", "hello", "x"), mailin.OutLoop, "own address"},
			{"enormous", huge, mailin.OutRejected, "too large"},
			{"broken sender", []byte("From: <<@>> broken\r\nSubject: ?\r\n\r\nbody\r\n"), mailin.OutHeld, "unparseable"},
			{"no sender", []byte("Subject: who am I\r\n\r\nbody\r\n"), mailin.OutHeld, "no sender"},
			{"an address no ticket can hold", msg(strings.Repeat("a", 250)+"@partner.com", "地址太长", "x"), mailin.OutHeld, "could not be taken in"},
		}
		for _, tc := range cases {
			e.poll(box, tc.raw)
			m := e.last()
			if m.Outcome != tc.want || !strings.Contains(m.Reason, tc.reason) || m.TicketID != 0 {
				t.Errorf("%s: mail %+v, want %s with %q", tc.name, m, tc.want, tc.reason)
			}
		}
		if n := e.ticketCount(); n != 0 {
			t.Fatalf("%d tickets made", n)
		}

		// The enormous mail keeps only its header; an unparseable one keeps every byte.
		ms, _ := e.svc.Mails(e.admin(), mailin.MailFilter{Outcome: mailin.OutRejected})
		raw, err := e.svc.Raw(e.admin(), ms[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if ms[0].Size != len(huge) || !bytes.HasPrefix(huge, raw) || len(raw) > 2000 || !bytes.Contains(raw, []byte("Subject:")) {
			t.Fatalf("rejected mail: size %d, kept %d bytes", ms[0].Size, len(raw))
		}
		ms, _ = e.svc.Mails(e.admin(), mailin.MailFilter{Outcome: mailin.OutHeld})
		if raw, _ := e.svc.Raw(e.admin(), ms[len(ms)-1].ID); string(raw) != "From: <<@>> broken\r\nSubject: ?\r\n\r\nbody\r\n" {
			t.Fatalf("unparseable mail kept as %q", raw)
		}
		// An unparseable mail cannot be released; it can be discarded.
		if _, err := e.svc.Release(e.admin(), ms[len(ms)-1].ID); err == nil {
			t.Fatal("an unparseable mail was released")
		}
		if err := e.svc.Discard(e.admin(), ms[len(ms)-1].ID); err != nil {
			t.Fatal(err)
		}
		if m, _ := e.svc.Mails(e.admin(), mailin.MailFilter{Outcome: mailin.OutRejected}); len(m) != 2 {
			t.Fatalf("discarded mail not rejected: %d rejected", len(m))
		}
	})
}

// TestFloodIsALoop: the 21st mail from one sender within ten minutes is a loop.
func TestFloodIsALoop(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.addMailbox(nil)
		for i := range mailin.FloodLimit + 1 {
			m, err := e.svc.Deliver(context.Background(), e.mailbox.ID, msg("robot@monitor.corp.cn", fmt.Sprintf("告警 %d", i), "CPU 高"))
			if err != nil {
				t.Fatal(err)
			}
			want := mailin.OutTicket
			if i == mailin.FloodLimit {
				want = mailin.OutLoop
			}
			if m.Outcome != want {
				t.Fatalf("mail %d: %s (%s), want %s", i, m.Outcome, m.Reason, want)
			}
		}
		// Ten minutes on, the sender may write again.
		e.now = e.now.Add(11 * 60e9)
		if m, err := e.svc.Deliver(context.Background(), e.mailbox.ID, msg("robot@monitor.corp.cn", "告警", "CPU 高")); err != nil || m.Outcome != mailin.OutTicket {
			t.Fatalf("after the window: %+v %v", m, err)
		}
	})
}

// TestAttachments: a file within the limits is kept on the ticket (and on a reply's comment); a
// refused type and an oversized file are named in the text instead of failing the mail.
func TestAttachments(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		box := startIMAP(t, mailin.TLSNone)
		e.addMailbox(box)
		e.poll(box, msg("zhang.san@corp.cn", "报错截图", "", withFiles(t, "见附件截图。",
			file{"报错截图.png", "image/png", pngData},
			file{"setup.exe", "application/octet-stream", []byte("MZ\x90\x00 not really a program")},
			file{"big.log", "text/plain", bytes.Repeat([]byte("log line\n"), 1000)})))
		m := e.last()
		if m.Outcome != mailin.OutTicket {
			t.Fatalf("mail %+v", m)
		}
		tk := e.ticket(m.TicketID)
		atts, err := e.tickets.Files.Attachments(context.Background(), tk.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(atts) != 1 || atts[0].Name != "报错截图.png" || atts[0].ContentType != "image/png" || atts[0].Size != int64(len(pngData)) ||
			atts[0].UploaderID != e.users["zhang"].ID {
			t.Fatalf("attachments %+v", atts)
		}
		_, data, err := e.tickets.OpenAttachment(e.requester(), tk.ID, atts[0].ID)
		if err != nil || !bytes.Equal(data, pngData) {
			t.Fatalf("attachment content: %v", err)
		}
		for _, want := range []string{"见附件截图。", "附件未保存", "setup.exe", "不安全", "big.log", "文件过大"} {
			if !strings.Contains(tk.Description, want) {
				t.Errorf("description lacks %q:\n%s", want, tk.Description)
			}
		}

		// A reply's file goes on the reply.
		e.poll(box, msg("zhang.san@corp.cn", "Re: ["+tk.Number+"] 报错截图", "", withFiles(t, "再补一张。",
			file{"第二张.png", "image/png", pngData})))
		cs := e.comments(tk.ID)
		atts, _ = e.tickets.Files.Attachments(context.Background(), tk.ID, false)
		if len(cs) != 1 || cs[0].Body != "再补一张。" || len(atts) != 2 || atts[1].CommentID != cs[0].ID || atts[1].Name != "第二张.png" {
			t.Fatalf("reply with a file: comments %+v attachments %+v", cs, atts)
		}
	})
}
