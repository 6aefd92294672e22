package web

import (
	"net/http"
	"strings"

	"opsdesk/internal/mailin"
)

// mailboxFormPage creates or edits a mailbox. The password is never put in the page; PasswordSet
// says that one is stored, and leaving the field empty keeps it.
type mailboxFormPage struct {
	basePage
	IsNew       bool
	Form        mailboxForm
	PasswordSet bool
	TLSModes    []string
}

// mailboxForm is what the mailbox form submits, the password aside.
type mailboxForm struct {
	ID                        int64
	Version                   int
	Name, Host, TLS, Username string
	Folder, Address           string
	Port, PollSeconds         int
	Enabled                   bool
}

// mailboxTLS are the connection security modes offered, the safe ones first.
var mailboxTLS = []string{"tls", "starttls", "none"}

func readMailboxForm(r *http.Request, fe fieldErrors) (mailboxForm, *mailin.Mailbox) {
	f := mailboxForm{Version: fe.int(r, "version"), Name: r.PostFormValue("name"), Host: strings.TrimSpace(r.PostFormValue("host")),
		TLS: r.PostFormValue("tls"), Username: r.PostFormValue("username"), Folder: r.PostFormValue("folder"),
		Address: strings.TrimSpace(r.PostFormValue("address")), Port: fe.int(r, "port"), PollSeconds: fe.int(r, "poll_seconds"),
		Enabled: r.PostFormValue("enabled") != ""}
	return f, &mailin.Mailbox{Version: f.Version, Name: f.Name, Host: f.Host, TLS: f.TLS, Username: f.Username,
		Password: r.PostFormValue("password"), Folder: f.Folder, Address: f.Address, Port: f.Port,
		PollSeconds: f.PollSeconds, Enabled: f.Enabled}
}

func mailboxFormOf(m *mailin.Mailbox) mailboxForm {
	return mailboxForm{ID: m.ID, Version: m.Version, Name: m.Name, Host: m.Host, TLS: m.TLS, Username: m.Username,
		Folder: m.Folder, Address: m.Address, Port: m.Port, PollSeconds: m.PollSeconds, Enabled: m.Enabled}
}

// mailboxNew renders the empty form with the usual IMAP settings.
func (h *Handler) mailboxNew(w http.ResponseWriter, r *http.Request) error {
	p := &mailboxFormPage{basePage: h.base(r, "web.mailbox.new"), IsNew: true, TLSModes: mailboxTLS,
		Form: mailboxForm{TLS: "tls", Port: 993, Folder: "INBOX", PollSeconds: 60, Enabled: true}}
	h.render(w, r, http.StatusOK, "notify/mailbox_form", p)
	return nil
}

// mailboxEdit renders the form of a mailbox.
func (h *Handler) mailboxEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := h.d.Mail.Mailbox(r.Context(), id)
	if err != nil {
		return err
	}
	p := &mailboxFormPage{basePage: h.base(r, "web.mailbox.edit"), TLSModes: mailboxTLS, Form: mailboxFormOf(m),
		PasswordSet: m.Password != ""}
	h.render(w, r, http.StatusOK, "notify/mailbox_form", p)
	return nil
}

// mailboxCreate adds a mailbox.
func (h *Handler) mailboxCreate(w http.ResponseWriter, r *http.Request) error {
	return h.mailboxSave(w, r, 0)
}

// mailboxUpdate saves a mailbox if nobody changed it since the form was shown.
func (h *Handler) mailboxUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return h.mailboxSave(w, r, id)
}

func (h *Handler) mailboxSave(w http.ResponseWriter, r *http.Request, id int64) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	passwordSet := false
	if id != 0 {
		stored, err := h.d.Mail.Mailbox(ctx, id)
		if err != nil {
			return err
		}
		passwordSet = stored.Password != ""
	}
	fe := fieldErrors{}
	f, m := readMailboxForm(r, fe)
	f.ID, m.ID = id, id
	err := fe.err()
	if err == nil {
		err = h.d.Mail.SaveMailbox(ctx, m)
	}
	if ok, status, msg, fields := formError(err); ok {
		title := "web.mailbox.new"
		if id != 0 {
			title = "web.mailbox.edit"
		}
		p := &mailboxFormPage{basePage: h.base(r, title), IsNew: id == 0, TLSModes: mailboxTLS, Form: f, PasswordSet: passwordSet}
		p.fail(msg, fields)
		h.render(w, r, status, "notify/mailbox_form", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/admin/mailboxes", http.StatusSeeOther)
	return nil
}

// mailboxDelete removes a mailbox; the mail it took in stays on record.
func (h *Handler) mailboxDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.d.Mail.DeleteMailbox(r.Context(), id); err != nil {
		return err
	}
	h.setFlash(w, "web.flash.deleted")
	http.Redirect(w, r, "/admin/mailboxes", http.StatusSeeOther)
	return nil
}
