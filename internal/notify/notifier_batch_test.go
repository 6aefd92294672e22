package notify_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/notify"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// countingPeople counts the look-ups of people, to see that a batch shares them.
type countingPeople struct {
	inner   notify.People
	persons atomic.Int32 // people looked up, one by one or in a batch
	batches atomic.Int32 // calls of People
}

func (c *countingPeople) Person(ctx context.Context, id int64) (*notify.Person, error) {
	c.persons.Add(1)
	return c.inner.Person(ctx, id)
}

func (c *countingPeople) People(ctx context.Context, ids []int64) (map[int64]*notify.Person, error) {
	c.persons.Add(int32(len(ids)))
	c.batches.Add(1)
	return c.inner.People(ctx, ids)
}

func (c *countingPeople) GroupOf(ctx context.Context, id int64) (*notify.Group, error) {
	return c.inner.GroupOf(ctx, id)
}

func (c *countingPeople) Groups(ctx context.Context, ids []int64) (map[int64]*notify.Group, error) {
	return c.inner.Groups(ctx, ids)
}

// TestNoticeAllBatch: the SLA engine's batch of notify-only firings (ticket.Service.SLANoted, which
// calls NoticeAll) tells each ticket's assignee, owner and group manager exactly as one notice at a
// time does — preferences followed, a silent firing telling no one, the bot told of each — while
// each person is looked up once for the whole batch; the history entries and audit entries are
// written with it, and nothing of it stays when its transaction rolls back.
func TestNoticeAllBatch(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		b := newBench(t, db)
		var tks []*ticket.Ticket
		for _, s := range []string{"打印机卡纸", "VPN 连不上", "邮箱满了"} {
			tks = append(tks, b.create(t, s, nil))
		}
		err := b.n.SavePreferences(b.as("manager"), []*notify.Preference{{Event: notify.SLABreach, Kind: notify.Email, Enabled: false}})
		if err != nil {
			t.Fatal(err)
		}
		counter := &countingPeople{inner: b.n.People}
		b.n.People = counter
		n := len(b.outbox(t))
		job := actor.NewContext(context.Background(), actor.System(actor.SourceJob))
		notes := []ticket.SLANote{
			{TicketID: tks[0].ID, Kind: ticket.EvSLABreach, Reason: "resolution due 2026-11-23 17:00", Notify: true},
			{TicketID: tks[1].ID, Kind: ticket.EvSLAWarning, Reason: "resolution due 2026-11-23 18:00", Notify: false},
			{TicketID: tks[1].ID, Kind: ticket.EvSLABreach, Reason: "resolution due 2026-11-23 18:00", Notify: true},
			{TicketID: tks[2].ID, Kind: ticket.EvSLABreach, Reason: "first_response due 2026-11-23 10:00", Notify: true},
		}
		rollback := context.Canceled
		if err := db.InTx(job, func(ctx context.Context) error {
			if err := b.desk.SLANoted(ctx, notes); err != nil {
				return err
			}
			return rollback
		}); err != rollback {
			t.Fatalf("rolled-back batch: %v", err)
		}
		if got := len(b.outbox(t)); got != n {
			t.Fatalf("a rolled-back batch left %d messages", got-n)
		}
		counter.persons.Store(0)
		counter.batches.Store(0)
		if err := db.InTx(job, func(ctx context.Context) error { return b.desk.SLANoted(ctx, notes) }); err != nil {
			t.Fatal(err)
		}
		var want []string
		for range 3 { // the manager turned e-mail of breaches off: inbox only
			want = append(want, "sla.breach email engineer", "sla.breach email agent", "sla.breach wecom wecom")
		}
		if diff := cmp.Diff(want, summary(b.outbox(t)[n:], b)); diff != "" {
			t.Fatalf("outbox of the batch mismatch (-want +got):\n%s", diff)
		}
		for _, who := range []string{"engineer", "agent", "manager"} {
			got := 0
			for _, x := range b.inbox(t, who) {
				if x.Event == notify.SLABreach {
					got++
				}
				if x.Event == notify.SLAWarning {
					t.Fatalf("%s was told of a silent warning", who)
				}
			}
			if got != 3 {
				t.Fatalf("%s has %d breach notifications, want 3", who, got)
			}
		}
		// engineer, agent (the owner) and manager, once each for the three tickets, in one batch.
		if got, batches := counter.persons.Load(), counter.batches.Load(); got != 3 || batches != 1 {
			t.Fatalf("%d look-ups of people in %d batches for the batch of notices, want 3 in 1", got, batches)
		}
		evs, err := b.desk.Store.Events(context.Background(), tks[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []ticket.EventKind
		for _, e := range evs[len(evs)-2:] {
			if e.ID == 0 || e.TicketID != tks[1].ID {
				t.Fatalf("history entry %+v", e)
			}
			kinds = append(kinds, e.Kind)
		}
		if diff := cmp.Diff([]ticket.EventKind{ticket.EvSLAWarning, ticket.EvSLABreach}, kinds); diff != "" {
			t.Fatalf("history of the second ticket mismatch (-want +got):\n%s", diff)
		}
		if tk, err := b.desk.Store.Get(context.Background(), tks[1].ID); err != nil || tk.Version != tks[1].Version {
			t.Fatalf("the batch saved the ticket: version %d, was %d (%v)", tk.Version, tks[1].Version, err)
		}
		au := &audit.Service{Store: store.Audit{DB: db}, Now: time.Now}
		if _, brk, err := au.Verify(context.Background()); err != nil || brk != nil {
			t.Fatalf("audit chain after the batch: %+v %v", brk, err)
		}
		sla := 0
		err = store.Audit{DB: db}.Each(context.Background(), func(e *audit.Entry) error {
			if e.Action == "ticket.sla_warning" || e.Action == "ticket.sla_breach" {
				sla++
			}
			return nil
		})
		if err != nil || sla != len(notes) {
			t.Fatalf("%d audit entries of SLA firings, want %d (%v)", sla, len(notes), err)
		}
	})
}
