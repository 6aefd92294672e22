// Package web serves opsdesk's HTML user interface (html/template + htmx), zh-CN first, English too.
package web

import (
	"context"
	"log/slog"

	"opsdesk/internal/audit"
	"opsdesk/internal/config"
	"opsdesk/internal/i18n"
	"opsdesk/internal/iam"
	"opsdesk/internal/mailin"
	"opsdesk/internal/notify"
	"opsdesk/internal/sla"
	"opsdesk/internal/ticket"
)

// Deps are what the web layer needs from the application.
type Deps struct {
	Cfg     config.Config
	IAM     *iam.Service
	Audit   *audit.Service
	Tickets *ticket.Service
	SLA     *sla.Service
	Clocks  *sla.Tracker    // the tickets' SLA clocks, shown on the ticket page; nil shows none
	Notify  *notify.Service // the inbox and its header badge, preferences, channels, outbox; nil hides the badge
	Mail    *mailin.Service // mailboxes and received mail
	I18n    *i18n.Bundle
	Log     *slog.Logger
	Ready   func(ctx context.Context) error
}
