package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/config"
	"opsdesk/internal/iam"
	"opsdesk/internal/mailin"
	"opsdesk/internal/notify"
	"opsdesk/internal/notify/email"
	"opsdesk/internal/notify/webhook"
	"opsdesk/internal/store"
	"opsdesk/internal/ticket"
)

// notifying wires notifications (通知) and the mail intake (邮件受理): the service the tickets tell
// of their changes, the sender that delivers the outbox over every channel kind, and the mail
// intake with its poller.
type notifying struct {
	Notify *notify.Service
	Sender *notify.Sender
	Mail   *mailin.Service
	Poller *mailin.Poller
}

func newNotifying(cfg config.Config, log *slog.Logger, db *store.DB, ids *iam.Service, au *audit.Service, tickets *ticket.Service) notifying {
	outbox := store.Notify{DB: db}
	bots := &webhook.Driver{}
	sender := &notify.Sender{Store: outbox, Now: time.Now, Log: log, Drivers: map[notify.Kind]notify.Driver{
		notify.Email: &email.Driver{}, notify.WeCom: bots, notify.DingTalk: bots, notify.Feishu: bots, notify.Webhook: bots}}
	n := &notify.Service{Store: outbox, People: people{iam: ids.Store, dir: store.Directory{DB: db}, many: store.NotifyPeople{DB: db}}, Audit: au,
		BaseURL: strings.TrimSuffix(cfg.PublicURL(), "/"), Now: time.Now, Wake: sender.Wake}
	mails := store.Mailin{DB: db}
	m := &mailin.Service{Store: mails, Tickets: tickets, People: mailin.Directory{IAM: ids, Users: mails},
		Outbox: outbox, Audit: au, Now: time.Now}
	poller := &mailin.Poller{Service: m, Log: log}
	m.Changed = poller.Wake
	return notifying{Notify: n, Sender: sender, Mail: m, Poller: poller}
}

// people implements notify.People over the iam tables. It reads without permission checks: whoever
// changes a ticket may cause anyone concerned to be told.
type people struct {
	iam  iam.Store
	dir  store.Directory
	many store.NotifyPeople // the batch look-ups of a tick's notices
}

// People returns many users at once, as Person does each.
func (p people) People(ctx context.Context, ids []int64) (map[int64]*notify.Person, error) {
	return p.many.People(ctx, ids)
}

// Groups returns many support groups at once, as GroupOf does each.
func (p people) Groups(ctx context.Context, ids []int64) (map[int64]*notify.Group, error) {
	return p.many.Groups(ctx, ids)
}

// Person returns a user's name, address, language and state.
func (p people) Person(ctx context.Context, id int64) (*notify.Person, error) {
	u, err := p.iam.User(ctx, id)
	if err != nil {
		return nil, err
	}
	return &notify.Person{ID: u.ID, Name: u.Name, Email: u.Email, Locale: u.Locale, Disabled: u.Disabled}, nil
}

// GroupOf returns a support group's name, manager and active members.
func (p people) GroupOf(ctx context.Context, id int64) (*notify.Group, error) {
	g, err := p.iam.Group(ctx, id)
	if err != nil {
		return nil, err
	}
	active, err := p.dir.Group(ctx, id)
	if err != nil {
		return nil, err
	}
	return &notify.Group{ID: g.ID, Name: g.Name, ManagerID: g.ManagerID, Members: active.Members}, nil
}

// runNotifying starts the outbox sender, the mailbox poller and, when mail.smtp_listen is set, the
// inbound SMTP listener. The returned stop drains the listener, ends the loops and waits for them
// (within its context), so that no delivery is being recorded when the database closes.
func (a *App) runNotifying(ctx context.Context) (stop func(context.Context) error, err error) {
	var srv *smtp.Server
	if addr := a.Cfg.Mail.SMTPListen; addr != "" {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, err
		}
		box, err := a.smtpMailbox(ctx)
		if err != nil {
			ln.Close()
			return nil, err
		}
		srv = mailin.NewSMTPServer(a.Mail, ln.Addr().String(), box, 0)
		srv.Domain = a.Cfg.SMTPDomain()
		go func() {
			if err := srv.Serve(ln); err != nil {
				a.Log.Error("SMTP intake stopped", "err", err)
			}
		}()
		a.Log.Info("SMTP intake listening", "addr", ln.Addr().String(), "domain", srv.Domain)
	}
	ctx, cancel := context.WithCancel(actor.NewContext(ctx, actor.System(actor.SourceJob)))
	var wg sync.WaitGroup
	wg.Go(func() { a.Sender.Run(ctx) })
	wg.Go(func() { a.Poller.Run(ctx) })
	return func(sctx context.Context) error {
		var err error
		if srv != nil {
			err = srv.Shutdown(sctx)
		}
		cancel()
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-sctx.Done():
			a.Log.Warn("notification loops did not stop in time")
		}
		return err
	}, nil
}

// smtpMailbox finds the mailbox mail.smtp_mailbox names (0 when it names none); a name that matches
// no mailbox stops the start, since the listener would otherwise take mail in without loop protection.
func (a *App) smtpMailbox(ctx context.Context) (int64, error) {
	name := a.Cfg.Mail.SMTPMailbox
	if name == "" {
		return 0, nil
	}
	ms, err := a.Mail.Store.Mailboxes(ctx)
	if err != nil {
		return 0, err
	}
	for _, m := range ms {
		if m.Name == name {
			return m.ID, nil
		}
	}
	return 0, fmt.Errorf("mail.smtp_mailbox: no mailbox is named %q (see 邮箱, /admin/mailboxes)", name)
}
