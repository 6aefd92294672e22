package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
	"opsdesk/internal/i18n"
	"opsdesk/internal/notify"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

func TestSaveChannelInvalid(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		b := newBench(t, db)
		smtp := func(change map[string]string) map[string]string {
			c := map[string]string{"host": "smtp.corp.cn", "port": "465", "tls": "tls", "from": "desk@corp.cn"}
			for k, v := range change {
				c[k] = v
			}
			return c
		}
		cases := []struct {
			name   string
			c      notify.Channel
			fields map[string]string
		}{
			{"ftp URL", notify.Channel{Kind: notify.WeCom, Name: "a", Config: map[string]string{"url": "ftp://qyapi.weixin.qq.com/x"}},
				map[string]string{"url": "err.notify.url"}},
			{"URL without host", notify.Channel{Kind: notify.DingTalk, Name: "a", Config: map[string]string{"url": "https:///robot/send"}},
				map[string]string{"url": "err.notify.url"}},
			{"not a URL", notify.Channel{Kind: notify.Feishu, Name: "a", Config: map[string]string{"url": "open.feishu.cn/hook"}},
				map[string]string{"url": "err.notify.url"}},
			{"webhook without secret", notify.Channel{Kind: notify.Webhook, Name: "a", Config: map[string]string{"url": "https://x.cn/h"}},
				map[string]string{"secret": "err.required"}},
			{"unknown tls", notify.Channel{Kind: notify.Email, Name: "a", Config: smtp(map[string]string{"tls": "ssl"})},
				map[string]string{"tls": "err.notify.tls"}},
			{"bad port and sender", notify.Channel{Kind: notify.Email, Name: "a", Config: smtp(map[string]string{"port": "70000", "from": "Desk <desk@corp.cn>"})},
				map[string]string{"port": "err.notify.port", "from": "err.notify.address"}},
			{"plus addressing without reply-to", notify.Channel{Kind: notify.Email, Name: "a", Config: smtp(map[string]string{"plus_addressing": "true"})},
				map[string]string{"reply_to": "err.notify.plus_needs_reply_to"}},
			{"missing host", notify.Channel{Kind: notify.Email, Name: "a", Config: smtp(map[string]string{"host": " "})},
				map[string]string{"host": "err.required"}},
			{"unknown setting", notify.Channel{Kind: notify.WeCom, Name: "a", Config: map[string]string{"url": "https://x.cn/", "token": "t"}},
				map[string]string{"token": "err.notify.setting"}},
			{"bad lang", notify.Channel{Kind: notify.WeCom, Name: "a", Config: map[string]string{"url": "https://x.cn/", "lang": "fr"}},
				map[string]string{"lang": "err.notify.lang"}},
			{"unknown kind", notify.Channel{Kind: "sms", Name: "a"}, map[string]string{"kind": "err.notify.kind"}},
			{"in-app is not a channel", notify.Channel{Kind: notify.InApp, Name: "a"}, map[string]string{"kind": "err.notify.kind"}},
			{"no name, unknown event", notify.Channel{Kind: notify.WeCom, Events: []notify.Event{"ticket.nope"}, Config: map[string]string{"url": "https://x.cn/"}},
				map[string]string{"name": "err.required", "events": "err.notify.event"}},
			{"unknown group", notify.Channel{Kind: notify.WeCom, Name: "a", GroupID: 999999, Config: map[string]string{"url": "https://x.cn/"}},
				map[string]string{"group_id": "err.group.unknown"}},
		}
		cat := i18n.New()
		for _, tc := range cases {
			c := tc.c
			err := b.n.SaveChannel(b.as("admin"), &c)
			var e *errs.Error
			if !errors.As(err, &e) || e.Kind != errs.Invalid {
				t.Errorf("%s: %v, want invalid", tc.name, err)
				continue
			}
			if diff := cmp.Diff(tc.fields, e.Fields); diff != "" {
				t.Errorf("%s: fields mismatch (-want +got):\n%s", tc.name, diff)
			}
			for _, key := range e.Fields {
				if !cat.Has(i18n.ZH, key) || !cat.Has(i18n.EN, key) || cat.T(i18n.ZH, key) == cat.T(i18n.EN, key) {
					t.Errorf("%s: %s is not in both languages", tc.name, key)
				}
			}
			if c.ID != 0 {
				t.Errorf("%s: the refused channel got an ID", tc.name)
			}
		}
		if cs, _ := b.st.Channels(context.Background()); len(cs) != 4 {
			t.Fatalf("refused channels were saved: %d channels", len(cs))
		}
		// An update that fails keeps the stored channel as it was.
		bad := *b.hook
		bad.Name, bad.Config = "改名", map[string]string{"url": "gopher://x"}
		if err := b.n.SaveChannel(b.as("admin"), &bad); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("bad update: %v", err)
		}
		if c, _ := b.st.Channel(context.Background(), b.hook.ID); c.Name != "监控平台" || c.Config["url"] != "https://ops.corp.cn/hook" {
			t.Fatalf("a refused update changed the channel: %+v", c)
		}
	})
}

func TestSaveChannelSecrets(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		b := newBench(t, db)
		ctx := b.as("admin")
		stored := func() *notify.Channel {
			c, err := b.st.Channel(context.Background(), b.hook.ID)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		if b.hook.Config["secret"] != notify.Masked {
			t.Fatalf("SaveChannel handed the secret back: %v", b.hook.Config)
		}
		shown, err := b.n.Channel(ctx, b.hook.ID)
		if err != nil || shown.Config["secret"] != notify.Masked || shown.Config["url"] != "https://ops.corp.cn/hook" {
			t.Fatalf("shown: %+v %v", shown, err)
		}
		list, _ := b.n.Channels(ctx)
		for _, c := range list {
			for k, v := range c.Config {
				if strings.Contains(v, "secret") || strings.Contains(v, "pass") {
					t.Errorf("channel %s shows %s=%s", c.Name, k, v)
				}
			}
		}
		// The form sends the mask back: the secret stays.
		shown.Name = "监控平台（新）"
		if err := b.n.SaveChannel(ctx, shown); err != nil {
			t.Fatal(err)
		}
		if c := stored(); c.Name != "监控平台（新）" || c.Config["secret"] != "hook-secret" {
			t.Fatalf("after a masked update: %+v", c)
		}
		// Empty keeps it too; a new value replaces it.
		shown.Config["secret"] = ""
		if err := b.n.SaveChannel(ctx, shown); err != nil {
			t.Fatal(err)
		}
		if c := stored(); c.Config["secret"] != "hook-secret" {
			t.Fatalf("after an empty secret: %+v", c)
		}
		shown.Config["secret"] = "rotated-2026"
		if err := b.n.SaveChannel(ctx, shown); err != nil {
			t.Fatal(err)
		}
		if c := stored(); c.Config["secret"] != "rotated-2026" {
			t.Fatalf("after a new secret: %+v", c)
		}
		// A stale form loses.
		stale := *shown
		stale.Version--
		if err := b.n.SaveChannel(ctx, &stale); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("stale update: %v", err)
		}
		// A bot's URL carries its credential: shown masked, and the masked URL sent back keeps it.
		bot := &notify.Channel{Kind: notify.WeCom, Name: "测试企业微信群", Enabled: true,
			Config: map[string]string{"url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"}}
		if err := b.n.SaveChannel(ctx, bot); err != nil {
			t.Fatal(err)
		}
		if got := bot.Config["url"]; got != "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="+notify.Masked {
			t.Fatalf("bot URL shown as %q", got)
		}
		bot.Name = "测试企业微信群（新）"
		if err := b.n.SaveChannel(ctx, bot); err != nil {
			t.Fatal(err)
		}
		if c, _ := b.st.Channel(context.Background(), bot.ID); !strings.HasSuffix(c.Config["url"], "key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa") {
			t.Fatalf("the masked URL replaced the stored one: %q", c.Config["url"])
		}
		feishu := &notify.Channel{Kind: notify.Feishu, Name: "测试飞书群", Enabled: true,
			Config: map[string]string{"url": "https://open.feishu.cn/open-apis/bot/v2/hook/0a1b2c3d-4e5f-6789-abcd-ef0123456789"}}
		if err := b.n.SaveChannel(ctx, feishu); err != nil {
			t.Fatal(err)
		}
		if got := feishu.Config["url"]; got != "https://open.feishu.cn/open-apis/bot/v2/hook/"+notify.Masked {
			t.Fatalf("Feishu URL shown as %q", got)
		}
		if err := b.n.DeleteChannel(ctx, bot.ID); err != nil {
			t.Fatal(err)
		}
		if err := b.n.DeleteChannel(ctx, feishu.ID); err != nil {
			t.Fatal(err)
		}

		// The audit log has every change and no secret.
		es, err := store.Audit{DB: db}.Search(context.Background(), audit.Filter{Action: "notify.channel.", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 4+3+5 {
			t.Fatalf("%d channel audit entries, want 12", len(es))
		}
		for _, e := range es {
			if all := e.Before + e.After; strings.Contains(all, "hook-secret") || strings.Contains(all, "rotated") || strings.Contains(all, "mail-pass") ||
				strings.Contains(all, "693a91f6") || strings.Contains(all, "0a1b2c3d") {
				t.Fatalf("the audit log holds a secret: %+v", e)
			}
		}
		if err := b.n.DeleteChannel(ctx, b.hook.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := b.n.Channel(ctx, b.hook.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("deleted channel: %v", err)
		}
		if err := b.n.DeleteChannel(ctx, b.hook.ID); errs.KindOf(err) != errs.NotFound {
			t.Fatalf("deleting twice: %v", err)
		}
		if es, _ := (store.Audit{DB: db}).Search(context.Background(), audit.Filter{Action: "notify.channel.delete", Limit: 5}); len(es) != 3 { // the two bots and this one
			t.Fatalf("delete audit entries: %d", len(es))
		}
	})
}
