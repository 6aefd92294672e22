// Package errs classifies errors by kind so that the web, API and CLI layers can map them to a status
// and show a message the user understands, while the detail stays in the log for the operator.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error. Append only: the order never changes.
type Kind uint8

const (
	Internal        Kind = iota // unclassified; users see a generic message
	Invalid                     // the input breaks a rule; Fields names what
	NotFound                    // the thing asked for does not exist or is out of the actor's scope
	Conflict                    // a uniqueness rule or a stale version
	Forbidden                   // the actor may not do this
	Unauthenticated             // no valid session or token
	TooMany                     // rate limit or lock-out
)

var kindNames = [...]string{"internal", "invalid", "not_found", "conflict", "forbidden", "unauthenticated", "too_many"}

// String is the wire name of the kind, as used in the API error shape.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "internal"
}

// Error is a classified error. Msg is a message key from the i18n catalog (or plain text) meant for
// the user; Op and Err carry the operator's detail.
type Error struct {
	Kind   Kind
	Msg    string            // user-facing message key, e.g. "err.user.exists"
	Fields map[string]string // field name → message key
	Op     string
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(e.Kind.String())
	if e.Msg != "" {
		b.WriteString(": ")
		b.WriteString(e.Msg)
	}
	if len(e.Fields) > 0 {
		fmt.Fprintf(&b, " %v", e.Fields)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// FieldErr names one invalid field; pass it to E.
type FieldErr struct{ Name, Msg string }

// Field builds a FieldErr for E.
func Field(name, msg string) FieldErr { return FieldErr{name, msg} }

// E builds an *Error from its arguments: a Kind, a string (the user message key), FieldErr values,
// and an error (the cause).
func E(args ...any) error {
	e := &Error{}
	for _, a := range args {
		switch v := a.(type) {
		case Kind:
			e.Kind = v
		case string:
			e.Msg = v
		case FieldErr:
			if e.Fields == nil {
				e.Fields = map[string]string{}
			}
			e.Fields[v.Name] = v.Msg
		case map[string]string:
			if e.Fields == nil {
				e.Fields = map[string]string{}
			}
			for k, m := range v {
				e.Fields[k] = m
			}
		case error:
			e.Err = v
		}
	}
	return e
}

// Wrap annotates *errp with the operation name, keeping its kind. Use it with defer.
func Wrap(errp *error, format string, args ...any) {
	if *errp == nil {
		return
	}
	*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
}

// KindOf reports the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err is classified as kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// Info returns the user message key and field errors of err; for Internal errors and unclassified ones
// it returns "err.internal", so that no detail leaks to users.
func Info(err error) (msg string, fields map[string]string) {
	var e *Error
	if !errors.As(err, &e) || e.Kind == Internal {
		return "err.internal", nil
	}
	msg = e.Msg
	if msg == "" {
		msg = "err." + e.Kind.String()
	}
	return msg, e.Fields
}
