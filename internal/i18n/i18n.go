// Package i18n holds opsdesk's message catalogs (zh-CN first, English too) and picks the language of
// a request. Catalogs are TOML files embedded in the binary, one pair per area (errors, web, …).
package i18n

import (
	"embed"
	"io/fs"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml"
	"golang.org/x/text/language"
)

// Languages opsdesk speaks; the first is the default.
const (
	ZH = "zh-CN"
	EN = "en"
)

//go:embed locales/*.toml
var locales embed.FS

// Bundle translates message keys. It is safe for concurrent use.
type Bundle struct {
	b          *i18n.Bundle
	localizers map[string]*i18n.Localizer
	keys       map[string]map[string]bool // lang → keys, for the completeness test
}

// New loads the embedded catalogs. It panics on a malformed catalog, which is a build error.
func New() *Bundle {
	b := i18n.NewBundle(language.SimplifiedChinese)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	keys := map[string]map[string]bool{ZH: {}, EN: {}}
	files, _ := fs.Glob(locales, "locales/*.toml")
	for _, f := range files {
		data, err := locales.ReadFile(f)
		if err != nil {
			panic(err)
		}
		// Files are named area.<lang>.toml; go-i18n reads the language from the name.
		mf, err := b.ParseMessageFileBytes(data, f)
		if err != nil {
			panic(err)
		}
		lang := EN
		if strings.HasSuffix(f, ".zh-CN.toml") {
			lang = ZH
		}
		for _, m := range mf.Messages {
			keys[lang][m.ID] = true
		}
	}
	return &Bundle{b: b, keys: keys, localizers: map[string]*i18n.Localizer{
		ZH: i18n.NewLocalizer(b, ZH), EN: i18n.NewLocalizer(b, EN),
	}}
}

// T translates key into lang, filling {{.Name}} placeholders from data. An unknown key is returned as
// is, so that a missing translation is visible rather than blank.
func (b *Bundle) T(lang, key string, data ...map[string]any) string {
	l, ok := b.localizers[lang]
	if !ok {
		l = b.localizers[ZH]
	}
	cfg := &i18n.LocalizeConfig{MessageID: key}
	if len(data) > 0 {
		cfg.TemplateData = data[0]
	}
	s, err := l.Localize(cfg)
	if err != nil || s == "" {
		return key
	}
	return s
}

// Has reports whether key exists in lang.
func (b *Bundle) Has(lang, key string) bool { return b.keys[lang][key] }

// Keys returns the keys of lang.
func (b *Bundle) Keys(lang string) map[string]bool { return b.keys[lang] }

var matcher = language.NewMatcher([]language.Tag{language.SimplifiedChinese, language.English})

// Pick chooses the language of a request: the user's stored choice, then a language cookie, then the
// Accept-Language header; zh-CN when nothing says otherwise.
func Pick(userLocale, cookie, acceptLanguage string) string {
	for _, v := range []string{userLocale, cookie} {
		if v == ZH || v == EN {
			return v
		}
	}
	if acceptLanguage == "" {
		return ZH
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return ZH
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No || idx == 0 {
		return ZH
	}
	return EN
}
