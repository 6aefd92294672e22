package notify

import (
	"context"
	"slices"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
)

// PermConfigure lets the system administrator set up channels and watch the outbox.
const PermConfigure = "notify.configure"

// Person is what notify needs to know of a user to tell them something.
type Person struct {
	ID       int64
	Name     string
	Email    string
	Locale   string // "", "zh-CN" or "en"
	Disabled bool
}

// Group is a support group as notify sees it: its manager and its active members.
type Group struct {
	ID        int64
	Name      string
	ManagerID int64
	Members   []int64
}

// People looks up people and support groups; an adapter over iam implements it.
type People interface {
	Person(ctx context.Context, id int64) (*Person, error) // errs.NotFound when absent
	GroupOf(ctx context.Context, id int64) (*Group, error) // errs.NotFound when absent
	// People and Groups look many up at once, for a batch of notices; ids of nobody are missing
	// from the map.
	People(ctx context.Context, ids []int64) (map[int64]*Person, error)
	Groups(ctx context.Context, ids []int64) (map[int64]*Group, error)
}

// Auditor records audit entries in the caller's transaction.
type Auditor interface {
	Record(ctx context.Context, e audit.Entry) error
}

// Service turns ticket notices into inbox entries and outbox messages, and lets people read their
// inbox and choose what they are told, and administrators configure channels and watch the outbox.
type Service struct {
	Store   Store
	People  People
	Audit   Auditor
	BaseURL string // e.g. https://desk.corp.cn, without a trailing slash; links in messages start with it
	Now     func() time.Time
	// Wake, when set, tells the sender there is work. It only nudges: it runs before the
	// transaction commits, and the sender polls anyway.
	Wake func()
}

// self returns the acting user's ID, or an Unauthenticated error.
func self(ctx context.Context) (int64, error) {
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 {
		return 0, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	return a.UserID, nil
}

// admin checks that the actor may configure notifications.
func admin(ctx context.Context) error {
	a := actor.FromContext(ctx)
	switch {
	case a.Can(PermConfigure):
		return nil
	case a == nil || a.UserID == 0:
		return errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	return errs.E(errs.Forbidden, "err.forbidden")
}

// DefaultLimit and MaxLimit bound the lists of the inbox and the outbox.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

func limitOf(n int) int {
	if n <= 0 {
		return DefaultLimit
	}
	return min(n, MaxLimit)
}

// Inbox lists the actor's own notifications, newest first.
func (s *Service) Inbox(ctx context.Context, unreadOnly bool, limit int) ([]*Notification, error) {
	uid, err := self(ctx)
	if err != nil {
		return nil, err
	}
	return s.Store.Notifications(ctx, uid, unreadOnly, limitOf(limit))
}

// Unread counts the actor's unread notifications (the bell's badge).
func (s *Service) Unread(ctx context.Context) (int, error) {
	uid, err := self(ctx)
	if err != nil {
		return 0, err
	}
	return s.Store.Unread(ctx, uid)
}

// MarkRead marks the actor's notifications read: those of ids, or all of them when ids is empty.
// IDs of someone else's notifications change nothing: the store matches them with the actor's ID.
func (s *Service) MarkRead(ctx context.Context, ids []int64) error {
	uid, err := self(ctx)
	if err != nil {
		return err
	}
	return s.Store.MarkRead(ctx, uid, ids, s.Now())
}

// PrefKinds are the channel kinds a person chooses per event.
var PrefKinds = []Kind{InApp, Email}

// Preferences returns the actor's whole Events × PrefKinds matrix, in that order, with the
// default (on) wherever nothing is stored.
func (s *Service) Preferences(ctx context.Context) ([]*Preference, error) {
	uid, err := self(ctx)
	if err != nil {
		return nil, err
	}
	stored, err := s.Store.Preferences(ctx, uid)
	if err != nil {
		return nil, err
	}
	return matrix(uid, stored), nil
}

// matrix fills the full preference matrix of uid from the stored rows.
func matrix(uid int64, stored []*Preference) []*Preference {
	out := make([]*Preference, 0, len(Events)*len(PrefKinds))
	for _, e := range Events {
		for _, k := range PrefKinds {
			p := &Preference{UserID: uid, Event: e, Kind: k, Enabled: true}
			for _, x := range stored {
				if x.Event == e && x.Kind == k {
					p.Enabled = x.Enabled
				}
			}
			out = append(out, p)
		}
	}
	return out
}

// SavePreferences stores the actor's choices; entries not given keep their state. An unknown
// event or kind is refused and nothing is saved.
func (s *Service) SavePreferences(ctx context.Context, ps []*Preference) error {
	uid, err := self(ctx)
	if err != nil {
		return err
	}
	var f errs.Fields
	clean := make([]*Preference, 0, len(ps))
	for _, p := range ps {
		switch {
		case p == nil:
			continue
		case !slices.Contains(Events, p.Event):
			f.Add("event", "err.notify.event")
		case !slices.Contains(PrefKinds, p.Kind):
			f.Add("kind", "err.notify.pref_kind")
		default:
			clean = append(clean, &Preference{UserID: uid, Event: p.Event, Kind: p.Kind, Enabled: p.Enabled})
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.Store.SavePreferences(ctx, uid, clean)
}
