package mailin_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"opsdesk/internal/mailin"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// TestPollTLSModes reads a mailbox over implicit TLS, STARTTLS and plain text, and marks what it
// took in \Seen.
func TestPollTLSModes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		for _, mode := range []string{mailin.TLSImplicit, mailin.TLSStart, mailin.TLSNone} {
			box := startIMAP(t, mode)
			m := e.addMailbox(box)
			if n := e.poll(box, msg("zhang.san@corp.cn", "模式 "+mode, "x"), msg("li.si@corp.cn", "模式 "+mode, "y")); n != 2 {
				t.Fatalf("%s: took in %d", mode, n)
			}
			if u := box.unseen(t); u != 0 {
				t.Fatalf("%s: %d messages left unseen", mode, u)
			}
			got, _ := e.svc.Mailbox(e.admin(), m.ID)
			if got.LastError != "" || !got.LastPolledAt.Equal(e.now.UTC()) || got.LastUID != 2 || got.UIDValidity == 0 {
				t.Fatalf("%s: mailbox after the poll %+v", mode, got)
			}
		}
		// Plain text to a server that demands TLS before login is refused, never downgraded.
		box := startIMAP(t, mailin.TLSStart)
		m := e.addMailbox(box)
		m.TLS = mailin.TLSNone
		if err := e.svc.SaveMailbox(e.admin(), m); err != nil {
			t.Fatal(err)
		}
		box.append(t, msg("zhang.san@corp.cn", "不该收到", "x"))
		if _, err := e.poller(box).PollOnce(context.Background(), m.ID); err == nil {
			t.Fatal("logged in without TLS")
		}
	})
}

// TestPollTwiceAndUIDValidity: a message fetched again (a crash before LastUID moved, a renumbered
// folder) is recorded once and makes one ticket.
func TestPollTwiceAndUIDValidity(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		box := startIMAP(t, mailin.TLSNone)
		m := e.addMailbox(box)
		a := msg("zhang.san@corp.cn", "第一封", "1")
		b := msg("wangwu@partner.com", "第二封", "2")
		if n := e.poll(box, a, b); n != 2 {
			t.Fatalf("took in %d", n)
		}
		if n := e.poll(box); n != 0 {
			t.Fatalf("a second poll took in %d", n)
		}
		// A crash after recording but before LastUID moved: the poller fetches the message again.
		got, _ := e.svc.Mailbox(e.admin(), m.ID)
		got.LastUID = 1
		if err := e.svc.Store.SavePollState(context.Background(), got); err != nil {
			t.Fatal(err)
		}
		if n := e.poll(box); n != 0 || e.ticketCount() != 2 {
			t.Fatalf("the same message polled twice: took in %d, %d tickets", n, e.ticketCount())
		}
		// The server renumbers the folder: the poller starts over, and only the new mail is new.
		before, _ := e.svc.Mailbox(e.admin(), m.ID)
		box.recreate(t)
		c := msg("li.si@corp.cn", "第三封", "3")
		if n := e.poll(box, a, b, c); n != 1 || e.ticketCount() != 3 {
			t.Fatalf("after UIDVALIDITY changed: took in %d, %d tickets", n, e.ticketCount())
		}
		after, _ := e.svc.Mailbox(e.admin(), m.ID)
		if after.UIDValidity == before.UIDValidity || after.LastUID != 3 {
			t.Fatalf("poll state %d/%d → %d/%d", before.UIDValidity, before.LastUID, after.UIDValidity, after.LastUID)
		}
		ms, _ := e.svc.Mails(e.admin(), mailin.MailFilter{MailboxID: m.ID})
		if len(ms) != 3 || ms[0].Subject != "第三封" || ms[2].Subject != "第一封" {
			t.Fatalf("records %d", len(ms))
		}
	})
}

// TestPollErrorsAreRecorded: a failed poll leaves its error and time on the mailbox, and the next
// good poll clears the error.
func TestPollErrorsAreRecorded(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		box := startIMAP(t, mailin.TLSNone)
		m := e.addMailbox(box)
		m.Password = "wrong"
		if err := e.svc.SaveMailbox(e.admin(), m); err != nil {
			t.Fatal(err)
		}
		if _, err := e.poller(box).PollOnce(context.Background(), m.ID); err == nil {
			t.Fatal("logged in with a wrong password")
		}
		got, _ := e.svc.Mailbox(e.admin(), m.ID)
		if !strings.Contains(got.LastError, "login") || !got.LastPolledAt.Equal(e.now.UTC()) {
			t.Fatalf("after a failed login %+v", got)
		}
		m.Password, m.Folder, m.Version = "secret", "Archive/2026", got.Version
		if err := e.svc.SaveMailbox(e.admin(), m); err != nil {
			t.Fatal(err)
		}
		if _, err := e.poller(box).PollOnce(context.Background(), m.ID); err == nil {
			t.Fatal("selected a folder that does not exist")
		}
		if got, _ := e.svc.Mailbox(e.admin(), m.ID); !strings.Contains(got.LastError, "Archive/2026") {
			t.Fatalf("after a missing folder %q", got.LastError)
		}
		m.Folder = "INBOX"
		if err := e.svc.SaveMailbox(e.admin(), m); err != nil {
			t.Fatal(err)
		}
		e.poll(box, msg("zhang.san@corp.cn", "好了", "x"))
		if got, _ := e.svc.Mailbox(e.admin(), m.ID); got.LastError != "" {
			t.Fatalf("error stays after a good poll: %q", got.LastError)
		}
	})
}

// TestRunPollsEnabledMailboxes: the loop polls an enabled mailbox and stops with its context.
func TestRunPollsEnabledMailboxes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		box := startIMAP(t, mailin.TLSNone)
		e.addMailbox(box)
		box.append(t, msg("zhang.san@corp.cn", "循环收信", "x"))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		p := e.poller(box)
		p.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
		go func() { p.Run(ctx); close(done) }()
		e.waitForTicket(10 * time.Second)
		cancel()
		<-done
		if e.ticketCount() != 1 {
			t.Fatalf("the loop made %d tickets", e.ticketCount())
		}
	})
}

// TestRunWakesOnSave: a mailbox saved while the loop waits is polled at once, not at the next
// rescan (30 s, longer than this test waits).
func TestRunWakesOnSave(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		box := startIMAP(t, mailin.TLSNone)
		box.append(t, msg("zhang.san@corp.cn", "新邮箱立即收信", "x"))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		p := e.poller(box)
		p.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
		e.svc.Changed = p.Wake
		listed := make(chan struct{}, 1)
		e.svc.Store = listing{Store: e.svc.Store, listed: listed}
		go func() { p.Run(ctx); close(done) }()
		<-listed          // the loop found no mailbox and goes to wait
		e.addMailbox(box) // saved now: only the wake-up gets it polled within the test
		e.waitForTicket(10 * time.Second)
		cancel()
		<-done
		if e.ticketCount() != 1 {
			t.Fatalf("the saved mailbox was not polled at once: %d tickets", e.ticketCount())
		}
	})
}

// listing tells when the mailbox list was read.
type listing struct {
	mailin.Store
	listed chan struct{}
}

func (l listing) Mailboxes(ctx context.Context) ([]*mailin.Mailbox, error) {
	ms, err := l.Store.Mailboxes(ctx)
	select {
	case l.listed <- struct{}{}:
	default:
	}
	return ms, err
}

// waitForTicket polls until a ticket exists or the time is up: the loop under test runs on its own
// goroutine and gives no signal of its own.
func (e *env) waitForTicket(within time.Duration) {
	deadline := time.Now().Add(within)
	for e.ticketCount() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
}
