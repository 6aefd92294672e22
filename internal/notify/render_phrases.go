package notify

import (
	"regexp"
	"strings"
	"sync"
)

// phrases memoises the catalog's wording that takes no data, by language and key: go-i18n matches
// the language again on each call, and a tick asks for the same labels hundreds of times. The keys
// are the code's and the catalog's, so the map stays small.
var phrases sync.Map // [2]string{lang, key} → string

func phrase(lang, key string) string {
	k := [2]string{lang, key}
	if s, ok := phrases.Load(k); ok {
		return s.(string)
	}
	s := catalog().T(lang, key)
	phrases.Store(k, s)
	return s
}

// tCall is a template's {{t "key"}}: the wording of a label in the template's language.
var tCall = regexp.MustCompile(`\{\{t "([A-Za-z0-9_.]+)"\}\}`)

// inlinePhrases writes the wording of each {{t "key"}} of a template's source into its text, so
// that executing it calls no function (text/template calls one by reflection) for the labels every
// message repeats. A wording that would not render the same as text stays a call: one with template
// delimiters, and in HTML one with a character html/template escapes. TestInlinePhrases renders
// every kind of view both ways.
func inlinePhrases(src, lang string, html bool) string {
	return tCall.ReplaceAllStringFunc(src, func(call string) string {
		p := phrase(lang, tCall.FindStringSubmatch(call)[1])
		if strings.Contains(p, "{{") || strings.Contains(p, "}}") || html && strings.ContainsAny(p, "&'\"<>+\x00") {
			return call
		}
		return p
	})
}
