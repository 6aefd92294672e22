package web

import (
	"fmt"
	"net/http"

	"opsdesk/internal/ticket"
)

// ticketSettingsPage edits the service desk's rules: the urgency × impact priority matrix
// (紧急程度 × 影响范围), the reopen window and the auto-confirm delay.
type ticketSettingsPage struct {
	basePage
	Settings ticket.Settings
	Levels   []ticket.Level
	Prios    []ticket.Priority
}

// UrgencyKey and ImpactKey label the rows and columns in plain words.
func (p *ticketSettingsPage) UrgencyKey(l ticket.Level) string { return levelKey("urgency", l) }

// ImpactKey labels a column of the matrix.
func (p *ticketSettingsPage) ImpactKey(l ticket.Level) string { return levelKey("impact", l) }

// Cell is the priority of one cell of the matrix.
func (p *ticketSettingsPage) Cell(u, i ticket.Level) ticket.Priority {
	return p.Settings.Matrix[u-1][i-1]
}

// CellName is the form field of one cell: m_<urgency>_<impact>.
func (p *ticketSettingsPage) CellName(u, i ticket.Level) string { return fmt.Sprintf("m_%d_%d", u, i) }

// ticketSettingsEdit renders the settings in force.
func (h *Handler) ticketSettingsEdit(w http.ResponseWriter, r *http.Request) error {
	set, err := h.d.Tickets.Settings(r.Context())
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "ticketadmin/settings", h.ticketSettingsPage(r, set))
	return nil
}

func (h *Handler) ticketSettingsPage(r *http.Request, set ticket.Settings) *ticketSettingsPage {
	return &ticketSettingsPage{basePage: h.base(r, "web.tadmin.settings"), Settings: set, Levels: levels,
		Prios: []ticket.Priority{1, 2, 3, 4}}
}
