package web

import (
	"net/http"

	"opsdesk/internal/mailin"
)

// mailboxesPage lists the mailboxes (邮箱) the service desk reads, with how the last poll went.
type mailboxesPage struct {
	basePage
	Mailboxes  []*mailin.Mailbox
	SMTPListen string // the inbound SMTP listener's address, "" when off
}

// mailboxList renders the mailboxes.
func (h *Handler) mailboxList(w http.ResponseWriter, r *http.Request) error {
	ms, err := h.d.Mail.Mailboxes(r.Context())
	if err != nil {
		return err
	}
	p := &mailboxesPage{basePage: h.base(r, "web.mailbox.title"), Mailboxes: ms, SMTPListen: h.d.Cfg.Mail.SMTPListen}
	h.render(w, r, http.StatusOK, "notify/mailboxes", p)
	return nil
}
