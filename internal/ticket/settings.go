package ticket

import (
	"context"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// PermConfigure lets an administrator edit categories, dispatch rules, the priority matrix and
// the closure settings.
const PermConfigure = "ticket.configure"

// Settings are the service desk's administrator-editable rules.
type Settings struct {
	Matrix          Matrix `json:"matrix"`            // urgency × impact → priority
	ReopenDays      int    `json:"reopen_days"`       // a closed ticket may be reopened this many days after closing
	AutoConfirmDays int    `json:"auto_confirm_days"` // a resolved ticket closes by itself after this many days
}

// DefaultSettings are used until an administrator saves others.
var DefaultSettings = Settings{Matrix: DefaultMatrix, ReopenDays: 7, AutoConfirmDays: 3}

// Validate checks the matrix and the day counts.
func (s Settings) Validate() error {
	if err := s.Matrix.Validate(); err != nil {
		return err
	}
	var f errs.Fields
	if s.ReopenDays < 0 || s.ReopenDays > 365 {
		f.Add("reopen_days", "err.out_of_range")
	}
	if s.AutoConfirmDays < 1 || s.AutoConfirmDays > 90 {
		f.Add("auto_confirm_days", "err.out_of_range")
	}
	return f.Err()
}

// Settings returns the current settings (defaults until saved).
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	set := DefaultSettings
	err := s.Store.Settings(ctx, &set)
	return set, err
}

// SaveSettings checks and stores new settings, audited with the before and after values.
func (s *Service) SaveSettings(ctx context.Context, set Settings) error {
	if !actor.FromContext(ctx).Can(PermConfigure) {
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	if err := set.Validate(); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		before, err := s.Settings(ctx)
		if err != nil {
			return err
		}
		if err := s.Store.SaveSettings(ctx, &set); err != nil {
			return err
		}
		return s.recordTarget(ctx, "ticket.settings", "ticket_settings", "", before, set)
	})
}
