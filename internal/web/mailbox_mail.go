package web

import (
	"net/http"
	"slices"
	"strconv"

	"opsdesk/internal/iam"
	"opsdesk/internal/mailin"
)

// mailPage lists the mail that came in (收到的邮件) and what became of it; held mail waits for the
// administrator to open a ticket from it (转为工单) or discard it (丢弃).
type mailPage struct {
	basePage
	Mails      []*mailin.Mail
	Mailboxes  []*mailin.Mailbox
	Names      map[int64]string // mailbox names
	Outcomes   []mailin.Outcome
	MailboxID  int64
	Outcome    mailin.Outcome
	CanTickets bool // the administrator may open the tickets the mail became
}

// mailboxMailList renders the received mail, filtered by mailbox and outcome.
func (h *Handler) mailboxMailList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := mailin.MailFilter{Outcome: mailin.Outcome(q.Get("outcome"))}
	if !slices.Contains(mailin.Outcomes, f.Outcome) {
		f.Outcome = ""
	}
	if id, err := strconv.ParseInt(q.Get("mailbox_id"), 10, 64); err == nil && id > 0 {
		f.MailboxID = id
	}
	mails, err := h.d.Mail.Mails(ctx, f)
	if err != nil {
		return err
	}
	boxes, err := h.d.Mail.Mailboxes(ctx)
	if err != nil {
		return err
	}
	p := &mailPage{basePage: h.base(r, "web.mail.title"), Mails: mails, Mailboxes: boxes, Names: map[int64]string{},
		Outcomes: mailin.Outcomes, MailboxID: f.MailboxID, Outcome: f.Outcome}
	for _, b := range boxes {
		p.Names[b.ID] = b.Name
	}
	p.CanTickets = p.Can(iam.PermTicketWork) || p.Can(iam.PermTicketWorkAssigned) || p.Can(iam.PermTicketManage)
	h.render(w, r, http.StatusOK, "notify/mail", p)
	return nil
}

// mailboxMailRaw downloads a message as it came in (.eml). A stranger wrote it, so no browser may
// render it: an attachment, not sniffed, sandboxed.
func (h *Handler) mailboxMailRaw(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	raw, err := h.d.Mail.Raw(r.Context(), id)
	if err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Type", "message/rfc822")
	hd.Set("Content-Length", strconv.Itoa(len(raw)))
	hd.Set("Content-Disposition", `attachment; filename="mail-`+strconv.FormatInt(id, 10)+`.eml"`)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	hd.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(raw)
	return nil
}

// mailboxMailRelease opens a ticket from a held mail.
func (h *Handler) mailboxMailRelease(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := h.d.Mail.Release(r.Context(), id); err != nil {
		return err
	}
	h.setFlash(w, "web.flash.mail_released")
	http.Redirect(w, r, "/admin/mail?outcome=held", http.StatusSeeOther)
	return nil
}

// mailboxMailDiscard rejects a held mail; its record and raw message stay.
func (h *Handler) mailboxMailDiscard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.d.Mail.Discard(r.Context(), id); err != nil {
		return err
	}
	h.setFlash(w, "web.flash.mail_discarded")
	http.Redirect(w, r, "/admin/mail?outcome=held", http.StatusSeeOther)
	return nil
}
