package errs

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fields collects the field errors of one input, so that a form or a request body reports every
// problem at once rather than the first.
type Fields []any

// Add records a problem of a field; msg is a catalog key.
func (f *Fields) Add(name, msg string) { *f = append(*f, Field(name, msg)) }

// Line checks a one-line text field: valid UTF-8, no control characters, min to max runes.
func (f *Fields) Line(name, v string, min, max int) {
	f.check(name, v, min, max, func(r rune) bool { return unicode.IsControl(r) })
}

// Text checks a multi-line text field: like Line, but line breaks and tabs are allowed.
func (f *Fields) Text(name, v string, min, max int) {
	f.check(name, v, min, max, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' })
}

func (f *Fields) check(name, v string, min, max int, bad func(rune) bool) {
	switch n := utf8.RuneCountInString(v); {
	case !utf8.ValidString(v):
		f.Add(name, "err.utf8")
	case strings.IndexFunc(v, bad) >= 0:
		f.Add(name, "err.control_chars")
	case n < min:
		f.Add(name, "err.required")
	case n > max:
		f.Add(name, "err.too_long")
	}
}

// Err returns an Invalid error carrying every field error, or nil when there is none.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return E(append([]any{Invalid, "err.invalid"}, f...)...)
}
