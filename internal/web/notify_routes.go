package web

import "opsdesk/internal/notify"

// notifyRoutes are the routes of notifications (通知) and the mail intake (邮件受理): everyone's inbox
// and preferences, and the system administrator's channels, outbox, mailboxes and received mail.
func (h *Handler) notifyRoutes() []route {
	configure := need(notify.PermConfigure)
	return []route{
		// The inbox (站内信) and one's own preferences: every signed-in user, their own only.
		{"GET /inbox", h.inboxList, loggedIn},
		{"POST /inbox/read", h.inboxReadAll, loggedIn},
		{"POST /inbox/{id}/read", h.inboxRead, loggedIn},
		{"POST /inbox/{id}/open", h.inboxOpen, loggedIn},
		{"GET /me/notifications", h.notifyPrefsEdit, loggedIn},
		{"POST /me/notifications", h.notifyPrefsUpdate, loggedIn},

		// Channels (通知渠道) and the outbox (发件箱).
		{"GET /admin/channels", h.notifyChannelList, configure},
		{"GET /admin/channels/new", h.notifyChannelNew, configure},
		{"POST /admin/channels", h.notifyChannelCreate, configure},
		{"GET /admin/channels/{id}/edit", h.notifyChannelEdit, configure},
		{"POST /admin/channels/{id}", h.notifyChannelUpdate, configure},
		{"POST /admin/channels/{id}/delete", h.notifyChannelDelete, configure},
		{"POST /admin/channels/{id}/test", h.notifyChannelTest, configure},
		{"GET /admin/outbox", h.notifyOutbox, configure},
		{"POST /admin/outbox/{id}/retry", h.notifyOutboxRetry, configure},

		// Mailboxes (邮箱) the desk reads, and the mail that came in.
		{"GET /admin/mailboxes", h.mailboxList, configure},
		{"GET /admin/mailboxes/new", h.mailboxNew, configure},
		{"POST /admin/mailboxes", h.mailboxCreate, configure},
		{"GET /admin/mailboxes/{id}/edit", h.mailboxEdit, configure},
		{"POST /admin/mailboxes/{id}", h.mailboxUpdate, configure},
		{"POST /admin/mailboxes/{id}/delete", h.mailboxDelete, configure},
		{"GET /admin/mail", h.mailboxMailList, configure},
		{"GET /admin/mail/{id}/raw", h.mailboxMailRaw, configure},
		{"POST /admin/mail/{id}/release", h.mailboxMailRelease, configure},
		{"POST /admin/mail/{id}/discard", h.mailboxMailDiscard, configure},
	}
}
