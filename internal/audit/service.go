package audit

import (
	"context"
	"strconv"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
)

// Store persists the chain. Append must serialise writers (one chain head) and run in the caller's
// transaction when there is one, so that an entry commits or rolls back with its change.
type Store interface {
	// Append sets e.Seq and e.PrevHash from the current head, calls seal to set e.Hash, and stores e.
	Append(ctx context.Context, e *Entry, seal func(*Entry)) error
	// AppendAll appends es in order as Append would one by one, reading the head once and storing
	// them together.
	AppendAll(ctx context.Context, es []*Entry, seal func(*Entry)) error
	Search(ctx context.Context, f Filter) ([]*Entry, error)
	// Each calls fn for every entry in sequence order, stopping at the first error.
	Each(ctx context.Context, fn func(*Entry) error) error
}

// Permissions checked here; iam bundles them into the auditor role.
const (
	PermRead   = "audit.read"
	PermExport = "audit.export"
)

// Service records and reads the audit log.
type Service struct {
	Store Store
	Now   func() time.Time
}

// Record appends e, filling who, from where and when from the actor in ctx. Call it inside the
// transaction of the change it describes.
func (s *Service) Record(ctx context.Context, e Entry) error {
	s.fill(ctx, &e)
	return s.Store.Append(ctx, &e, func(e *Entry) { e.Hash = Hash(e) })
}

// RecordAll appends several entries in order, all by the actor in ctx, and sets their Seq and Hash:
// what Record does for each, with one read of the chain head and one insert, for a job that records
// many changes in one transaction (the SLA engine's firings).
func (s *Service) RecordAll(ctx context.Context, es []Entry) error {
	if len(es) == 0 {
		return nil
	}
	ps := make([]*Entry, len(es))
	for i := range es {
		s.fill(ctx, &es[i])
		ps[i] = &es[i]
	}
	return s.Store.AppendAll(ctx, ps, func(e *Entry) { e.Hash = Hash(e) })
}

// fill sets who, from where and when on e, and bounds its text.
func (s *Service) fill(ctx context.Context, e *Entry) {
	if a := actor.FromContext(ctx); a != nil {
		e.ActorID, e.ActorName = a.UserID, a.Username
		e.IP, e.UserAgent, e.Source = a.IP, truncate(a.UserAgent, 512), string(a.Source)
	}
	if e.ActorName == "" {
		e.ActorName = "anonymous"
	}
	if e.Result == "" {
		e.Result = ResultOK
	}
	e.At = s.Now().UTC().Truncate(time.Microsecond)
	e.Detail = truncate(e.Detail, 2000)
}

// Search returns entries matching f, newest first. Only auditors may read the log.
func (s *Service) Search(ctx context.Context, f Filter) ([]*Entry, error) {
	if !actor.FromContext(ctx).Can(PermRead) {
		return nil, errs.E(errs.Forbidden, "err.forbidden")
	}
	f.Normalize()
	return s.Store.Search(ctx, f)
}

// Verify walks the whole chain and returns the first break, or nil when every link holds. It needs no
// actor: the CLI runs it on the server's own database.
func (s *Service) Verify(ctx context.Context) (n int64, brk *Break, err error) {
	prev, want := GenesisHash, int64(1)
	err = s.Store.Each(ctx, func(e *Entry) error {
		n++
		switch {
		case e.Seq != want:
			brk = &Break{Seq: want, Reason: "entry missing (sequence jumps to " + itoa(e.Seq) + ")"}
		case e.PrevHash != prev:
			brk = &Break{Seq: e.Seq, Reason: "previous-hash link does not match the entry before"}
		case Hash(e) != e.Hash:
			brk = &Break{Seq: e.Seq, Reason: "content does not match its hash (edited)"}
		}
		if brk != nil {
			return errStop
		}
		prev, want = e.Hash, e.Seq+1
		return nil
	})
	if err == errStop {
		err = nil
	}
	return n, brk, err
}

var errStop = errs.E(errs.Internal, "stop")

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
