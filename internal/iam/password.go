package iam

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"
)

// Argon2Params are the argon2id cost parameters. DefaultArgon2 follows OWASP's recommendation
// (19 MiB, 2 passes); tests use CheapArgon2 so that hashing does not dominate them.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

var (
	DefaultArgon2 = Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1}
	CheapArgon2   = Argon2Params{Memory: 64, Time: 1, Threads: 1}
)

// HashPassword returns the PHC string of an argon2id hash of pw with a random salt.
func HashPassword(pw string, p Argon2Params) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword reports whether pw matches the PHC-encoded hash, using the parameters stored in it.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// PasswordProblems lists the policy rules pw breaks, as message keys; empty means acceptable.
func PasswordProblems(pw, username string, pol Policy) []string {
	var out []string
	if len([]rune(pw)) < pol.MinLength {
		out = append(out, "err.password.too_short")
	}
	if len(pw) > 256 {
		out = append(out, "err.password.too_long")
	}
	var lower, upper, digit, other bool
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			classes++
		}
	}
	if classes < pol.MinClasses {
		out = append(out, "err.password.classes")
	}
	if username != "" && strings.Contains(strings.ToLower(pw), strings.ToLower(username)) {
		out = append(out, "err.password.contains_username")
	}
	return out
}
