package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"opsdesk/internal/actor"
	"opsdesk/internal/notify"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

func TestNoticeJourney(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		b := newBench(t, db)
		tk := b.create(t, "财务系统无法登录", nil)

		// Opening: the requester's acknowledgement and the engineer's new ticket, once each (the
		// dispatch that came with the creation adds nothing); the agent who acted hears nothing.
		want := []string{
			"ticket.created email requester", "ticket.created email engineer",
			"ticket.created wecom wecom", "ticket.created webhook hook",
		}
		if diff := cmp.Diff(want, summary(b.outbox(t), b)); diff != "" {
			t.Fatalf("outbox after creation mismatch (-want +got):\n%s", diff)
		}
		req := b.inbox(t, "requester")
		if len(req) != 1 || req[0].Event != notify.TicketCreated || req[0].TicketID != tk.ID ||
			req[0].Title != "[INC-2026-000001] 您的请求已受理：财务系统无法登录" ||
			req[0].Link != "/my/tickets/"+strconv.FormatInt(tk.ID, 10) || !strings.Contains(req[0].Body, "INC-2026-000001") {
			t.Fatalf("requester's inbox: %+v", req)
		}
		if eng := b.inbox(t, "engineer"); len(eng) != 1 || eng[0].Title != "[INC-2026-000001] New ticket: 财务系统无法登录" ||
			eng[0].Link != "/tickets/"+strconv.FormatInt(tk.ID, 10) {
			t.Fatalf("engineer's inbox (English): %+v", eng)
		}
		for _, who := range []string{"agent", "engineer2", "manager", "other"} {
			if ns := b.inbox(t, who); len(ns) != 0 {
				t.Fatalf("%s was told: %v", who, events(ns))
			}
		}
		if b.woken.Load() == 0 {
			t.Fatal("the sender was not woken")
		}
		ms := b.outbox(t)
		mail := ms[0]
		if mail.ChannelID != b.mail.ID || mail.UserID != b.id("requester") || mail.Ref != "INC-2026-000001" ||
			mail.Link != baseURL+"/my/tickets/"+strconv.FormatInt(tk.ID, 10) || len(mail.Key) != 32 ||
			mail.Status != notify.Pending || !strings.Contains(mail.HTML, "财务系统无法登录") ||
			!strings.Contains(mail.Text, "请直接回复本邮件") {
			t.Fatalf("requester's e-mail: %+v", mail)
		}
		if ms[1].Key == mail.Key {
			t.Fatal("two messages share an idempotency key")
		}
		var p struct {
			Event  string `json:"event"`
			Key    string `json:"key"`
			Ticket struct {
				ID                                      int64
				Number, Subject, Status, Priority, Link string
			} `json:"ticket"`
			At   string `json:"at"`
			Text string `json:"text"`
		}
		hook := ms[3]
		if err := json.Unmarshal([]byte(hook.Payload), &p); err != nil {
			t.Fatal(err)
		}
		if p.Event != "ticket.created" || p.Key != hook.Key || p.Ticket.ID != tk.ID || p.Ticket.Number != tk.Number ||
			p.Ticket.Subject != tk.Subject || p.Ticket.Priority != "P2" || p.Ticket.Status != "assigned" ||
			p.Ticket.Link != baseURL+"/tickets/"+strconv.FormatInt(tk.ID, 10) || p.At == "" || !strings.Contains(p.Text, "New ticket") {
			t.Fatalf("webhook payload: %s", hook.Payload)
		}
		if bot := ms[2]; bot.Subject != "[INC-2026-000001] 新工单：财务系统无法登录" || !strings.Contains(bot.Text, "> 处理人：N-engineer") ||
			bot.Link != baseURL+"/tickets/"+strconv.FormatInt(tk.ID, 10) || bot.UserID != 0 || bot.To != "" {
			t.Fatalf("bot message: %+v", bot)
		}

		// Reassignment: the new engineer; the owner is the agent who acted; the old one is not told.
		n := len(b.outbox(t))
		tk, err := b.desk.Assign(b.as("agent"), tk.ID, tk.Version, b.group, b.id("engineer2"), "换人处理")
		if err != nil {
			t.Fatal(err)
		}
		want = []string{"ticket.assigned email engineer2", "ticket.assigned wecom wecom"}
		if diff := cmp.Diff(want, summary(b.outbox(t)[n:], b)); diff != "" {
			t.Fatalf("outbox after assignment mismatch (-want +got):\n%s", diff)
		}
		if ns := b.inbox(t, "engineer2"); len(ns) != 1 || !strings.Contains(ns[0].Body, "换人处理") {
			t.Fatalf("engineer2's inbox: %+v", ns)
		}

		// Staff reply: the requester; the requester's reply: the engineer and the owner.
		n = len(b.outbox(t))
		if _, err := b.desk.Comment(b.as("engineer2"), tk.ID, "请重启电脑后再试", false, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := b.desk.Comment(b.as("engineer2"), tk.ID, "内部：怀疑是 AD 同步", true, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := b.desk.Comment(b.as("requester"), tk.ID, "重启后还是不行", false, 0); err != nil {
			t.Fatal(err)
		}
		want = []string{"ticket.commented email requester", "ticket.commented wecom wecom",
			"ticket.commented email engineer2", "ticket.commented email agent", "ticket.commented wecom wecom"}
		if diff := cmp.Diff(want, summary(b.outbox(t)[n:], b)); diff != "" {
			t.Fatalf("outbox after replies mismatch (-want +got):\n%s", diff)
		}
		req = b.inbox(t, "requester")
		if last := req[len(req)-1]; last.Title != "[INC-2026-000001] 服务台回复了您的请求：财务系统无法登录" || last.Body != "请重启电脑后再试" {
			t.Fatalf("requester's reply notice: %+v", last)
		}
		for _, m := range b.outbox(t) {
			if strings.Contains(m.Text+m.HTML+m.Payload, "AD 同步") {
				t.Fatalf("an internal note went out: %+v", m)
			}
		}

		// Resolution: the requester is told, then asked for the survey with the one-time link.
		n = len(b.outbox(t))
		tk, _ = b.desk.Get(b.as("engineer2"), tk.ID) // the replies moved the version on
		tk, err = b.desk.Resolve(b.as("engineer2"), tk.ID, tk.Version, ticket.Resolution{Cause: "账号锁定", Solution: "已解锁"})
		if err != nil {
			t.Fatal(err)
		}
		// The resolution first, then the survey that asks about it.
		want = []string{"ticket.resolved email requester", "ticket.resolved wecom wecom", "ticket.resolved webhook hook",
			"ticket.survey email requester", "ticket.survey wecom wecom"}
		if diff := cmp.Diff(want, summary(b.outbox(t)[n:], b)); diff != "" {
			t.Fatalf("outbox after resolution mismatch (-want +got):\n%s", diff)
		}
		survey := b.outbox(t)[n+3]
		if !strings.Contains(survey.Text, baseURL+"/survey/") || !strings.Contains(survey.HTML, baseURL+"/survey/") {
			t.Fatalf("survey e-mail without its link: %s", survey.Text)
		}
		if bot := b.outbox(t)[n+4]; strings.Contains(bot.Text, "/survey/") {
			t.Fatalf("the survey link went to a bot: %s", bot.Text)
		}
		if resolved := b.outbox(t)[n]; !strings.Contains(resolved.Text, "已解锁") {
			t.Fatalf("resolution e-mail without the solution: %s", resolved.Text)
		}
		token := survey.Text[strings.Index(survey.Text, "/survey/")+len("/survey/"):]
		token = strings.Fields(token)[0]
		if got, _, err := b.desk.SurveyTicket(context.Background(), token); err != nil || got.ID != tk.ID {
			t.Fatalf("the e-mailed survey link does not open the survey: %v", err)
		}
		// Administrators reading the outbox do not see the secret, so they cannot answer in the requester's place.
		listed, err := b.n.Outbox(b.as("admin"), "", 500)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range listed {
			if strings.Contains(m.Text+m.HTML+m.Payload, token) {
				t.Fatalf("the outbox shows the survey secret: %s", m.Text)
			}
		}
		ns := b.inbox(t, "requester")
		if got := events(ns)[len(ns)-2:]; got[0] != string(notify.TicketResolved) || got[1] != string(notify.SurveyRequested) {
			t.Fatalf("requester's last notices: %v", got)
		}
		if sv := ns[len(ns)-1]; strings.Contains(sv.Link+sv.Body, token) || sv.Link != "/my/tickets/"+strconv.FormatInt(tk.ID, 10) {
			t.Fatalf("the survey token is kept in the inbox: %+v", sv)
		}
	})
}

func TestNoticeUrgeEscalateSLA(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		b := newBench(t, db)
		tk := b.create(t, "打印机卡纸", nil)
		n := len(b.outbox(t))
		if _, err := b.desk.Urge(b.as("requester"), tk.ID, "很急"); err != nil {
			t.Fatal(err)
		}
		want := []string{"ticket.urged email engineer", "ticket.urged email agent", "ticket.urged wecom wecom"}
		if diff := cmp.Diff(want, summary(b.outbox(t)[n:], b)); diff != "" {
			t.Fatalf("urge mismatch (-want +got):\n%s", diff)
		}
		n = len(b.outbox(t))
		if _, err := b.desk.ReportUp(b.as("engineer"), tk.ID, "需要协调厂商"); err != nil {
			t.Fatal(err)
		}
		want = []string{"ticket.escalated email agent", "ticket.escalated email manager", "ticket.escalated wecom wecom"}
		if diff := cmp.Diff(want, summary(b.outbox(t)[n:], b)); diff != "" {
			t.Fatalf("report-up mismatch (-want +got):\n%s", diff)
		}
		// An SLA breach found by the background job (no one acted): assignee, owner, group manager.
		n = len(b.outbox(t))
		tk, _ = b.desk.Get(b.as("agent"), tk.ID)
		ctx := actor.NewContext(context.Background(), actor.System(actor.SourceJob))
		err := db.InTx(ctx, func(ctx context.Context) error {
			return b.n.Notice(ctx, tk, ticket.Notice{Event: ticket.Event{TicketID: tk.ID, Kind: ticket.EvSLABreach,
				Reason: "resolution due 2026-11-23 17:00; reassign: the group is gone", At: b.now}})
		})
		if err != nil {
			t.Fatal(err)
		}
		want = []string{"sla.breach email engineer", "sla.breach email agent", "sla.breach email manager", "sla.breach wecom wecom"}
		if diff := cmp.Diff(want, summary(b.outbox(t)[n:], b)); diff != "" {
			t.Fatalf("SLA breach mismatch (-want +got):\n%s", diff)
		}
		if m := b.outbox(t)[n+1]; !strings.Contains(m.Text, "解决时限 2026-11-23 17:00; reassign: the group is gone") {
			t.Fatalf("SLA reason not in the reader's words: %s", m.Text)
		}
		if m := b.outbox(t)[n]; !strings.Contains(m.Text, "Resolution due 2026-11-23 17:00") {
			t.Fatalf("SLA reason not in English for the engineer: %s", m.Text)
		}
	})
}

func TestNoticePreferences(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		b := newBench(t, db)
		err := b.n.SavePreferences(b.as("requester"), []*notify.Preference{{Event: notify.TicketCreated, Kind: notify.Email, Enabled: false}})
		if err != nil {
			t.Fatal(err)
		}
		// The user ID given is ignored: one sets only one's own preferences.
		err = b.n.SavePreferences(b.as("engineer"), []*notify.Preference{
			{UserID: b.id("requester"), Event: notify.TicketCreated, Kind: notify.InApp, Enabled: false}})
		if err != nil {
			t.Fatal(err)
		}
		b.create(t, "VPN 连不上", nil)
		want := []string{"ticket.created email engineer", "ticket.created wecom wecom", "ticket.created webhook hook"}
		if diff := cmp.Diff(want, summary(b.outbox(t), b)); diff != "" {
			t.Fatalf("outbox mismatch (-want +got):\n%s", diff)
		}
		if len(b.inbox(t, "requester")) != 1 || len(b.inbox(t, "engineer")) != 0 {
			t.Fatal("in-app preferences not followed")
		}
		ps, err := b.n.Preferences(b.as("engineer"))
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != len(notify.Events)*2 {
			t.Fatalf("%d preferences, want the full matrix", len(ps))
		}
		for _, p := range ps {
			off := p.Event == notify.TicketCreated && p.Kind == notify.InApp
			if p.Enabled == off || p.UserID != b.id("engineer") {
				t.Errorf("preference %+v", p)
			}
		}
		// Bad input saves nothing, not even the good entries beside it.
		err = b.n.SavePreferences(b.as("engineer"), []*notify.Preference{
			{Event: notify.TicketResolved, Kind: notify.Email}, {Event: "ticket.nope", Kind: notify.Email}})
		if k := errKind(err); k != "invalid" {
			t.Fatalf("unknown event: %v", err)
		}
		err = b.n.SavePreferences(b.as("engineer"), []*notify.Preference{{Event: notify.TicketResolved, Kind: notify.WeCom}})
		if k := errKind(err); k != "invalid" {
			t.Fatalf("a bot is not a preference: %v", err)
		}
		ps, _ = b.n.Preferences(b.as("engineer"))
		for _, p := range ps {
			if p.Event == notify.TicketResolved && !p.Enabled {
				t.Fatal("a refused save changed a preference")
			}
		}
	})
}

func TestNoticeConfidential(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		b := newBench(t, db)
		tk := b.create(t, "高管邮箱被盗用", func(n *ticket.NewTicket) { n.Confidential = true })
		ms := b.outbox(t)
		want := []string{"ticket.created email requester", "ticket.created email engineer",
			"ticket.created wecom wecom", "ticket.created webhook hook"}
		if diff := cmp.Diff(want, summary(ms, b)); diff != "" {
			t.Fatalf("outbox mismatch (-want +got):\n%s", diff)
		}
		for _, m := range ms[2:] {
			all := m.Subject + m.Text + m.HTML + m.Payload
			if strings.Contains(all, "邮箱被盗") || strings.Contains(all, "描述") || strings.Contains(all, "P2") ||
				!strings.Contains(all, tk.Number) {
				t.Fatalf("a bot learnt more than the number: %+v", m)
			}
		}
		if ms[2].Subject != "["+tk.Number+"] 新工单：保密工单" || ms[2].Text != "" || !strings.Contains(ms[3].Payload, "Confidential ticket") {
			t.Fatalf("no neutral title: %q %q %q", ms[2].Subject, ms[2].Text, ms[3].Payload)
		}
		// The people named on it may read it.
		if !strings.Contains(ms[1].Subject, "高管邮箱被盗用") {
			t.Fatalf("the engineer's e-mail: %q", ms[1].Subject)
		}
		// While nobody holds it, its group's members are told that there is something, not what.
		held := *tk
		held.AssigneeID = 0
		n := len(b.outbox(t))
		err := db.InTx(b.as("requester"), func(ctx context.Context) error {
			return b.n.Notice(ctx, &held, ticket.Notice{Event: ticket.Event{TicketID: tk.ID, Kind: ticket.EvUrged,
				ActorID: b.id("requester"), Reason: "邮箱里有敏感邮件"}})
		})
		if err != nil {
			t.Fatal(err)
		}
		ms = b.outbox(t)[n:]
		want = []string{"ticket.urged email engineer", "ticket.urged email engineer2", "ticket.urged email agent", "ticket.urged wecom wecom"}
		if diff := cmp.Diff(want, summary(ms, b)); diff != "" {
			t.Fatalf("outbox mismatch (-want +got):\n%s", diff)
		}
		for i, m := range ms {
			leaks := strings.Contains(m.Subject+m.Text+m.HTML, "邮箱")
			if named := m.To == "agent@corp.cn"; leaks != named {
				t.Errorf("message %d to %s: leaks %v", i, m.To, leaks)
			}
		}
		if ns := b.inbox(t, "engineer2"); len(ns) != 1 || ns[0].Title != "["+tk.Number+"] 工单被催办：保密工单" || ns[0].Body != "" {
			t.Fatalf("a group member's inbox: %+v", ns)
		}
	})
}

func TestNoticeRollback(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		b := newBench(t, db)
		boom := errors.New("boom")
		err := db.InTx(b.as("agent"), func(ctx context.Context) error {
			b.createIn(ctx, t, "这张工单不会存在", nil)
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx: %v", err)
		}
		if ms := b.outbox(t); len(ms) != 0 {
			t.Fatalf("a rolled-back change left %d messages", len(ms))
		}
		for _, who := range []string{"requester", "engineer"} {
			if n, err := b.n.Unread(b.as(who)); err != nil || n != 0 {
				t.Fatalf("%s has %d notifications of a change that rolled back (%v)", who, n, err)
			}
		}
	})
}

func TestNoticeExternalRequester(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		b := newBench(t, db)
		tk := b.create(t, "外部来电：网站打不开", func(n *ticket.NewTicket) { n.RequesterID, n.ContactName = 0, "王先生" })
		// Mail intake fills the caller's address; the resolution goes there, by e-mail only.
		tk.ContactEmail = "wang@example.com"
		n := len(b.outbox(t))
		err := db.InTx(b.as("engineer"), func(ctx context.Context) error {
			return b.n.Notice(ctx, tk, ticket.Notice{Event: ticket.Event{TicketID: tk.ID, Kind: ticket.EvResolved,
				ActorID: b.id("engineer"), At: b.now}})
		})
		if err != nil {
			t.Fatal(err)
		}
		ms := b.outbox(t)[n:]
		want := []string{"ticket.resolved email wang@example.com", "ticket.resolved wecom wecom", "ticket.resolved webhook hook"}
		if diff := cmp.Diff(want, summary(ms, b)); diff != "" {
			t.Fatalf("outbox mismatch (-want +got):\n%s", diff)
		}
		if got := summary(ms, b); len(got) != 3 {
			t.Fatalf("outbox: %v", got)
		}
		if ms[0].UserID != 0 || ms[0].Link != "" || !strings.HasPrefix(ms[0].Subject, "["+tk.Number+"] ") {
			t.Fatalf("external e-mail: %+v", ms[0])
		}
		// Without an address there is no one to tell.
		tk.ContactEmail = ""
		n = len(b.outbox(t))
		err = db.InTx(b.as("engineer"), func(ctx context.Context) error {
			return b.n.Notice(ctx, tk, ticket.Notice{Event: ticket.Event{TicketID: tk.ID, Kind: ticket.EvResolved, ActorID: b.id("engineer")}})
		})
		if err != nil || len(b.outbox(t)) != n+2 {
			t.Fatalf("without an address: %v, %d new messages", err, len(b.outbox(t))-n)
		}
	})
}
