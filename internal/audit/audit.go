// Package audit keeps the tamper-evident audit log (审计日志): every state change and every
// security-relevant event, who did it, from where, and what changed. Entries are hash-chained so that
// editing or deleting one breaks the chain, and nothing in opsdesk updates or deletes them.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Result says how an audited attempt ended.
const (
	ResultOK     = "ok"
	ResultDenied = "denied" // permission refused, bad credentials, CSRF …
	ResultFailed = "failed"
)

// Entry is one audit record. Before and After are JSON snapshots of the target ("" when absent).
type Entry struct {
	Seq        int64
	At         time.Time
	ActorID    int64
	ActorName  string
	Action     string // e.g. user.create, auth.login
	TargetType string
	TargetID   string
	IP         string
	UserAgent  string
	Source     string // web, api, cli, job
	Result     string
	Detail     string
	Before     string
	After      string
	PrevHash   string
	Hash       string
}

// GenesisHash is the PrevHash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Hash computes the chain hash of e over its PrevHash and every recorded field. At is hashed at
// microsecond precision in UTC, which both database engines keep exactly.
func Hash(e *Entry) string {
	h := sha256.New()
	for _, f := range []string{
		strconv.FormatInt(e.Seq, 10), e.PrevHash, e.At.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano),
		strconv.FormatInt(e.ActorID, 10), e.ActorName, e.Action, e.TargetType, e.TargetID,
		e.IP, e.UserAgent, e.Source, e.Result, e.Detail, e.Before, e.After,
	} {
		// Length-prefix each field so that moving text between fields changes the hash.
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Filter selects entries for the auditor's search. Zero values do not filter.
type Filter struct {
	Actor      string // user name, exact
	Action     string // prefix, e.g. "user." or "auth.login"
	TargetType string
	TargetID   string
	Result     string
	IP         string
	From, To   time.Time
	Text       string // substring of detail, before or after
	Limit      int
	BeforeSeq  int64 // keyset pagination: entries with Seq < BeforeSeq
}

// Normalize fills defaults and bounds the page size.
func (f *Filter) Normalize() {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	f.Actor = strings.TrimSpace(f.Actor)
	f.Action = strings.TrimSpace(f.Action)
	f.Text = strings.TrimSpace(f.Text)
}

// Break describes the first place where the chain does not hold.
type Break struct {
	Seq    int64
	Reason string
}
