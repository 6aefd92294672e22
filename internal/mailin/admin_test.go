package mailin_test

import (
	"context"
	"strings"
	"testing"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
	"opsdesk/internal/i18n"
	"opsdesk/internal/mailin"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// TestSaveMailboxValidation: each bad field is named with a message in both languages, and nothing
// is saved.
func TestSaveMailboxValidation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		good := func() *mailin.Mailbox {
			return &mailin.Mailbox{Name: "服务台", Host: "imap.corp.cn", Port: 993, TLS: "tls", Username: "servicedesk",
				Password: "pw", Address: "servicedesk@corp.cn"}
		}
		cases := []struct {
			name, field, key string
			tweak            func(*mailin.Mailbox)
		}{
			{"no host", "host", "err.mailin.host", func(m *mailin.Mailbox) { m.Host = "" }},
			{"host with a space", "host", "err.mailin.host", func(m *mailin.Mailbox) { m.Host = "imap corp.cn" }},
			{"host with a scheme", "host", "err.mailin.host", func(m *mailin.Mailbox) { m.Host = "imaps://imap.corp.cn" }},
			{"port 0", "port", "err.mailin.port", func(m *mailin.Mailbox) { m.Port = 0 }},
			{"port 65536", "port", "err.mailin.port", func(m *mailin.Mailbox) { m.Port = 65536 }},
			{"tls mode", "tls", "err.mailin.tls", func(m *mailin.Mailbox) { m.TLS = "ssl" }},
			{"folder wildcard", "folder", "err.mailin.folder", func(m *mailin.Mailbox) { m.Folder = "INBOX/*" }},
			{"folder control", "folder", "err.mailin.folder", func(m *mailin.Mailbox) { m.Folder = "IN\x01BOX" }},
			{"address", "address", "err.mailin.address", func(m *mailin.Mailbox) { m.Address = "servicedesk" }},
			{"poll", "poll_seconds", "err.mailin.poll", func(m *mailin.Mailbox) { m.PollSeconds = 5 }},
			{"no password", "password", "err.mailin.password", func(m *mailin.Mailbox) { m.Password = "" }},
			{"no name", "name", "err.required", func(m *mailin.Mailbox) { m.Name = " " }},
		}
		bundle := i18n.New()
		for _, tc := range cases {
			m := good()
			tc.tweak(m)
			err := e.svc.SaveMailbox(e.admin(), m)
			msg, fields := errs.Info(err)
			if errs.KindOf(err) != errs.Invalid || msg != "err.invalid" || fields[tc.field] != tc.key {
				t.Errorf("%s: %v", tc.name, err)
			}
			zh, en := bundle.T(i18n.ZH, tc.key), bundle.T(i18n.EN, tc.key)
			if zh == tc.key || en == tc.key || zh == en {
				t.Errorf("%s: %s is not translated (%q / %q)", tc.name, tc.key, zh, en)
			}
		}
		if ms, _ := e.svc.Mailboxes(e.admin()); len(ms) != 0 {
			t.Fatalf("%d mailboxes saved from bad input", len(ms))
		}

		// Defaults, masking, and a masked password that keeps the stored one.
		m := good()
		m.Host, m.TLS = "10.0.0.25", "STARTTLS"
		if err := e.svc.SaveMailbox(e.admin(), m); err != nil {
			t.Fatal(err)
		}
		if m.Password != mailin.Mask {
			t.Fatalf("SaveMailbox handed the password back: %q", m.Password)
		}
		got, _ := e.svc.Mailbox(e.admin(), m.ID)
		if got.Folder != "INBOX" || got.PollSeconds != 60 || got.TLS != "starttls" || got.Password != mailin.Mask {
			t.Fatalf("saved %+v", got)
		}
		got.Name = "服务台（新）"
		if err := e.svc.SaveMailbox(e.admin(), got); err != nil {
			t.Fatal(err)
		}
		stored, _ := e.svc.Store.Mailbox(context.Background(), m.ID)
		if stored.Password != "pw" || stored.Name != "服务台（新）" {
			t.Fatalf("a masked password replaced the stored one: %+v", stored)
		}
		// Another name keeps the poll position; another folder starts it over.
		stored.UIDValidity, stored.LastUID = 3, 7
		if err := e.svc.Store.SavePollState(context.Background(), stored); err != nil {
			t.Fatal(err)
		}
		got.Enabled = true
		if err := e.svc.SaveMailbox(e.admin(), got); err != nil {
			t.Fatal(err)
		}
		if p, _ := e.svc.Mailbox(e.admin(), m.ID); p.LastUID != 7 || p.UIDValidity != 3 || !p.Enabled {
			t.Fatalf("an edit moved the poll position: %+v", p)
		}
		got.Folder = "服务台/来信"
		if err := e.svc.SaveMailbox(e.admin(), got); err != nil {
			t.Fatal(err)
		}
		if p, _ := e.svc.Mailbox(e.admin(), m.ID); p.LastUID != 0 || p.UIDValidity != 0 || p.Folder != "服务台/来信" {
			t.Fatalf("another folder kept the poll position: %+v", p)
		}
		got.Version = 1
		if err := e.svc.SaveMailbox(e.admin(), got); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("a stale save: %v", err)
		}
		dup := good()
		dup.Name = "服务台（新）"
		if err := e.svc.SaveMailbox(e.admin(), dup); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("a second mailbox with the name: %v", err)
		}
		if err := e.svc.SaveMailbox(e.admin(), &mailin.Mailbox{Name: "服务台（新）"}); err == nil {
			t.Fatal("saved an empty mailbox")
		}
		entries, _ := (&audit.Service{Store: store.Audit{DB: db}}).Search(auditor(), audit.Filter{Action: "mailin.mailbox.update"})
		if len(entries) != 3 || entries[0].ActorName != "li" {
			t.Fatalf("update audit %+v", entries)
		}
		for _, en := range entries {
			if contains(en.Before, "pw") || contains(en.After, "pw") {
				t.Fatal("the audit log holds the password")
			}
		}
		if err := e.svc.DeleteMailbox(e.admin(), m.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Mailbox(e.admin(), m.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("deleted mailbox: %v", err)
		}
	})
}

// TestDeny: a user without notify.configure can neither see nor change the intake, and the
// refusal is audited.
func TestDeny(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		mb := e.addMailbox(nil)
		m, err := e.svc.Deliver(context.Background(), mb.ID, msg("wang.er@corp.cn", "x", "y", header("Auto-Submitted", "auto-replied")))
		if err != nil {
			t.Fatal(err)
		}
		who := e.requester()
		checks := map[string]error{}
		_, checks["list mailboxes"] = e.svc.Mailboxes(who)
		_, checks["read mailbox"] = e.svc.Mailbox(who, mb.ID)
		checks["save mailbox"] = e.svc.SaveMailbox(who, &mailin.Mailbox{Name: "x"})
		checks["delete mailbox"] = e.svc.DeleteMailbox(who, mb.ID)
		_, checks["list mail"] = e.svc.Mails(who, mailin.MailFilter{})
		_, checks["read raw"] = e.svc.Raw(who, m.ID)
		_, checks["release"] = e.svc.Release(who, m.ID)
		checks["discard"] = e.svc.Discard(who, m.ID)
		for what, err := range checks {
			if errs.KindOf(err) != errs.Forbidden {
				t.Errorf("%s: %v", what, err)
			}
		}
		if _, err := e.svc.Mails(context.Background(), mailin.MailFilter{}); errs.KindOf(err) != errs.Unauthenticated {
			t.Errorf("anonymous list: %v", err)
		}
		denied, _ := (&audit.Service{Store: store.Audit{DB: db}}).Search(auditor(), audit.Filter{Result: audit.ResultDenied})
		if len(denied) != len(checks) {
			t.Errorf("%d refusals audited, want %d", len(denied), len(checks))
		}
		// Only a held mail can be released or discarded.
		if _, err := e.svc.Release(e.admin(), m.ID); errs.KindOf(err) != errs.Conflict {
			t.Errorf("released an auto-reply: %v", err)
		}
	})
}

// auditor is the context of someone who may read the audit log.
func auditor() context.Context {
	return actor.NewContext(context.Background(), &actor.Actor{UserID: 1, Username: "auditor",
		Perms: map[string]bool{audit.PermRead: true}})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
