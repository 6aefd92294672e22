package notify_test

import (
	"context"
	"strings"
	"testing"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
	"opsdesk/internal/notify"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

func TestInbox(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		b := newBench(t, db)
		b.create(t, "邮箱满了", nil)
		b.create(t, "显示器闪烁", nil)
		mine := b.inbox(t, "requester")
		theirs := b.inbox(t, "engineer")
		if len(mine) != 2 || len(theirs) != 2 {
			t.Fatalf("inboxes: %d and %d", len(mine), len(theirs))
		}
		// Someone else's IDs change nothing.
		if err := b.n.MarkRead(b.as("engineer"), []int64{mine[0].ID, mine[1].ID}); err != nil {
			t.Fatal(err)
		}
		if n, _ := b.n.Unread(b.as("requester")); n != 2 {
			t.Fatalf("another user marked the requester's notifications read: %d unread", n)
		}
		if n, _ := b.n.Unread(b.as("engineer")); n != 2 {
			t.Fatalf("engineer's unread %d", n)
		}
		if err := b.n.MarkRead(b.as("requester"), []int64{mine[0].ID}); err != nil {
			t.Fatal(err)
		}
		unread, err := b.n.Inbox(b.as("requester"), true, 0)
		if err != nil || len(unread) != 1 || unread[0].ID != mine[1].ID {
			t.Fatalf("unread after marking one: %v %v", unread, err)
		}
		if err := b.n.MarkRead(b.as("requester"), nil); err != nil {
			t.Fatal(err)
		}
		if n, _ := b.n.Unread(b.as("requester")); n != 0 {
			t.Fatalf("%d unread after marking all", n)
		}
		if n, _ := b.n.Unread(b.as("engineer")); n != 2 {
			t.Fatalf("marking all touched another inbox: %d", n)
		}
		anon := context.Background()
		if _, err := b.n.Inbox(anon, false, 10); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("anonymous inbox: %v", err)
		}
		if err := b.n.MarkRead(anon, nil); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("anonymous mark read: %v", err)
		}
		if _, err := b.n.Preferences(anon); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("anonymous preferences: %v", err)
		}
	})
}

func TestAdminDenied(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		b := newBench(t, db)
		b.create(t, "权限测试", nil)
		m := b.outbox(t)[0]
		for _, who := range []string{"manager", "agent", "requester"} {
			ctx := b.as(who)
			calls := map[string]error{}
			_, calls["Channels"] = b.n.Channels(ctx)
			_, calls["Channel"] = b.n.Channel(ctx, b.hook.ID)
			calls["SaveChannel"] = b.n.SaveChannel(ctx, &notify.Channel{Kind: notify.WeCom, Name: "x",
				Config: map[string]string{"url": "https://x.cn/"}})
			calls["DeleteChannel"] = b.n.DeleteChannel(ctx, b.hook.ID)
			calls["TestChannel"] = b.n.TestChannel(ctx, b.hook.ID)
			_, calls["Outbox"] = b.n.Outbox(ctx, "", 10)
			_, calls["OutboxCounts"] = b.n.OutboxCounts(ctx)
			calls["Retry"] = b.n.Retry(ctx, m.ID)
			for name, err := range calls {
				if errs.KindOf(err) != errs.Forbidden {
					t.Errorf("%s: %s gave %v, want forbidden", who, name, err)
				}
			}
		}
		if _, err := b.n.Channels(context.Background()); errs.KindOf(err) != errs.Unauthenticated {
			t.Errorf("anonymous channel list: %v", err)
		}
		if _, err := b.n.Outbox(actor.NewContext(context.Background(), actor.System(actor.SourceCLI)), "", 10); errs.KindOf(err) != errs.Unauthenticated {
			t.Errorf("the system actor without the permission: %v", err)
		}
		if cs, _ := b.st.Channels(context.Background()); len(cs) != 4 {
			t.Fatalf("a denied call changed the channels: %d", len(cs))
		}
		if ms := b.outbox(t); len(ms) != 4 {
			t.Fatalf("a denied call queued messages: %d", len(ms))
		}
	})
}

func TestOutboxAndRetry(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		b := newBench(t, db)
		b.create(t, "队列测试", nil)
		ctx := b.as("admin")
		ms, err := b.n.Outbox(ctx, notify.Pending, 0)
		if err != nil || len(ms) != 4 {
			t.Fatalf("pending: %d %v", len(ms), err)
		}
		if _, err := b.n.Outbox(ctx, "lost", 10); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("unknown status: %v", err)
		}
		if err := b.n.Retry(ctx, ms[0].ID); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("retrying a pending message: %v", err)
		}
		dead := ms[0]
		dead.Status, dead.Attempts, dead.LastError = notify.Dead, 8, "550 mailbox unavailable"
		if err := b.st.Failed(context.Background(), dead); err != nil {
			t.Fatal(err)
		}
		counts, err := b.n.OutboxCounts(ctx)
		if err != nil || counts[notify.Pending] != 3 || counts[notify.Dead] != 1 || counts[notify.Sent] != 0 || len(counts) != 3 {
			t.Fatalf("counts %v %v", counts, err)
		}
		woken := b.woken.Load()
		if err := b.n.Retry(ctx, dead.ID); err != nil {
			t.Fatal(err)
		}
		if b.woken.Load() == woken {
			t.Fatal("retry did not wake the sender")
		}
		if counts, _ := b.n.OutboxCounts(ctx); counts[notify.Pending] != 4 || counts[notify.Dead] != 0 {
			t.Fatalf("after retry %v", counts)
		}
		if err := b.n.Retry(ctx, 999999); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("retrying a missing message: %v", err)
		}
		es, err := store.Audit{DB: db}.Search(context.Background(), audit.Filter{Action: "notify.outbox.retry", Limit: 10})
		if err != nil || len(es) != 1 || es[0].TargetID == "" || es[0].ActorName != "admin" {
			t.Fatalf("retry audit: %+v %v", es, err)
		}
	})
}

func TestTestChannel(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		b := newBench(t, db)
		ctx := b.as("admin")
		if err := b.n.TestChannel(ctx, b.mail.ID); err != nil {
			t.Fatal(err)
		}
		if err := b.n.TestChannel(ctx, b.hook.ID); err != nil {
			t.Fatal(err)
		}
		if err := b.n.TestChannel(ctx, b.wecom.ID); err != nil {
			t.Fatal(err)
		}
		ms := b.outbox(t)
		if len(ms) != 3 {
			t.Fatalf("%d test messages", len(ms))
		}
		if m := ms[0]; m.Kind != notify.Email || m.To != "admin@corp.cn" || m.UserID != b.id("admin") ||
			m.Event != notify.ChannelTest || !strings.Contains(m.Subject, "测试消息") || m.HTML == "" {
			t.Fatalf("test e-mail: %+v", m)
		}
		if m := ms[1]; !strings.Contains(m.Payload, `"event":"channel.test"`) || !strings.Contains(m.Payload, m.Key) ||
			!strings.Contains(m.Text, "Test message") {
			t.Fatalf("test webhook (English channel): %+v", m)
		}
		if m := ms[2]; m.Subject != "[TEST] 测试消息：运维群" || !strings.Contains(m.Text, "测试消息") {
			t.Fatalf("test bot: %q %q", m.Subject, m.Text)
		}
		// An administrator without an address gets a clear error, and nothing is queued.
		root, _ := store.IAM{DB: db}.User(context.Background(), b.id("admin"))
		u := &iam.User{Username: "admin2", Name: "admin2", OrgUnitID: root.OrgUnitID}
		if err := (store.IAM{DB: db}).CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		noMail := actor.NewContext(context.Background(), &actor.Actor{UserID: u.ID, Username: "admin2",
			Perms: map[string]bool{notify.PermConfigure: true}})
		if err := b.n.TestChannel(noMail, b.mail.ID); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("test e-mail without an address: %v", err)
		}
		if err := b.n.TestChannel(ctx, 999999); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("testing a missing channel: %v", err)
		}
		if len(b.outbox(t)) != 3 {
			t.Fatal("a refused test queued a message")
		}
	})
}
