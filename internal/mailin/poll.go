package mailin

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Poller reads the enabled mailboxes over IMAP, each every PollSeconds.
type Poller struct {
	Service *Service
	// Dial connects and logs in to a mailbox's server; DialIMAP with the system's roots when nil.
	Dial func(ctx context.Context, m *Mailbox) (*imapclient.Client, error)
	Log  *slog.Logger

	wakeOnce sync.Once
	wake     chan struct{}
}

// Wake makes Run read the mailbox list again now: a new or changed mailbox is polled at once. It
// never blocks.
func (p *Poller) Wake() {
	select {
	case p.wakeup() <- struct{}{}:
	default:
	}
}

func (p *Poller) wakeup() chan struct{} {
	p.wakeOnce.Do(func() { p.wake = make(chan struct{}, 1) })
	return p.wake
}

// fetchBatch is how many messages one FETCH asks for: few enough that a batch of large mails fits
// in memory, enough that the round trips do not dominate.
const fetchBatch = 50

// DialIMAP connects to a mailbox's server in its TLS mode and logs in. tlsConfig may be nil (the
// system's roots, the mailbox's host as server name); there is never a fallback to a weaker mode.
func DialIMAP(ctx context.Context, m *Mailbox, tlsConfig *tls.Config) (*imapclient.Client, error) {
	addr := net.JoinHostPort(m.Host, strconv.Itoa(m.Port))
	opts := &imapclient.Options{TLSConfig: tlsConfig, Dialer: &net.Dialer{Timeout: 30 * time.Second}}
	var c *imapclient.Client
	var err error
	switch m.TLS {
	case TLSImplicit:
		c, err = imapclient.DialTLS(addr, opts)
	case TLSStart:
		c, err = imapclient.DialStartTLS(addr, opts)
	case TLSNone:
		c, err = imapclient.DialInsecure(addr, opts)
	default:
		return nil, fmt.Errorf("mailin: unknown TLS mode %q", m.TLS)
	}
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", addr, err)
	}
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := c.Login(m.Username, m.Password).Wait(); err != nil {
		c.Close()
		return nil, fmt.Errorf("login as %s: %w", m.Username, err)
	}
	return c, nil
}

func (p *Poller) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}

// PollOnce reads a mailbox's messages newer than its LastUID, takes each in, marks it \Seen and
// advances LastUID after each one is recorded: a crash fetches at most one message again, and
// Deliver's Message-ID check drops the repeat. A new UIDVALIDITY means the server renumbered the
// folder: polling starts over from its first message. It returns how many messages it recorded
// (repeats not counted); the poll's error, or "", is recorded on the mailbox with the time.
func (p *Poller) PollOnce(ctx context.Context, mailboxID int64) (n int, err error) {
	s := p.Service
	m, err := s.Store.Mailbox(ctx, mailboxID)
	if err != nil {
		return 0, err
	}
	defer func() {
		m.LastPolledAt, m.LastError = s.Now().UTC(), ""
		if err != nil {
			m.LastError = clip(err.Error(), 1000)
		}
		if err2 := s.Store.SavePollState(context.WithoutCancel(ctx), m); err == nil {
			err = err2
		}
	}()
	dial := p.Dial
	if dial == nil {
		dial = func(ctx context.Context, m *Mailbox) (*imapclient.Client, error) { return DialIMAP(ctx, m, nil) }
	}
	c, err := dial(ctx, m)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	sel, err := c.Select(m.Folder, nil).Wait()
	if err != nil {
		return 0, fmt.Errorf("select %s: %w", m.Folder, err)
	}
	if sel.UIDValidity != m.UIDValidity {
		if m.UIDValidity != 0 {
			p.log().Warn("mail intake: UIDVALIDITY changed, reading the folder again", "mailbox", m.Name,
				"was", m.UIDValidity, "now", sel.UIDValidity)
		}
		m.UIDValidity, m.LastUID = sel.UIDValidity, 0
		if err := s.Store.SavePollState(ctx, m); err != nil {
			return 0, err
		}
	}
	if sel.NumMessages == 0 || sel.UIDNext != 0 && uint32(sel.UIDNext) <= m.LastUID+1 {
		return 0, c.Logout().Wait()
	}
	sizes, err := p.newMessages(c, m.LastUID)
	if err != nil {
		return 0, err
	}
	uids := slices.Sorted(func(yield func(imap.UID) bool) {
		for u := range sizes {
			if !yield(u) {
				return
			}
		}
	})
	for len(uids) > 0 {
		batch := uids[:min(len(uids), fetchBatch)]
		uids = uids[len(batch):]
		k, err := p.takeBatch(ctx, c, m, batch, sizes)
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, c.Logout().Wait()
}

// newMessages lists the UIDs above last with their sizes.
func (p *Poller) newMessages(c *imapclient.Client, last uint32) (map[imap.UID]int64, error) {
	var set imap.UIDSet
	set.AddRange(imap.UID(last+1), 0) // last+1:*
	bufs, err := c.Fetch(set, &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil {
		return nil, fmt.Errorf("list new messages: %w", err)
	}
	sizes := make(map[imap.UID]int64, len(bufs))
	for _, b := range bufs {
		// "n:*" always includes the highest UID, even below n: only the new ones count.
		if uint32(b.UID) > last {
			sizes[b.UID] = b.RFC822Size
		}
	}
	return sizes, nil
}

// takeBatch fetches a batch of messages (only the header of those too large to take in) and takes
// them in one by one, in UID order.
func (p *Poller) takeBatch(ctx context.Context, c *imapclient.Client, m *Mailbox, batch []imap.UID, sizes map[imap.UID]int64) (int, error) {
	s := p.Service
	whole := &imap.FetchItemBodySection{Peek: true}
	header := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, Peek: true}
	var small, large imap.UIDSet
	for _, u := range batch {
		if sizes[u] > s.maxBytes() {
			large.AddNum(u)
		} else {
			small.AddNum(u)
		}
	}
	raws := map[imap.UID][]byte{}
	for _, f := range []struct {
		set     imap.UIDSet
		section *imap.FetchItemBodySection
	}{{small, whole}, {large, header}} {
		if len(f.set) == 0 {
			continue
		}
		bufs, err := c.Fetch(f.set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{f.section}}).Collect()
		if err != nil {
			return 0, fmt.Errorf("fetch: %w", err)
		}
		for _, b := range bufs {
			raws[b.UID] = b.FindBodySection(f.section)
		}
	}
	n := 0
	for _, u := range batch {
		raw, ok := raws[u]
		if !ok {
			continue // expunged meanwhile
		}
		_, fresh, err := s.deliver(ctx, m.ID, raw, int(max(sizes[u], int64(len(raw)))), s.maxBytes())
		if err != nil {
			return n, fmt.Errorf("message UID %d: %w", u, err)
		}
		if fresh {
			n++
		}
		var one imap.UIDSet
		one.AddNum(u)
		if err := c.Store(one, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close(); err != nil {
			// A read-only folder: the message is recorded and LastUID moves on regardless.
			p.log().Warn("mail intake: cannot mark a message seen", "mailbox", m.Name, "uid", u, "err", err)
		}
		m.LastUID = uint32(u)
		if err := s.Store.SavePollState(ctx, m); err != nil {
			return n, err
		}
	}
	return n, nil
}

// Run polls every enabled mailbox by its PollSeconds until ctx ends. A failed poll is logged and
// recorded on the mailbox; the next one comes at the usual time. The mailbox list is read again at
// least every rescan, so that new and changed mailboxes are picked up.
func (p *Poller) Run(ctx context.Context) {
	const rescan = 30 * time.Second
	s := p.Service
	due := map[int64]time.Time{}
	for {
		ms, err := s.Store.Mailboxes(ctx)
		if err != nil && !errors.Is(err, context.Canceled) {
			p.log().Error("mail intake: list mailboxes", "err", err)
		}
		wait := rescan
		for _, m := range ms {
			if !m.Enabled || ctx.Err() != nil {
				continue
			}
			now := s.Now()
			if at, ok := due[m.ID]; !ok || !now.Before(at) {
				pctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
				n, err := p.PollOnce(pctx, m.ID)
				cancel()
				if err != nil {
					p.log().Warn("mail intake: poll failed", "mailbox", m.Name, "err", err)
				} else if n > 0 {
					p.log().Info("mail intake: messages taken in", "mailbox", m.Name, "count", n)
				}
				now = s.Now()
				due[m.ID] = now.Add(time.Duration(max(m.PollSeconds, 10)) * time.Second)
			}
			wait = min(wait, max(due[m.ID].Sub(now), time.Second))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-p.wakeup():
			t.Stop()
			clear(due) // a saved mailbox may have new settings: poll each at once
		case <-t.C:
		}
	}
}
