// Package app assembles opsdesk: configuration, database, services, the web UI and the API, and the
// background loops. main and the end-to-end tests use it.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/api"
	"opsdesk/internal/audit"
	"opsdesk/internal/config"
	"opsdesk/internal/i18n"
	"opsdesk/internal/iam"
	"opsdesk/internal/mailin"
	"opsdesk/internal/notify"
	"opsdesk/internal/sla"
	"opsdesk/internal/store"
	"opsdesk/internal/ticket"
	"opsdesk/internal/web"
)

// App is one running opsdesk process.
type App struct {
	Cfg     config.Config
	Log     *slog.Logger
	DB      *store.DB
	IAM     *iam.Service
	Audit   *audit.Service
	SLA     *sla.Service
	Tickets *ticket.Service
	Clocks  *sla.Tracker    // SLA clocks of tickets and their threshold engine
	Notify  *notify.Service // inbox, preferences, channels; the tickets' Notices
	Sender  *notify.Sender  // delivers the outbox; Serve runs it
	Mail    *mailin.Service // the mail intake (邮件受理)
	Poller  *mailin.Poller  // reads the mailboxes; Serve runs it
	I18n    *i18n.Bundle
	Handler http.Handler
	// SetupToken is the one-time setup secret of a fresh database without OPSDESK_ADMIN_PASSWORD.
	SetupToken string
	metrics    *metrics
}

// Option adjusts an App before it starts; tests use it.
type Option func(*App)

// WithArgon2 sets the password hashing cost (tests use iam.CheapArgon2).
func WithArgon2(p iam.Argon2Params) Option { return func(a *App) { a.IAM.Argon2 = p } }

// Open connects to the database, migrates it, prepares a fresh installation, and builds the handlers.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger, opts ...Option) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	a, err := OpenStore(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	for _, o := range opts {
		o(a)
	}
	applied, err := a.DB.Migrate(ctx)
	if err != nil {
		a.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("database migrated", "applied", applied)
	}
	ctx = actor.NewContext(ctx, actor.System(actor.SourceJob))
	a.SetupToken, err = a.IAM.FirstStart(ctx, cfg.AdminPassword)
	if err == nil {
		err = a.SLA.EnsureDefault(ctx)
	}
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("first start: %w", err)
	}
	a.Handler = a.routes()
	return a, nil
}

// OpenStore connects to the database and builds the services without migrating or serving; the CLI's
// database commands use it.
func OpenStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*App, error) {
	db, err := store.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	au := &audit.Service{Store: store.Audit{DB: db}, Now: time.Now}
	tickets := &ticket.Service{Store: store.Tickets{DB: db}, Directory: store.Directory{DB: db}, Audit: au,
		Zone: sla.Shanghai, Now: time.Now,
		Files: store.Tickets{DB: db}, MaxAttachment: cfg.Attachments.MaxBytes(), Sniff: http.DetectContentType}
	slas := &sla.Service{Store: store.SLA{DB: db}, Audit: au, Groups: store.Directory{DB: db}}
	clocks := &sla.Tracker{Service: slas, Timers: store.SLA{DB: db}, Now: time.Now, Tickets: tickets,
		ParentOf: func(ctx context.Context, id int64) int64 {
			if c, err := (store.Tickets{DB: db}).Category(ctx, id); err == nil {
				return c.ParentID
			}
			return 0
		}}
	tickets.Clocks = clocks
	// A calendar edit re-plans the clocks on it in the background, in small transactions, so that
	// agents' work is not held up.
	slas.CalendarChanged = func(name string) {
		go func() {
			if n, err := clocks.Replan(context.Background(), name); err != nil {
				log.Warn("SLA re-plan after a calendar edit failed", "calendar", name, "err", err)
			} else {
				log.Info("SLA clocks re-planned after a calendar edit", "calendar", name, "clocks", n)
			}
		}()
	}
	ids := iam.New(store.IAM{DB: db}, au)
	ids.UseAuthCache(cfg.HTTP.AuthCache)
	n := newNotifying(cfg, log, db, ids, au, tickets)
	tickets.Notices = n.Notify
	return &App{Cfg: cfg, Log: log, DB: db, Audit: au, IAM: ids,
		SLA: slas, Clocks: clocks, Tickets: tickets, Notify: n.Notify, Sender: n.Sender, Mail: n.Mail, Poller: n.Poller,
		I18n: i18n.New()}, nil
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

func (a *App) webDeps() web.Deps {
	return web.Deps{Cfg: a.Cfg, IAM: a.IAM, Audit: a.Audit, Tickets: a.Tickets, SLA: a.SLA, Clocks: a.Clocks,
		Notify: a.Notify, Mail: a.Mail, I18n: a.I18n, Log: a.Log, Ready: a.DB.Ping}
}

func (a *App) apiDeps() api.Deps {
	return api.Deps{Cfg: a.Cfg, IAM: a.IAM, Audit: a.Audit, Tickets: a.Tickets, SLA: a.SLA, Clocks: a.Clocks,
		Notify: a.Notify, Mail: a.Mail, I18n: a.I18n, Log: a.Log}
}
