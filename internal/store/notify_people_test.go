package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"opsdesk/internal/iam"
	"opsdesk/internal/notify"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// TestNotifyPeopleBatch: the batch look-ups of a tick's notices return what the one-by-one ones do —
// people by id with their address, language and state, groups with their manager and active
// members only — skip ids of nobody, zeros and repeats, and read the preferences of many people,
// by person, in the caller's transaction.
func TestNotifyPeopleBatch(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ids := notifyUsers(t, db, 4)
		st := store.IAM{DB: db}
		u, err := st.User(ctx, ids[3])
		if err != nil {
			t.Fatal(err)
		}
		u.Email, u.Locale, u.Disabled = "u3@corp.cn", "en", true
		if err := st.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		g := &iam.Group{Name: "二线组", Code: "l2", Tier: 2, ManagerID: ids[0], MemberIDs: []int64{ids[1], ids[2], ids[3]}}
		if err := st.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		empty := &iam.Group{Name: "空组", Code: "empty", Tier: 1}
		if err := st.CreateGroup(ctx, empty); err != nil {
			t.Fatal(err)
		}
		np := store.NotifyPeople{DB: db}

		people, err := np.People(ctx, []int64{ids[3], ids[1], 0, ids[1], 999999})
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]*notify.Person{
			ids[1]: {ID: ids[1], Name: "用户1"},
			ids[3]: {ID: ids[3], Name: "用户3", Email: "u3@corp.cn", Locale: "en", Disabled: true},
		}
		if diff := cmp.Diff(want, people); diff != "" {
			t.Fatalf("People mismatch (-want +got):\n%s", diff)
		}
		if none, err := np.People(ctx, nil); err != nil || len(none) != 0 {
			t.Fatalf("no ids: %v %v", none, err)
		}

		groups, err := np.Groups(ctx, []int64{g.ID, empty.ID, 999999, g.ID})
		if err != nil {
			t.Fatal(err)
		}
		wantGroups := map[int64]*notify.Group{ // the disabled member is left out, as the app's GroupOf does
			g.ID:     {ID: g.ID, Name: "二线组", ManagerID: ids[0], Members: []int64{ids[1], ids[2]}},
			empty.ID: {ID: empty.ID, Name: "空组"},
		}
		if diff := cmp.Diff(wantGroups, groups); diff != "" {
			t.Fatalf("Groups mismatch (-want +got):\n%s", diff)
		}

		s := notifyStore(db)
		err = s.SavePreferences(ctx, ids[1], []*notify.Preference{{Event: notify.SLABreach, Kind: notify.Email, Enabled: false},
			{Event: notify.SLAWarning, Kind: notify.InApp, Enabled: true}})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SavePreferences(ctx, ids[2], []*notify.Preference{{Event: notify.TicketCreated, Kind: notify.Email}}); err != nil {
			t.Fatal(err)
		}
		// In a transaction, PreferencesOf sees what it wrote.
		err = s.InTx(ctx, func(ctx context.Context) error {
			if err := s.SavePreferences(ctx, ids[0], []*notify.Preference{{Event: notify.SLABreach, Kind: notify.InApp}}); err != nil {
				return err
			}
			prefs, err := s.PreferencesOf(ctx, []int64{ids[0], ids[1], ids[3], ids[1]})
			if err != nil {
				return err
			}
			for _, id := range []int64{ids[0], ids[1], ids[3]} {
				one, err := s.Preferences(ctx, id)
				if err != nil {
					return err
				}
				if diff := cmp.Diff(one, prefs[id], cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("preferences of %d mismatch (-one by one +batch):\n%s", id, diff)
				}
			}
			if _, ok := prefs[ids[3]]; ok || len(prefs) != 2 {
				t.Errorf("batch preferences %v: want those of the two who stored some", prefs)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestNotifyBoundTimes: Enqueue and AddNotifications bind their values rather than writing them in
// the SQL; their times read back to the microsecond and compare with bun's, so that a message due
// at an instant is claimed at that instant and not a microsecond before.
func TestNotifyBoundTimes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := notifyStore(db)
		due := notifyT0.Add(1234567891 * time.Nanosecond) // 09:00:01.234567891
		m := outboxMessage(0)
		m.NextAt, m.UserID, m.HTML = due, 0, "<p>'引号' & \"双引号\"\x01</p>"
		enqueue(t, s, m)
		got, err := s.ByKey(ctx, m.Key)
		if err != nil {
			t.Fatal(err)
		}
		if !got.NextAt.Equal(due.Truncate(time.Microsecond)) || !got.CreatedAt.Equal(notifyT0) || !got.SentAt.IsZero() ||
			got.UserID != 0 || got.HTML != m.HTML || got.ID != m.ID {
			t.Fatalf("read back %+v, enqueued %+v", got, m)
		}
		if early, err := s.Claim(ctx, due.Add(-time.Microsecond), time.Minute, 10); err != nil || len(early) != 0 {
			t.Fatalf("claimed a microsecond early: %v %v", early, err)
		}
		if on, err := s.Claim(ctx, due.Truncate(time.Microsecond), time.Minute, 10); err != nil || len(on) != 1 {
			t.Fatalf("claim at the due instant: %v %v", on, err)
		}
		ids := notifyUsers(t, db, 1)
		n := &notify.Notification{UserID: ids[0], Event: notify.SLABreach, Title: "已超时", CreatedAt: due}
		if err := s.InTx(ctx, func(ctx context.Context) error { return s.AddNotifications(ctx, []*notify.Notification{n}) }); err != nil {
			t.Fatal(err)
		}
		list, err := s.Notifications(ctx, ids[0], true, 10)
		if err != nil || len(list) != 1 {
			t.Fatalf("inbox %v %v", list, err)
		}
		if x := list[0]; x.ID != n.ID || !x.CreatedAt.Equal(due.Truncate(time.Microsecond)) || !x.ReadAt.IsZero() || x.TicketID != 0 {
			t.Fatalf("read back %+v", x)
		}
	})
}
