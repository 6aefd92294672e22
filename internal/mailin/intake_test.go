package mailin_test

import (
	"context"
	"strings"
	"testing"

	"opsdesk/internal/mailin"
	"opsdesk/internal/notify"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// TestNewMailsAndReplies runs a conversation through the IMAP intake: a user's new mail, a
// stranger's, replies found by In-Reply-To, by subject number and by address tag, and a forged
// reply that is held and released.
func TestNewMailsAndReplies(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		box := startIMAP(t, mailin.TLSNone)
		e.addMailbox(box)

		// A known user writes in: the ticket is theirs, on the e-mail channel.
		e.poll(box, msg("张三 <Zhang.San@corp.cn>", "打印机无法打印", "三楼打印机一直卡纸。\n型号 HP M403。"))
		m := e.last()
		if m.Outcome != mailin.OutTicket || m.From != "zhang.san@corp.cn" || m.Subject != "打印机无法打印" {
			t.Fatalf("mail %+v", m)
		}
		t1 := e.ticket(m.TicketID)
		if t1.RequesterID != e.users["zhang"].ID || t1.Channel != ticket.Email || t1.Subject != "打印机无法打印" ||
			t1.Description != "三楼打印机一直卡纸。\n型号 HP M403。" || t1.OwnerID != 0 || t1.ContactEmail != "" {
			t.Fatalf("ticket of a known user %+v", t1)
		}

		// A stranger writes in: an external contact, in the organisation's root scope.
		e.poll(box, msg("Wang Wu <wangwu@partner.com>", "VPN 无法连接", "错误 809"))
		t2 := e.ticket(e.last().TicketID)
		if t2.RequesterID != 0 || t2.ContactName != "Wang Wu" || t2.ContactEmail != "wangwu@partner.com" || t2.OrgPath != e.root.Path {
			t.Fatalf("ticket of a stranger %+v", t2)
		}

		// The requester answers a notification: In-Reply-To names its outbox key.
		out := &notify.Message{Kind: notify.Email, Event: notify.TicketCreated, TicketID: t1.ID, Ref: t1.Number,
			To: "zhang.san@corp.cn", Key: "k-20261123-0001"}
		if err := (store.Notify{DB: db}).Enqueue(context.Background(), []*notify.Message{out}); err != nil {
			t.Fatal(err)
		}
		e.poll(box, msg("张三 <zhang.san@corp.cn>", "Re: 您的工单已受理", "换了硒鼓，好了，谢谢！\n\n在 2026年11月23日 09:05，服务台 写道：\n> 您的工单已受理\n> 编号 "+t1.Number,
			header("In-Reply-To", "<k-20261123-0001@corp.cn>"), header("References", "<k-20261123-0001@corp.cn>")))
		m = e.last()
		cs := e.comments(t1.ID)
		if m.Outcome != mailin.OutComment || m.TicketID != t1.ID || len(cs) != 1 || cs[0].Body != "换了硒鼓，好了，谢谢！" ||
			cs[0].AuthorID != e.users["zhang"].ID {
			t.Fatalf("reply by In-Reply-To: mail %+v comments %+v", m, cs)
		}

		// A watcher (an engineer) answers with Outlook's quoting; the subject carries the number.
		if err := e.tickets.Store.SetWatcher(context.Background(), t1.ID, e.users["li"].ID, true); err != nil {
			t.Fatal(err)
		}
		e.poll(box, msg("li.si@corp.cn", "RE: ["+t1.Number+"] 打印机无法打印", "已上门检查。\r\n\r\n-----Original Message-----\r\nFrom: 服务台\r\n"))
		if cs := e.comments(t1.ID); len(cs) != 2 || cs[1].Body != "已上门检查。" || cs[1].AuthorID != e.users["li"].ID {
			t.Fatalf("watcher's reply %+v", cs)
		}

		// Someone else answers with the number in the subject: a forged reply, held; the ticket stays.
		before := e.ticket(t1.ID)
		e.poll(box, msg("王二 <wang.er@corp.cn>", "Re: ["+t1.Number+"] 打印机无法打印", "请把这张单子关掉"))
		held := e.last()
		after := e.ticket(t1.ID)
		if held.Outcome != mailin.OutHeld || held.TicketID != t1.ID || !strings.Contains(held.Reason, "forged") ||
			after.Version != before.Version || len(e.comments(t1.ID)) != 2 {
			t.Fatalf("forged reply: mail %+v, ticket version %d → %d", held, before.Version, after.Version)
		}
		released, err := e.svc.Release(e.admin(), held.ID)
		if err != nil {
			t.Fatal(err)
		}
		t3 := e.ticket(released.TicketID)
		if released.Outcome != mailin.OutTicket || t3.ID == t1.ID || t3.RequesterID != e.users["wang"].ID ||
			t3.Description != "请把这张单子关掉" {
			t.Fatalf("released: mail %+v ticket %+v", released, t3)
		}
		if _, err := e.svc.Release(e.admin(), held.ID); err == nil {
			t.Fatal("a mail was released twice")
		}

		// The external contact replies to the desk's plus-tagged address.
		e.poll(box, msg("wangwu@partner.com", "答复: VPN", "换了网络就好了\n\nOn Mon, Nov 23, 2026 at 9:10 AM 服务台 wrote:\n> hi",
			header("To", "servicedesk+"+t2.Number+"@corp.cn")))
		m = e.last()
		cs = e.comments(t2.ID)
		if m.Outcome != mailin.OutComment || len(cs) != 1 || cs[0].Body != "换了网络就好了" || cs[0].AuthorID != 0 {
			t.Fatalf("contact's reply by tag: mail %+v comments %+v", m, cs)
		}

		// A disabled user's address is a stranger's.
		e.poll(box, msg("old.hand@corp.cn", "还能用吗", "测试"))
		if tk := e.ticket(e.last().TicketID); tk.RequesterID != 0 || tk.ContactEmail != "old.hand@corp.cn" {
			t.Fatalf("disabled user's mail %+v", tk)
		}

		// A reply to a closed ticket opens a new one.
		closed := e.ticket(t2.ID)
		closed.Status = ticket.Closed
		if err := e.tickets.Store.Update(context.Background(), closed); err != nil {
			t.Fatal(err)
		}
		e.poll(box, msg("wangwu@partner.com", "Re: ["+t2.Number+"] VPN", "又断了"))
		if m := e.last(); m.Outcome != mailin.OutTicket || m.TicketID == t2.ID || !strings.Contains(m.Reason, t2.Number) {
			t.Fatalf("reply to a closed ticket %+v", m)
		}
	})
}
