package notify

import (
	"context"
	"encoding/json"
	"strconv"
	"time"
)

// deliver makes one recipient's inbox entry and e-mail, as their preferences allow.
func (x *notice) deliver(ctx context.Context, r recipient, mail *Channel) ([]*Notification, []*Message, error) {
	if r.userID == 0 { // an external requester: e-mail is the only way to reach them
		if mail == nil || r.email == "" {
			return nil, nil, nil
		}
		k := viewKey{lang: langOf("", mail), audience: r.audience, external: true}
		out, err := x.render(ctx, k, mail, textPart|htmlPart)
		if err != nil {
			return nil, nil, err
		}
		return nil, []*Message{x.email(mail, out, k, 0, r.email)}, nil
	}
	p, err := x.person(ctx, r.userID)
	if err != nil || p == nil || p.Disabled {
		return nil, nil, err
	}
	prefs, err := x.preferences(ctx, p.ID)
	if err != nil {
		return nil, nil, err
	}
	k := viewKey{lang: langOf(p.Locale, mail), audience: r.audience, redacted: r.redacted}
	inApp, byMail := wants(prefs, x.ev, InApp), mail != nil && p.Email != "" && wants(prefs, x.ev, Email)
	if !inApp && !byMail {
		return nil, nil, nil
	}
	var parts part // the inbox entry needs only the subject and the brief
	if byMail {
		parts = textPart | htmlPart
	}
	out, err := x.render(ctx, k, mail, parts)
	if err != nil {
		return nil, nil, err
	}
	var ns []*Notification
	var ms []*Message
	if inApp {
		ns = append(ns, &Notification{UserID: p.ID, Event: x.ev, TicketID: x.t.ID, Title: out.Subject, Body: out.Brief,
			Link: x.path(k), CreatedAt: x.s.Now()})
	}
	if byMail {
		ms = append(ms, x.email(mail, out, k, p.ID, p.Email))
	}
	return ns, ms, nil
}

// email is one e-mail message over the mail channel.
func (x *notice) email(mail *Channel, out *rendered, k viewKey, userID int64, to string) *Message {
	m := x.message(mail, out, k)
	m.UserID, m.To, m.Text, m.HTML = userID, to, out.Text, out.HTML
	return m
}

// post is a bot's or a webhook's message. Bots read the neutral wording in the channel's language;
// a confidential ticket shows them only its number.
func (x *notice) post(ctx context.Context, c *Channel) (*Message, error) {
	k := viewKey{lang: langOf("", c), audience: toBot, redacted: x.t.Confidential}
	parts := markdownPart
	if c.Kind == Webhook {
		parts = textPart
	}
	out, err := x.render(ctx, k, c, parts)
	if err != nil {
		return nil, err
	}
	m := x.message(c, out, k)
	m.Text = out.Markdown
	if c.Kind == Webhook {
		m.Text = out.Text
		if m.Payload, err = x.payload(m, k, out); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// message fills what every outbox message of the notice shares.
func (x *notice) message(c *Channel, out *rendered, k viewKey) *Message {
	now := x.s.Now()
	return &Message{ChannelID: c.ID, Kind: c.Kind, Event: x.ev, TicketID: x.t.ID, Ref: x.t.Number, Link: x.link(k),
		Subject: out.Subject, Key: newKey(), Status: Pending, NextAt: now, CreatedAt: now}
}

// webhookPayload is the JSON body of a generic webhook. Receivers dedupe on Key.
type webhookPayload struct {
	Event  Event         `json:"event"`
	Key    string        `json:"key"`
	Ticket webhookTicket `json:"ticket"`
	At     time.Time     `json:"at"`
	Text   string        `json:"text"`
}

type webhookTicket struct {
	ID       int64  `json:"id"`
	Number   string `json:"number"`
	Subject  string `json:"subject"`
	Status   string `json:"status,omitempty"`
	Priority string `json:"priority,omitempty"`
	Link     string `json:"link"`
}

func (x *notice) payload(m *Message, k viewKey, out *rendered) (string, error) {
	at := x.n.Event.At
	if at.IsZero() {
		at = x.s.Now()
	}
	p := webhookPayload{Event: x.ev, Key: m.Key, At: at.UTC(), Text: out.Text,
		Ticket: webhookTicket{ID: x.t.ID, Number: x.t.Number, Subject: x.t.Subject, Link: m.Link,
			Status: string(x.t.Status), Priority: x.t.Priority.String()}}
	if k.redacted {
		p.Ticket.Subject = catalog().T(k.lang, "notify.confidential")
		p.Ticket.Status, p.Ticket.Priority = "", ""
	}
	b, err := json.Marshal(p)
	return string(b), err
}

// path is the ticket's page for the audience, relative to the site: staff work it in the
// workspace, the requester follows it in the portal, an external requester has no page.
func (x *notice) path(k viewKey) string {
	id := strconv.FormatInt(x.t.ID, 10)
	switch {
	case k.external:
		return ""
	case k.audience == toRequester:
		return "/my/tickets/" + id
	}
	return "/tickets/" + id
}

// link is the absolute URL of path, for messages read outside opsdesk.
func (x *notice) link(k viewKey) string {
	if p := x.path(k); p != "" {
		return x.s.BaseURL + p
	}
	return ""
}
