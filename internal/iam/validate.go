package iam

import (
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"opsdesk/internal/errs"
)

var (
	usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)
	phoneRE    = regexp.MustCompile(`^[0-9+\- ()]{3,20}$`)
	codeRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
)

// fieldErrs collects field problems and turns them into one Invalid error.
type fieldErrs []any

func (f *fieldErrs) add(name, msg string) { *f = append(*f, errs.Field(name, msg)) }

// text checks a free-text field: valid UTF-8, no control characters, length within [min, max] runes.
func (f *fieldErrs) text(name, v string, min, max int) {
	switch n := utf8.RuneCountInString(v); {
	case !utf8.ValidString(v):
		f.add(name, "err.utf8")
	case strings.IndexFunc(v, func(r rune) bool { return unicode.IsControl(r) }) >= 0:
		f.add(name, "err.control_chars")
	case n < min:
		f.add(name, "err.required")
	case n > max:
		f.add(name, "err.too_long")
	}
}

func (f fieldErrs) err() error {
	if len(f) == 0 {
		return nil
	}
	return errs.E(append([]any{errs.Invalid, "err.invalid"}, f...)...)
}

// UserFields are the editable attributes of a user.
type UserFields struct {
	Name, Phone, Email, Post string
	OrgUnitID                int64
}

func (uf *UserFields) normalize() {
	uf.Name, uf.Phone = strings.TrimSpace(uf.Name), strings.TrimSpace(uf.Phone)
	uf.Email, uf.Post = strings.TrimSpace(strings.ToLower(uf.Email)), strings.TrimSpace(uf.Post)
}

func (uf UserFields) check(f *fieldErrs) {
	f.text("name", uf.Name, 1, 64)
	f.text("post", uf.Post, 0, 64)
	if uf.Phone != "" && !phoneRE.MatchString(uf.Phone) {
		f.add("phone", "err.phone")
	}
	if uf.Email != "" {
		if a, err := mail.ParseAddress(uf.Email); err != nil || a.Address != uf.Email || len(uf.Email) > 254 {
			f.add("email", "err.email")
		}
	}
	if uf.OrgUnitID <= 0 {
		f.add("org_unit_id", "err.required")
	}
}

// NewUser is what an administrator gives to create an account.
type NewUser struct {
	Username string
	UserFields
	Password string   // initial password; the user must change it at first login
	Roles    []string // role codes
}

func (n *NewUser) check() error {
	n.Username = strings.TrimSpace(strings.ToLower(n.Username))
	n.normalize()
	var f fieldErrs
	if !usernameRE.MatchString(n.Username) {
		f.add("username", "err.username")
	}
	n.UserFields.check(&f)
	return f.err()
}
