package mailin_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/iam"
	"opsdesk/internal/mailin"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// env is a service desk with a mail intake over a real database: users with addresses, the ticket
// service with attachments, and the mailin service with a mailbox.
type env struct {
	t       *testing.T
	db      *store.DB
	svc     *mailin.Service
	tickets *ticket.Service
	users   map[string]*iam.User
	root    *iam.OrgUnit
	now     time.Time
	mailbox *mailin.Mailbox
}

// people of the desk: name → address. "old" is disabled.
var people = map[string]string{
	"zhang": "zhang.san@corp.cn", "li": "li.si@corp.cn", "wang": "wang.er@corp.cn", "old": "old.hand@corp.cn",
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	ist := store.IAM{DB: db}
	root := &iam.OrgUnit{Name: "总部", Kind: iam.OrgHQ}
	if err := ist.CreateOrgUnit(ctx, root); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: db, users: map[string]*iam.User{}, root: root,
		now: time.Date(2026, 11, 23, 9, 0, 0, 0, sla.Shanghai)}
	for name, addr := range people {
		u := &iam.User{Username: name, Name: name, Email: addr, OrgUnitID: root.ID, Disabled: name == "old"}
		if err := ist.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		e.users[name] = u
	}
	au := &audit.Service{Store: store.Audit{DB: db}, Now: time.Now}
	now := func() time.Time { return e.now }
	e.tickets = &ticket.Service{Store: store.Tickets{DB: db}, Directory: store.Directory{DB: db}, Audit: au,
		Zone: sla.Shanghai, Now: now, Files: store.Tickets{DB: db}, MaxAttachment: 4 << 10, Sniff: http.DetectContentType}
	e.svc = &mailin.Service{Store: store.Mailin{DB: db}, Tickets: e.tickets,
		People: mailin.Directory{IAM: iam.New(ist, au), Users: store.Mailin{DB: db}},
		Outbox: store.Notify{DB: db}, Audit: au, Now: now, MaxBytes: 64 << 10}
	return e
}

// admin is the context of an administrator who may configure the intake.
func (e *env) admin() context.Context {
	return actor.NewContext(context.Background(), &actor.Actor{UserID: e.users["li"].ID, Username: "li", OrgPath: e.root.Path,
		Perms: map[string]bool{mailin.PermConfigure: true}, Source: actor.SourceWeb})
}

// requester is the context of a user without the permission.
func (e *env) requester() context.Context {
	return actor.NewContext(context.Background(), &actor.Actor{UserID: e.users["zhang"].ID, Username: "zhang",
		OrgPath: e.root.Path, Perms: map[string]bool{ticket.PermSubmit: true}, Source: actor.SourceWeb})
}

// addMailbox saves a mailbox for the IMAP server b (nil: a mailbox for the SMTP listener only).
func (e *env) addMailbox(b *imapBox) *mailin.Mailbox {
	e.t.Helper()
	m := &mailin.Mailbox{Name: fmt.Sprintf("服务台 %d", seq.Add(1)), Enabled: true, Host: "127.0.0.1", Port: 143, TLS: mailin.TLSNone,
		Username: "desk", Password: "secret", Address: "servicedesk@corp.cn"}
	if b != nil {
		m.Port, m.TLS = b.port, b.mode
	}
	if err := e.svc.SaveMailbox(e.admin(), m); err != nil {
		e.t.Fatal(err)
	}
	e.mailbox = m
	return m
}

// poller reads the mailbox of b, trusting b's certificate.
func (e *env) poller(b *imapBox) *mailin.Poller {
	return &mailin.Poller{Service: e.svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Dial: func(ctx context.Context, m *mailin.Mailbox) (*imapclient.Client, error) {
			return mailin.DialIMAP(ctx, m, b.clientTLS)
		}}
}

// poll appends the messages to b's INBOX and polls them in, failing on error.
func (e *env) poll(b *imapBox, raws ...[]byte) int {
	e.t.Helper()
	b.append(e.t, raws...)
	n, err := e.poller(b).PollOnce(context.Background(), e.mailbox.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// last is the newest mail record.
func (e *env) last() *mailin.Mail {
	e.t.Helper()
	ms, err := e.svc.Mails(e.admin(), mailin.MailFilter{Limit: 1})
	if err != nil || len(ms) == 0 {
		e.t.Fatalf("no mail recorded: %v", err)
	}
	return ms[0]
}

// ticket loads a ticket by ID, bypassing visibility.
func (e *env) ticket(id int64) *ticket.Ticket {
	e.t.Helper()
	tk, err := e.tickets.Store.Get(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return tk
}

// comments lists a ticket's public comments.
func (e *env) comments(id int64) []*ticket.Comment {
	e.t.Helper()
	cs, err := e.tickets.Store.Comments(context.Background(), id, false)
	if err != nil {
		e.t.Fatal(err)
	}
	return cs
}

// ticketCount counts all tickets.
func (e *env) ticketCount() int {
	e.t.Helper()
	n, err := e.tickets.Store.Count(context.Background(), ticket.Filter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}
