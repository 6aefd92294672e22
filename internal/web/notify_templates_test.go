package web

import (
	"strings"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/i18n"
	"opsdesk/internal/iam"
	"opsdesk/internal/mailin"
	"opsdesk/internal/notify"
)

// TestNotifyTemplatesFilled executes the notification and mail pages with typical data in both
// languages: every branch renders, user text is escaped, and no stored secret reaches the page.
func TestNotifyTemplatesFilled(t *testing.T) {
	h := testHandler(t)
	now := time.Now()
	a := &actor.Actor{UserID: 1, Name: "管理员", Roles: []string{"sysadmin"}, Perms: map[string]bool{notify.PermConfigure: true}}
	read := &notify.Notification{ID: 2, Event: notify.TicketResolved, Title: "已解决", Link: "http://127.0.0.1:8080/tickets/9", CreatedAt: now, ReadAt: now}
	unread := &notify.Notification{ID: 3, Event: notify.SLABreach, Title: "<script>x</script>", Body: "INC-1", Link: "/tickets/9", CreatedAt: now}
	wecom := &notify.Channel{ID: 4, Kind: notify.WeCom, Name: "值班群<b>", Enabled: true, Events: []notify.Event{notify.SLABreach}}
	mail := &notify.Channel{ID: 5, Kind: notify.Email, Name: "服务台邮箱", Config: map[string]string{"host": "smtp.corp.cn", "password": "s3cret-never-shown"}}
	for _, lang := range []string{i18n.ZH, i18n.EN} {
		b := basePage{Title: "web.inbox.title", Lang: lang, User: a, Nav: navFor(a), Path: "/admin/channels", Unread: 120,
			Error: "err.invalid", Errors: map[string]string{"url": "err.notify.url", "password": "err.required"}}
		pages := map[string]any{
			"inbox/list": &inboxPage{basePage: b, Rows: []inboxRow{{Notification: read, Lang: lang, Href: "/tickets/9"},
				{Notification: unread, Lang: lang, Href: "/tickets/9"}}},
			"profile/notifications": &notifyPrefsPage{basePage: b, Kinds: notify.PrefKinds, NoEmail: true,
				Rows: []notifyPrefRow{{Event: notify.TicketCreated, On: []bool{true, false}}}},
			"notify/channels": &notifyChannelsPage{basePage: b, Rows: []notifyChannelRow{{Channel: wecom, Group: "网络组", Dead: 2, Pending: 1},
				{Channel: mail}}},
			"notify/channel_form": &notifyChannelFormPage{basePage: b, IsNew: true, Kinds: notify.ChannelKinds, Events: notify.Events,
				Groups: []*iam.Group{{ID: 1, Name: "网络组"}}, TLSModes: []string{"starttls", "tls", "none"},
				Form:   notifyChannelForm{Kind: notify.DingTalk, Events: []string{"sla.breach"}, GroupID: 1},
				Fields: channelFields(notify.DingTalk, map[string]string{"url": "https://oapi.dingtalk.com/robot/send"}, map[string]string{"secret": notify.Masked})},
			"notify/outbox": &notifyOutboxPage{basePage: b, Status: notify.Dead, Statuses: notify.Statuses,
				Counts: map[notify.Status]int{notify.Dead: 1},
				Rows: []outboxRow{{Message: &notify.Message{ID: 7, Kind: notify.Email, Event: notify.TicketAssigned, To: "a@corp.cn",
					Status: notify.Dead, Attempts: 8, LastError: "550 mailbox unavailable", CreatedAt: now}}}},
			"notify/mailboxes": &mailboxesPage{basePage: b, SMTPListen: "0.0.0.0:2525", Mailboxes: []*mailin.Mailbox{{ID: 1, Name: "服务台",
				Host: "imap.corp.cn", Port: 993, TLS: "tls", LastError: "login failed", LastPolledAt: now, Enabled: true}}},
			"notify/mailbox_form": &mailboxFormPage{basePage: b, PasswordSet: true, TLSModes: mailboxTLS, Form: mailboxForm{ID: 1, TLS: "tls"}},
			"notify/mail": &mailPage{basePage: b, Outcomes: mailin.Outcomes, Names: map[int64]string{1: "服务台"}, CanTickets: true,
				Mails: []*mailin.Mail{{ID: 1, MailboxID: 1, From: "x@y.cn", Subject: "<b>打印机</b>", Outcome: mailin.OutHeld, TicketID: 3}}},
		}
		for name, data := range pages {
			out := execute(t, h, name, "layout", data)
			if strings.Contains(out, "<script>x") || strings.Contains(out, "<b>") {
				t.Errorf("%s: user text not escaped", name)
			}
			if strings.Contains(out, "s3cret") || strings.Contains(out, notify.Masked) {
				t.Errorf("%s: a secret reached the page", name)
			}
			if !strings.Contains(out, `class="count-badge"`) || !strings.Contains(out, "99+") {
				t.Errorf("%s: no unread badge in the header", name)
			}
		}
		inbox := execute(t, h, "inbox/list", "layout", pages["inbox/list"])
		if !strings.Contains(inbox, `hx-post="/inbox/3/open"`) || strings.Contains(inbox, `hx-post="/inbox/2/open"`) {
			t.Errorf("only the unread notification should mark itself read when opened")
		}
		form := execute(t, h, "notify/channel_form", "layout", pages["notify/channel_form"])
		for _, want := range []string{`name="url" type="url" value="https://oapi.dingtalk.com/robot/send"`, `name="secret" type="password" value=""`,
			`value="sla.breach" checked`, `option value="1" selected`} {
			if !strings.Contains(form, want) {
				t.Errorf("channel form lacks %s", want)
			}
		}
		outbox := execute(t, h, "notify/outbox", "layout", pages["notify/outbox"])
		if !strings.Contains(outbox, `action="/admin/outbox/7/retry"`) {
			t.Errorf("no retry button on a dead message")
		}
		mails := execute(t, h, "notify/mail", "layout", pages["notify/mail"])
		for _, want := range []string{`action="/admin/mail/1/release"`, `action="/admin/mail/1/discard"`, `href="/admin/mail/1/raw"`} {
			if !strings.Contains(mails, want) {
				t.Errorf("mail page lacks %s", want)
			}
		}
	}
	execute(t, h, "inbox/list", "inbox_read", inboxReadData{Row: inboxRow{Notification: read, Lang: i18n.ZH}, Lang: i18n.ZH, Unread: 0})
}

// TestNotifyDynamicKeys checks the message keys the notification pages build at run time.
func TestNotifyDynamicKeys(t *testing.T) {
	b := i18n.New()
	var keys []string
	for _, e := range notify.Events {
		keys = append(keys, "notify.event."+string(e))
	}
	for _, k := range notify.ChannelKinds {
		keys = append(keys, "notify.kind."+string(k))
	}
	for _, k := range notify.PrefKinds {
		keys = append(keys, "web.nprefs.kind."+string(k))
	}
	for _, s := range notify.Statuses {
		keys = append(keys, "notify.outbox."+string(s))
	}
	for _, m := range []string{notify.TLSStart, notify.TLSImplicit, notify.TLSNone} {
		keys = append(keys, "notify.tls."+m)
	}
	for _, m := range mailboxTLS {
		keys = append(keys, "web.mailbox.tls_"+m)
	}
	for _, o := range mailin.Outcomes {
		keys = append(keys, "web.mail.outcome."+string(o))
	}
	for _, fs := range notify.ConfigFields {
		for _, f := range fs {
			keys = append(keys, f.Label)
		}
	}
	for _, k := range keys {
		if !b.Has(i18n.ZH, k) || !b.Has(i18n.EN, k) {
			t.Errorf("key %s missing from a catalog", k)
		}
	}
}

func TestLocalLink(t *testing.T) {
	h := testHandler(t)
	h.d.Cfg.HTTP.BaseURL = "https://desk.corp.cn"
	for link, want := range map[string]string{
		"https://desk.corp.cn/tickets/9": "/tickets/9",
		"https://desk.corp.cn//evil.cn":  "/",
		"https://other.cn/x":             "https://other.cn/x",
		"/my/tickets/3":                  "/my/tickets/3",
		"javascript:alert(1)":            "/inbox",
		"https://desk.corp.cn.evil.cn/x": "https://desk.corp.cn.evil.cn/x",
	} {
		if got := h.followLink(link); got != want {
			t.Errorf("followLink(%q) = %q, want %q", link, got, want)
		}
	}
}
