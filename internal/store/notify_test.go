package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
	"opsdesk/internal/notify"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

var notifyT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// notifyStore returns the store with its clock fixed at notifyT0.
func notifyStore(db *store.DB) store.Notify {
	db.Now = func() time.Time { return notifyT0 }
	return store.Notify{DB: db}
}

// notifyUsers creates n people and returns their IDs.
func notifyUsers(t *testing.T, db *store.DB, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	s := store.IAM{DB: db}
	root := &iam.OrgUnit{Name: "总部", Kind: iam.OrgHQ}
	if err := s.CreateOrgUnit(ctx, root); err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, n)
	for i := range ids {
		u := &iam.User{Username: fmt.Sprintf("u%d", i), Name: fmt.Sprintf("用户%d", i), OrgUnitID: root.ID}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		ids[i] = u.ID
	}
	return ids
}

func TestNotifyChannels(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := notifyStore(db)
		c := &notify.Channel{Kind: notify.WeCom, Name: "运维群", Enabled: true, Events: []notify.Event{notify.SLABreach},
			GroupID: 7, Config: map[string]string{"url": "https://qyapi.weixin.qq.com/x?key=k"}}
		if err := s.SaveChannel(ctx, c); err != nil {
			t.Fatal(err)
		}
		if c.ID == 0 || c.Version != 1 {
			t.Fatalf("inserted %+v", c)
		}
		got, err := s.Channel(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			t.Fatalf("channel mismatch (-want +got):\n%s", diff)
		}

		stale := *got
		c.Enabled, c.Events, c.Config = false, nil, nil
		if err := s.SaveChannel(ctx, c); err != nil || c.Version != 2 {
			t.Fatalf("update: %v, version %d", err, c.Version)
		}
		stale.Name = "改名"
		if err := s.SaveChannel(ctx, &stale); errs.KindOf(err) != errs.Conflict || !hasMsg(err, "err.stale") {
			t.Fatalf("stale update: %v", err)
		}
		other := &notify.Channel{Kind: notify.Webhook, Name: "运维群", Enabled: true}
		if err := s.SaveChannel(ctx, other); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("taken name: %v", err)
		}
		other.Name = "CMDB"
		if err := s.SaveChannel(ctx, other); err != nil {
			t.Fatal(err)
		}
		all, err := s.Channels(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []*notify.Channel{
			{ID: c.ID, Kind: notify.WeCom, Name: "运维群", Events: []notify.Event{}, GroupID: 0, Config: map[string]string{}, Version: 2},
			{ID: other.ID, Kind: notify.Webhook, Name: "CMDB", Enabled: true, Events: []notify.Event{}, Config: map[string]string{}, Version: 1},
		}
		want[0].GroupID = 7
		if diff := cmp.Diff(want, all); diff != "" {
			t.Fatalf("channels mismatch (-want +got):\n%s", diff)
		}

		if err := s.DeleteChannel(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteChannel(ctx, c.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("delete again: %v", err)
		}
		if _, err := s.Channel(ctx, c.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("deleted channel: %v", err)
		}
		c.Version = 2
		if err := s.SaveChannel(ctx, c); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("update of a deleted channel: %v", err)
		}
	})
}

// hasMsg reports whether err carries the message key msg.
func hasMsg(err error, msg string) bool {
	var e *errs.Error
	return errors.As(err, &e) && e.Msg == msg
}

func TestNotifyInbox(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := notifyStore(db)
		u := notifyUsers(t, db, 2)
		a, b := u[0], u[1]
		var ns []*notify.Notification
		for i := range 3 {
			ns = append(ns, &notify.Notification{UserID: a, Event: notify.TicketAssigned, TicketID: int64(i + 1),
				Title: fmt.Sprintf("工单 %d 已指派给您", i+1), Body: "请处理", Link: "https://desk/t/1",
				CreatedAt: notifyT0.Add(time.Duration(i) * time.Minute)})
		}
		ns = append(ns, &notify.Notification{UserID: b, Event: notify.SLABreach, Title: "超时"})
		if err := s.AddNotifications(ctx, ns); err != nil {
			t.Fatal(err)
		}
		for _, n := range ns {
			if n.ID == 0 {
				t.Fatalf("no id: %+v", n)
			}
		}
		if err := s.AddNotifications(ctx, []*notify.Notification{{UserID: 99999, Title: "x"}}); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("unknown user: %v", err)
		}

		got, err := s.Notifications(ctx, a, false, 10)
		if err != nil {
			t.Fatal(err)
		}
		want := []*notify.Notification{ns[2], ns[1], ns[0]}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("inbox mismatch (-want +got):\n%s", diff)
		}
		if got, _ := s.Notifications(ctx, a, false, 2); len(got) != 2 || got[0].ID != ns[2].ID {
			t.Fatalf("limit 2: %+v", got)
		}

		// Marking someone else's entry does nothing.
		if err := s.MarkRead(ctx, a, []int64{ns[3].ID, ns[0].ID}, notifyT0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.Unread(ctx, b); n != 1 {
			t.Fatalf("b unread %d, want 1", n)
		}
		if n, _ := s.Unread(ctx, a); n != 2 {
			t.Fatalf("a unread %d, want 2", n)
		}
		unread, _ := s.Notifications(ctx, a, true, 10)
		if len(unread) != 2 || unread[0].ID != ns[2].ID || unread[1].ID != ns[1].ID {
			t.Fatalf("unread %+v", unread)
		}
		all, _ := s.Notifications(ctx, a, false, 10)
		if !all[2].ReadAt.Equal(notifyT0.Add(time.Hour)) {
			t.Fatalf("read at %v", all[2].ReadAt)
		}

		// All of one's own; a later MarkRead keeps the first read time.
		if err := s.MarkRead(ctx, a, nil, notifyT0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.Unread(ctx, a); n != 0 {
			t.Fatalf("a unread %d after marking all", n)
		}
		if n, _ := s.Unread(ctx, b); n != 1 {
			t.Fatalf("b unread %d after a marked all", n)
		}
		all, _ = s.Notifications(ctx, a, false, 10)
		if !all[2].ReadAt.Equal(notifyT0.Add(time.Hour)) || !all[0].ReadAt.Equal(notifyT0.Add(2*time.Hour)) {
			t.Fatalf("read times %v %v", all[2].ReadAt, all[0].ReadAt)
		}
	})
}

func TestNotifyPreferences(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := notifyStore(db)
		u := notifyUsers(t, db, 2)
		a, b := u[0], u[1]
		if ps, err := s.Preferences(ctx, a); err != nil || len(ps) != 0 {
			t.Fatalf("none yet: %v %v", ps, err)
		}
		err := s.SavePreferences(ctx, a, []*notify.Preference{
			{Event: notify.TicketCommented, Kind: notify.Email, Enabled: false},
			{Event: notify.SLAWarning, Kind: notify.InApp, Enabled: false},
			{UserID: b, Event: notify.SLAWarning, Kind: notify.Email, Enabled: false}, // a's, whatever UserID says
		})
		if err != nil {
			t.Fatal(err)
		}
		err = s.SavePreferences(ctx, a, []*notify.Preference{
			{Event: notify.SLAWarning, Kind: notify.InApp, Enabled: false},
			{Event: notify.SLAWarning, Kind: notify.InApp, Enabled: true}, // the last one wins
			{Event: notify.TicketCreated, Kind: notify.Email, Enabled: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Preferences(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		want := []*notify.Preference{
			{UserID: a, Event: notify.SLAWarning, Kind: notify.Email, Enabled: false},
			{UserID: a, Event: notify.SLAWarning, Kind: notify.InApp, Enabled: true},
			{UserID: a, Event: notify.TicketCommented, Kind: notify.Email, Enabled: false},
			{UserID: a, Event: notify.TicketCreated, Kind: notify.Email, Enabled: true},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("preferences mismatch (-want +got):\n%s", diff)
		}
		if ps, _ := s.Preferences(ctx, b); len(ps) != 0 {
			t.Fatalf("b has %+v", ps)
		}
	})
}
