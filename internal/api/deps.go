// Package api serves the JSON REST API under /api/v1, described by openapi.yaml (OpenAPI 3.0.3).
package api

import (
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

// Deps are what the API needs from the application.
type Deps struct {
	Cfg     config.Config
	IAM     *iam.Service
	Audit   *audit.Service
	Tickets *ticket.Service
	SLA     *sla.Service
	Clocks  *sla.Tracker    // the tickets' SLA clocks, for the sla object of a ticket; nil leaves it null
	Notify  *notify.Service // the inbox, preferences, channels and outbox
	Mail    *mailin.Service // mailboxes and received mail
	I18n    *i18n.Bundle
	Log     *slog.Logger
}
