package web

import (
	"net/http"
	"slices"

	"opsdesk/internal/iam"
	"opsdesk/internal/notify"
)

// notifyChannelFormPage creates or edits a channel. Its settings are generated from
// notify.ConfigFields of the kind; a new channel picks its kind first, an existing one keeps it.
type notifyChannelFormPage struct {
	basePage
	IsNew  bool
	Kinds  []notify.Kind // the kinds a new channel may take
	Form   notifyChannelForm
	Fields []channelField
	Events []notify.Event
	Groups []*iam.Group
	// TLSModes are the SMTP security modes, the recommended one first.
	TLSModes []string
}

// notifyChannelForm is what the channel form submits, apart from the settings.
type notifyChannelForm struct {
	ID      int64
	Version int
	Kind    notify.Kind
	Name    string
	Enabled bool
	Events  []string
	GroupID int64
}

// IsBot reports whether the form is for a bot or webhook, which subscribe to events.
func (f notifyChannelForm) IsBot() bool { return f.Kind.IsBot() }

// channelField is one setting as the form shows it. A secret's value is never put in the page;
// Set says that one is stored.
type channelField struct {
	notify.Field
	Value string
	Set   bool
	Input string // text, password, number, url, email, tls, lang or checkbox
}

// channelFields builds the settings of kind k from the values shown and the stored (masked) config.
func channelFields(k notify.Kind, values, stored map[string]string) []channelField {
	var out []channelField
	for _, f := range notify.ConfigFields[k] {
		cf := channelField{Field: f, Input: inputOf(f)}
		if f.Secret {
			cf.Set = stored[f.Key] != ""
		} else {
			cf.Value = values[f.Key]
		}
		out = append(out, cf)
	}
	return out
}

func inputOf(f notify.Field) string {
	switch {
	case f.Secret:
		return "password"
	case f.Key == "tls" || f.Key == "lang":
		return f.Key
	case f.Key == "plus_addressing" || f.Key == "insecure_skip_verify":
		return "checkbox"
	case f.Key == "port":
		return "number"
	case f.Key == "url":
		return "url"
	case f.Key == "from" || f.Key == "reply_to":
		return "email"
	}
	return "text"
}

// readChannelForm reads the form into a channel of the submitted kind. An unticked checkbox setting
// is sent as "false" so that switching it off is saved.
func readChannelForm(r *http.Request, fe fieldErrors) (notifyChannelForm, *notify.Channel) {
	f := notifyChannelForm{Version: fe.int(r, "version"), Kind: notify.Kind(r.PostFormValue("kind")),
		Name: r.PostFormValue("name"), Enabled: r.PostFormValue("enabled") != "", Events: r.PostForm["events"],
		GroupID: fe.id(r, "group_id")}
	c := &notify.Channel{Kind: f.Kind, Name: f.Name, Enabled: f.Enabled, GroupID: f.GroupID, Config: map[string]string{}}
	for _, e := range f.Events {
		c.Events = append(c.Events, notify.Event(e))
	}
	for _, fd := range notify.ConfigFields[f.Kind] {
		v := r.PostFormValue(fd.Key)
		if inputOf(fd) == "checkbox" {
			v = map[bool]string{true: "true", false: "false"}[v != ""]
		}
		c.Config[fd.Key] = v
	}
	return f, c
}

// notifyChannelNew renders the empty form of the kind chosen (?kind=), e-mail by default.
func (h *Handler) notifyChannelNew(w http.ResponseWriter, r *http.Request) error {
	k := notify.Kind(r.URL.Query().Get("kind"))
	if !slices.Contains(notify.ChannelKinds, k) {
		k = notify.ChannelKinds[0]
	}
	p, err := h.notifyChannelFormPage(r, true)
	if err != nil {
		return err
	}
	p.Form = notifyChannelForm{Kind: k, Enabled: true}
	defaults := map[string]string{}
	if k == notify.Email {
		defaults = map[string]string{"tls": notify.TLSStart, "port": "587"}
	}
	p.Fields = channelFields(k, defaults, nil)
	h.render(w, r, http.StatusOK, "notify/channel_form", p)
	return nil
}

// notifyChannelEdit renders the form of an existing channel; secrets show only as set.
func (h *Handler) notifyChannelEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := h.d.Notify.Channel(r.Context(), id)
	if err != nil {
		return err
	}
	p, err := h.notifyChannelFormPage(r, false)
	if err != nil {
		return err
	}
	p.Form = notifyChannelForm{ID: c.ID, Version: c.Version, Kind: c.Kind, Name: c.Name, Enabled: c.Enabled, GroupID: c.GroupID}
	for _, e := range c.Events {
		p.Form.Events = append(p.Form.Events, string(e))
	}
	p.Fields = channelFields(c.Kind, c.Config, c.Config)
	h.render(w, r, http.StatusOK, "notify/channel_form", p)
	return nil
}

func (h *Handler) notifyChannelFormPage(r *http.Request, isNew bool) (*notifyChannelFormPage, error) {
	title := "web.channels.new"
	if !isNew {
		title = "web.channels.edit"
	}
	groups, err := h.d.IAM.Groups(r.Context())
	if err != nil {
		return nil, err
	}
	return &notifyChannelFormPage{basePage: h.base(r, title), IsNew: isNew, Kinds: notify.ChannelKinds,
		Events: notify.Events, Groups: groups, TLSModes: []string{notify.TLSStart, notify.TLSImplicit, notify.TLSNone}}, nil
}

// settingError returns the form-level message for a validation error: the message of a field the
// form does not show (a setting the kind lacks, the kind itself), else msg, so that no problem goes
// unseen.
func settingError(msg string, fields map[string]string, k notify.Kind) string {
	shown := []string{"name", "events", "group_id", "version"}
	for _, f := range notify.ConfigFields[k] {
		shown = append(shown, f.Key)
	}
	for key, m := range fields {
		if !slices.Contains(shown, key) {
			return m
		}
	}
	return msg
}
