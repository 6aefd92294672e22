package web

import (
	"fmt"
	"maps"
	"net/http"

	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// ticketSettingsUpdate saves the matrix and the day counts; problems come back beside the fields.
func (h *Handler) ticketSettingsUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	var set ticket.Settings
	for u := 1; u <= 3; u++ {
		for i := 1; i <= 3; i++ {
			name := fmt.Sprintf("m_%d_%d", u, i)
			set.Matrix[u-1][i-1] = ticket.Priority(fe.int(r, name))
			if _, bad := fe[name]; bad {
				fe["matrix"] = "err.ticket.matrix"
				delete(fe, name)
			}
		}
	}
	set.ReopenDays, set.AutoConfirmDays = fe.int(r, "reopen_days"), fe.int(r, "auto_confirm_days")
	err := fe.err()
	if err == nil {
		err = validateSettings(set)
	}
	if err == nil {
		err = h.d.Tickets.SaveSettings(r.Context(), set)
	}
	if ok, status, msg, fields := formError(err); ok {
		p := h.ticketSettingsPage(r, set)
		p.fail(msg, fields)
		h.render(w, r, status, "ticketadmin/settings", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/admin/ticket-settings", http.StatusSeeOther)
	return nil
}

// validateSettings reports the matrix and the day counts together: Settings.Validate stops at a bad
// matrix, and the administrator should see every problem at once.
func validateSettings(set ticket.Settings) error {
	days := set
	days.Matrix = ticket.DefaultMatrix
	fields := map[string]string{}
	msg := ""
	for _, err := range []error{set.Matrix.Validate(), days.Validate()} {
		if err == nil {
			continue
		}
		m, f := errs.Info(err)
		if msg == "" {
			msg = m
		}
		maps.Copy(fields, f)
	}
	if msg == "" {
		return nil
	}
	return errs.E(errs.Invalid, msg, fields)
}
