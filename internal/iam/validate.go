package iam

import (
	"net/mail"
	"regexp"
	"strings"

	"opsdesk/internal/errs"
)

var (
	usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)
	phoneRE    = regexp.MustCompile(`^[0-9+\- ()]{3,20}$`)
	codeRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
)

// UserFields are the editable attributes of a user.
type UserFields struct {
	Name, Phone, Email, Post string
	OrgUnitID                int64
}

func (uf *UserFields) normalize() {
	uf.Name, uf.Phone = strings.TrimSpace(uf.Name), strings.TrimSpace(uf.Phone)
	uf.Email, uf.Post = strings.TrimSpace(strings.ToLower(uf.Email)), strings.TrimSpace(uf.Post)
}

func (uf UserFields) check(f *errs.Fields) {
	f.Line("name", uf.Name, 1, 64)
	f.Line("post", uf.Post, 0, 64)
	if uf.Phone != "" && !phoneRE.MatchString(uf.Phone) {
		f.Add("phone", "err.phone")
	}
	if uf.Email != "" {
		if a, err := mail.ParseAddress(uf.Email); err != nil || a.Address != uf.Email || len(uf.Email) > 254 {
			f.Add("email", "err.email")
		}
	}
	if uf.OrgUnitID <= 0 {
		f.Add("org_unit_id", "err.required")
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
	var f errs.Fields
	if !usernameRE.MatchString(n.Username) {
		f.Add("username", "err.username")
	}
	n.UserFields.check(&f)
	return f.Err()
}
