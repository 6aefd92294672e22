package notify

import (
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"opsdesk/internal/errs"
)

// ChannelKinds are the kinds an administrator may configure, in the order the form offers them.
var ChannelKinds = []Kind{Email, WeCom, DingTalk, Feishu, Webhook}

// IsBot reports whether k posts to a chat or a system (one message per event) rather than to people.
func (k Kind) IsBot() bool { return k == WeCom || k == DingTalk || k == Feishu || k == Webhook }

// Field is one setting of a channel kind, for the form and for validation.
type Field struct {
	Key      string
	Secret   bool   // never shown back; an empty or Masked value on update keeps the stored one
	Required bool   // after a kept secret is filled in
	Label    string // i18n key
}

// Masked stands for a stored secret in what is shown back; saving it keeps the secret.
const Masked = "********"

// TLS modes of an SMTP server.
const (
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
	TLSStart    = "starttls" // STARTTLS upgrade (port 587)
	TLSNone     = "none"     // plain, only inside a trusted network
)

var (
	fieldURL  = Field{Key: "url", Required: true, Label: "notify.field.url"}
	fieldLang = Field{Key: "lang", Label: "notify.field.lang"}
)

// ConfigFields lists the settings of each channel kind.
var ConfigFields = map[Kind][]Field{
	Email: {
		{Key: "host", Required: true, Label: "notify.field.host"},
		{Key: "port", Required: true, Label: "notify.field.port"},
		{Key: "tls", Required: true, Label: "notify.field.tls"},
		{Key: "username", Label: "notify.field.username"},
		{Key: "password", Secret: true, Label: "notify.field.password"},
		{Key: "from", Required: true, Label: "notify.field.from"},
		{Key: "from_name", Label: "notify.field.from_name"},
		{Key: "reply_to", Label: "notify.field.reply_to"},
		{Key: "plus_addressing", Label: "notify.field.plus_addressing"},
		// Many intranet mail servers present a self-signed certificate; the administrator may choose to
		// accept it (the connection is still encrypted, the server just is not verified).
		{Key: "insecure_skip_verify", Label: "notify.field.insecure_skip_verify"},
		fieldLang,
	},
	WeCom:    {fieldURL, fieldLang},
	DingTalk: {fieldURL, {Key: "secret", Secret: true, Label: "notify.field.dingtalk_secret"}, fieldLang},
	Feishu:   {fieldURL, {Key: "secret", Secret: true, Label: "notify.field.feishu_secret"}, fieldLang},
	Webhook:  {fieldURL, {Key: "secret", Secret: true, Required: true, Label: "notify.field.webhook_secret"}, fieldLang},
}

// field returns the setting key of kind k.
func field(k Kind, key string) (Field, bool) {
	i := slices.IndexFunc(ConfigFields[k], func(f Field) bool { return f.Key == key })
	if i < 0 {
		return Field{}, false
	}
	return ConfigFields[k][i], true
}

// masked returns a copy of c whose secrets read Masked.
func masked(c *Channel) *Channel {
	out := *c
	out.Events = slices.Clone(c.Events)
	out.Config = make(map[string]string, len(c.Config))
	for k, v := range c.Config {
		if f, ok := field(c.Kind, k); ok && f.Secret && v != "" {
			v = Masked
		} else if k == "url" {
			v = maskURL(v)
		}
		out.Config[k] = v
	}
	return &out
}

// keepSecrets fills the secrets c leaves empty or Masked from the stored channel of the same kind.
func keepSecrets(c, stored *Channel) {
	if stored == nil || stored.Kind != c.Kind {
		return
	}
	for _, f := range ConfigFields[c.Kind] {
		if v := c.Config[f.Key]; f.Secret && (v == "" || v == Masked) {
			c.Config[f.Key] = stored.Config[f.Key]
		}
	}
	if u := c.Config["url"]; u != "" && u != stored.Config["url"] && u == maskURL(stored.Config["url"]) {
		c.Config["url"] = stored.Config["url"]
	}
}

// maskURL hides the credential a bot's webhook URL carries: WeCom's ?key=, DingTalk's
// ?access_token=, the token Feishu puts as the last path segment. Every query value is masked, and a
// last path segment long enough to be a token. The form sends the masked URL back unchanged, and
// keepSecrets then keeps the stored one.
func maskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	path := u.EscapedPath()
	if i := strings.LastIndexByte(path, '/'); i >= 0 && len(path)-i-1 >= 16 {
		path = path[:i+1] + Masked
	}
	out := u.Scheme + "://" + u.Host + path
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			if k, _, ok := strings.Cut(p, "="); ok {
				parts[i] = k + "=" + Masked
			}
		}
		out += "?" + strings.Join(parts, "&")
	}
	return out
}

// normalize trims the input and drops what does not apply to the kind: e-mail reaches people who
// asked for it, so it has no event subscription or group.
func normalize(c *Channel) {
	c.Name = strings.TrimSpace(c.Name)
	cfg := make(map[string]string, len(c.Config))
	for k, v := range c.Config {
		if f, ok := field(c.Kind, k); !ok || !f.Secret {
			v = strings.TrimSpace(v)
		}
		if v != "" {
			cfg[k] = v
		}
	}
	c.Config = cfg
	if c.Kind == Email {
		c.Events, c.GroupID = nil, 0
	}
	slices.Sort(c.Events)
	c.Events = slices.Compact(c.Events)
}

// check validates a normalized channel; every problem is reported at once, by field name (a
// setting's key for its own problems).
func check(c *Channel) errs.Fields {
	var f errs.Fields
	f.Line("name", c.Name, 1, 64)
	if !slices.Contains(ChannelKinds, c.Kind) {
		f.Add("kind", "err.notify.kind")
		return f
	}
	for _, e := range c.Events {
		if !slices.Contains(Events, e) {
			f.Add("events", "err.notify.event")
			break
		}
	}
	if c.GroupID < 0 {
		f.Add("group_id", "err.group.unknown")
	}
	for k := range c.Config {
		if _, ok := field(c.Kind, k); !ok {
			f.Add(k, "err.notify.setting")
		}
	}
	for _, fd := range ConfigFields[c.Kind] {
		v := c.Config[fd.Key]
		if v == "" {
			if fd.Required {
				f.Add(fd.Key, "err.required")
			}
			continue
		}
		checkValue(&f, fd.Key, v)
	}
	if c.Config["plus_addressing"] == "true" && c.Config["reply_to"] == "" {
		f.Add("reply_to", "err.notify.plus_needs_reply_to")
	}
	return f
}

// checkValue checks one non-empty setting.
func checkValue(f *errs.Fields, key, v string) {
	switch key {
	case "url":
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(v) > 2000 {
			f.Add(key, "err.notify.url")
		}
	case "port":
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 65535 {
			f.Add(key, "err.notify.port")
		}
	case "tls":
		if v != TLSImplicit && v != TLSStart && v != TLSNone {
			f.Add(key, "err.notify.tls")
		}
	case "from", "reply_to":
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
			f.Add(key, "err.notify.address")
		}
	case "plus_addressing", "insecure_skip_verify":
		if v != "true" && v != "false" {
			f.Add(key, "err.notify.bool")
		}
	case "lang":
		if v != "zh-CN" && v != "en" {
			f.Add(key, "err.notify.lang")
		}
	case "host":
		f.Line(key, v, 1, 253)
		if strings.ContainsAny(v, " /@") {
			f.Add(key, "err.notify.host")
		}
	case "password", "secret":
		f.Line(key, v, 1, 512)
	default: // username, from_name
		f.Line(key, v, 0, 256)
	}
}
