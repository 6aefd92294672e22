package notify

import (
	"context"
	"encoding/json"
	"strings"

	"opsdesk/internal/ticket"
)

// viewKey names one rendering of a notice: recipients sharing it share the text.
type viewKey struct {
	lang     string
	audience audience
	redacted bool
	external bool // an external requester: no portal link
}

// render renders the notice for k once, with the bodies of parts; ch is the channel it goes out on
// (nil for in-app only). Recipients sharing k share the rendering, and each body is rendered the
// first time one of them needs it.
func (x *notice) render(ctx context.Context, k viewKey, ch *Channel, parts part) (*rendered, error) {
	if out, ok := x.views[k]; ok {
		return out, out.fill(parts)
	}
	v, err := x.view(ctx, k, ch)
	if err != nil {
		return nil, err
	}
	out, err := renderParts(v, parts)
	if err != nil {
		return nil, err
	}
	x.views[k] = out
	return out, nil
}

// view gathers what the reader of k may see of the notice.
func (x *notice) view(ctx context.Context, k viewKey, ch *Channel) (*view, error) {
	t, e := x.t, x.n.Event
	T := func(key string) string { return phrase(k.lang, key) }
	v := &view{Audience: k.audience, Lang: k.lang, Number: t.Number, Redacted: k.redacted, Link: x.link(k),
		Headline: T(headlineKey(k.lang, e.Kind, k.audience))}
	if k.audience != toBot {
		v.Footer = T("notify.footer")
		if k.audience == toRequester && ch != nil && ch.Kind == Email && ch.Config["reply_to"] != "" {
			v.Footer = T("notify.footer.reply")
		}
	}
	if k.redacted {
		v.Subject = T("notify.confidential")
		return v, nil
	}
	v.Subject, v.Status, v.Priority = t.Subject, T("notify.status."+string(t.Status)), t.Priority.String()
	if k.audience == toRequester {
		key := "notify." + string(e.Kind) + ".lead"
		if catalog().Has(k.lang, key) {
			v.Lead = catalog().T(k.lang, key, map[string]any{"Number": t.Number})
		}
		if e.Kind == ticket.EvSurveyRequested && x.n.SurveyToken != "" {
			v.SurveyLink = x.s.BaseURL + "/survey/" + x.n.SurveyToken
		}
	}
	g, err := x.groupName(ctx)
	if err != nil {
		return nil, err
	}
	v.Group = g
	if t.AssigneeID != 0 {
		p, err := x.person(ctx, t.AssigneeID)
		if err != nil {
			return nil, err
		}
		if p != nil {
			v.Assignee = p.Name
		}
	}
	v.Reason = x.reason(k.lang)
	if c := x.n.Comment; c != nil && e.Kind == ticket.EvCommented {
		v.Comment = c.Body
		if c.AuthorID != 0 {
			p, err := x.person(ctx, c.AuthorID)
			if err != nil {
				return nil, err
			}
			if p != nil {
				v.Author = p.Name
			}
		}
	}
	if e.Kind == ticket.EvResolved {
		v.Cause, v.Solution = t.Cause, t.Solution
	}
	return v, nil
}

func (x *notice) groupName(ctx context.Context) (string, error) {
	if x.t.GroupID == 0 {
		return "", nil
	}
	g, err := x.group(ctx, x.t.GroupID)
	if err != nil || g == nil {
		return "", err
	}
	return g.Name, nil
}

// headlineKey is the catalog key of what happened, in the requester's words where they differ.
func headlineKey(lang string, kind ticket.EventKind, aud audience) string {
	key := "notify." + string(kind) + ".title"
	if aud == toRequester && catalog().Has(lang, key+"_requester") {
		return key + "_requester"
	}
	return key
}

// reason is the history entry's reason as the reader should see it. An SLA entry's reason is
// "<metric> due <time>", written by package sla for the log; it is said again in the reader's words.
func (x *notice) reason(lang string) string {
	e := x.n.Event
	switch e.Kind {
	case ticket.EvSLAWarning, ticket.EvSLABreach:
		// "; <note>" may follow: an action of the policy that could not be done, kept as written.
		head, note, _ := strings.Cut(e.Reason, "; ")
		metric, due, ok := strings.Cut(head, " due ")
		if ok && catalog().Has(lang, "notify.sla."+metric) {
			said := catalog().T(lang, "notify.sla.due", map[string]any{"Metric": phrase(lang, "notify.sla."+metric), "Due": due})
			if note != "" {
				said += "; " + note
			}
			return said
		}
	case ticket.EvAssigned:
		if e.Reason == "self" { // an engineer took the ticket: no reason was given
			return ""
		}
	}
	return e.Reason
}

// renderTest writes a channel's test message in lang.
func renderTest(m *Message, lang, channelName string) error {
	T := func(key string) string { return catalog().T(lang, key) }
	v := &view{Audience: toBot, Lang: lang, Number: "TEST", Headline: T("notify.test.title"), Subject: channelName,
		Lead: T("notify.test.lead"), Link: m.Link, Redacted: true}
	if m.Kind == Email {
		v.Audience, v.Footer = toStaff, T("notify.footer")
	}
	out, err := render(v)
	if err != nil {
		return err
	}
	m.Subject, m.Text, m.HTML = out.Subject, out.Text, ""
	switch m.Kind {
	case Email:
		m.HTML = out.HTML
	case Webhook:
		b, err := json.Marshal(webhookPayload{Event: ChannelTest, Key: m.Key, At: m.CreatedAt.UTC(), Text: out.Text})
		if err != nil {
			return err
		}
		m.Payload = string(b)
	default:
		m.Text = out.Markdown
	}
	return nil
}
