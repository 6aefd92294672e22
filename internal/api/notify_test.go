package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"opsdesk/internal/notify"
)

// TestNotifications: the inbox and the preferences are one's own; nobody reads or marks another's.
func TestNotifications(t *testing.T) {
	engines(t, func(r *run) {
		ctx := context.Background()
		eng, req := r.env.IDs["engineer"], r.env.IDs["requester"]
		now := time.Now()
		ns := []*notify.Notification{
			{UserID: eng, Event: notify.TicketAssigned, Title: "工单已分派：打印机卡纸", Link: "http://x/tickets/1", CreatedAt: now.Add(-time.Hour)},
			{UserID: eng, Event: notify.SLABreach, Title: "工单已超时：网络中断", Link: "http://x/tickets/2", CreatedAt: now},
			{UserID: req, Event: notify.TicketResolved, Title: "您的请求已处理，请确认", CreatedAt: now},
		}
		if err := r.env.App.Notify.Store.AddNotifications(ctx, ns); err != nil {
			t.Fatal(err)
		}
		r.vars["old"], r.vars["mine"] = strconv.FormatInt(ns[0].ID, 10), strconv.FormatInt(ns[2].ID, 10)
		r.scenarios([]scenario{
			{Name: "anonymous", Method: "GET", Path: "/notifications", Status: 401},
			{Name: "count", Method: "GET", Path: "/notifications/unread-count", Role: "engineer", Status: 200, Want: []string{`"unread":2`}},
			{Name: "list newest first", Method: "GET", Path: "/notifications", Role: "engineer", Status: 200,
				Want: []string{`"unread":2`, `"title":"工单已超时：网络中断"`, `"event":"sla.breach"`, `"read_at":null`}},
			{Name: "only one's own", Method: "GET", Path: "/notifications", Role: "requester", Status: 200,
				Want: []string{`"unread":1`, `请确认`}, NotWant: []string{"打印机", "网络中断"}},
			{Name: "someone else's ids change nothing", Method: "POST", Path: "/notifications/read", Role: "requester", Status: 200,
				Body: `{"ids":[{{old}}]}`, Want: []string{`"unread":1`}},
			{Name: "still unread for its owner", Method: "GET", Path: "/notifications/unread-count", Role: "engineer", Status: 200, Want: []string{`"unread":2`}},
			{Name: "mark one", Method: "POST", Path: "/notifications/read", Role: "engineer", Status: 200, Body: `{"ids":[{{old}}]}`, Want: []string{`"unread":1`}},
			{Name: "unread only", Method: "GET", Path: "/notifications?unread=true", Role: "engineer", Status: 200,
				Want: []string{`网络中断`}, NotWant: []string{"打印机"}},
			{Name: "mark all", Method: "POST", Path: "/notifications/read", Role: "engineer", Status: 200, Body: `{"ids":[]}`, Want: []string{`"unread":0`}},
			{Name: "ids not a list", Method: "POST", Path: "/notifications/read", Role: "engineer", Status: 400, Body: `{"ids":"all"}`},
			{Name: "limit bounded", Method: "GET", Path: "/notifications?limit=501", Role: "engineer", Status: 400},

			{Name: "preferences default on", Method: "GET", Path: "/me/notification-preferences", Role: "agent", Status: 200,
				Want: []string{`{"email":true,"event":"ticket.created","inapp":true}`, `"event":"sla.breach"`}},
			{Name: "switch e-mail off", Method: "PUT", Path: "/me/notification-preferences", Role: "agent", Status: 200,
				Body: `{"items":[{"event":"ticket.created","email":false},{"event":"sla.warning","inapp":false}]}`,
				Want: []string{`{"email":false,"event":"ticket.created","inapp":true}`, `{"email":true,"event":"sla.warning","inapp":false}`}},
			{Name: "kept", Method: "GET", Path: "/me/notification-preferences", Role: "agent", Status: 200,
				Want: []string{`{"email":false,"event":"ticket.created","inapp":true}`}},
			{Name: "another user's stay", Method: "GET", Path: "/me/notification-preferences", Role: "engineer", Status: 200,
				Want: []string{`{"email":true,"event":"ticket.created","inapp":true}`}},
			{Name: "unknown event", Method: "PUT", Path: "/me/notification-preferences", Role: "agent", Status: 400,
				Body: `{"items":[{"event":"ticket.deleted","email":false}]}`, Want: []string{`"kind":"invalid"`}},
		})
	})
}

// TestNotifyChannels: only the system administrator configures channels; secrets never come back;
// bad settings are refused field by field; a test message that fails goes dead and a retry sends it.
func TestNotifyChannels(t *testing.T) {
	engines(t, func(r *run) {
		var fail atomic.Bool
		fail.Store(true)
		var got atomic.Int32
		hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			got.Add(1)
			if fail.Load() {
				http.Error(w, "bad signature", http.StatusBadRequest) // permanent: dead at once
				return
			}
			w.WriteHeader(http.StatusNoContent)
		}))
		defer hook.Close()
		r.vars["hook"] = hook.URL
		r.scenarios([]scenario{
			{Name: "denied", Method: "GET", Path: "/notify/channels", Role: "manager", Status: 403},
			{Name: "create denied", Method: "POST", Path: "/notify/channels", Role: "secadmin", Status: 403,
				Body: `{"kind":"wecom","name":"x","config":{"url":"https://qyapi.weixin.qq.com/x"}}`},
			{Name: "bad url", Method: "POST", Path: "/notify/channels", Role: "sysadmin", Status: 422,
				Body: `{"kind":"wecom","name":"值班群","config":{"url":"ftp://x"}}`, Want: []string{`"url":"地址须以 http:// 或 https:// 开头并包含主机名"`}},
			{Name: "setting of another kind", Method: "POST", Path: "/notify/channels", Role: "sysadmin", Status: 422,
				Body: `{"kind":"wecom","name":"值班群","config":{"url":"https://qyapi.weixin.qq.com/x","host":"smtp.corp.cn"}}`, Want: []string{`"host":`}},
			{Name: "webhook needs a secret", Method: "POST", Path: "/notify/channels", Role: "sysadmin", Status: 422,
				Body: `{"kind":"webhook","name":"监控","config":{"url":"https://hooks.corp.cn/x"}}`, Want: []string{`"secret":`}},
			{Name: "english errors", Method: "POST", Path: "/notify/channels", Role: "sysadmin", Status: 422,
				Header: map[string]string{"Accept-Language": "en"}, Body: `{"kind":"wecom","name":"","config":{"url":"https://qyapi.weixin.qq.com/x"}}`,
				Want: []string{`"name":"`}, NotWant: []string{"必填"}},
			{Name: "unknown kind", Method: "POST", Path: "/notify/channels", Role: "sysadmin", Status: 400,
				Body: `{"kind":"sms","name":"x","config":{}}`},
			{Name: "create", Method: "POST", Path: "/notify/channels", Role: "sysadmin", Status: 201, Capture: "ch",
				Body:    `{"kind":"webhook","name":"监控平台","events":["sla.breach"],"config":{"url":"{{hook}}/opsdesk","secret":"s3cret-key"}}`,
				Want:    []string{`"secret":"********"`, `"events":["sla.breach"]`, `"enabled":true`},
				NotWant: []string{"s3cret"}},
			{Name: "get", Method: "GET", Path: "/notify/channels/{{ch}}", Role: "sysadmin", Status: 200,
				Want: []string{`"secret":"********"`}, NotWant: []string{"s3cret"}},
			{Name: "list", Method: "GET", Path: "/notify/channels", Role: "sysadmin", Status: 200, Want: []string{`"name":"监控平台"`}, NotWant: []string{"s3cret"}},
			{Name: "update without version", Method: "PUT", Path: "/notify/channels/{{ch}}", Role: "sysadmin", Status: 428,
				Body: `{"kind":"webhook","name":"监控平台","config":{"url":"{{hook}}/opsdesk","secret":"********"}}`},
			{Name: "update keeps the secret", Method: "PUT", Path: "/notify/channels/{{ch}}", Role: "sysadmin", Status: 200,
				Header: map[string]string{"If-Match": `"{{ch.version}}"`},
				Body:   `{"kind":"webhook","name":"监控平台（生产）","config":{"url":"{{hook}}/opsdesk","secret":"********"}}`,
				Want:   []string{`"name":"监控平台（生产）"`, `"secret":"********"`}},
			{Name: "update stale", Method: "PUT", Path: "/notify/channels/{{ch}}", Role: "sysadmin", Status: 409,
				Body: `{"kind":"webhook","name":"x","version":{{ch.version}},"config":{"url":"{{hook}}/opsdesk"}}`},
			{Name: "test denied", Method: "POST", Path: "/notify/channels/{{ch}}/test", Role: "manager", Status: 403},
			{Name: "test", Method: "POST", Path: "/notify/channels/{{ch}}/test", Role: "sysadmin", Status: 202},
			{Name: "queued", Method: "GET", Path: "/notify/outbox/counts", Role: "sysadmin", Status: 200, Want: []string{`"pending":1`, `"dead":0`}},
			{Name: "outbox denied", Method: "GET", Path: "/notify/outbox", Role: "auditor", Status: 403},
			{Name: "outbox bad status", Method: "GET", Path: "/notify/outbox?status=lost", Role: "sysadmin", Status: 400},
		})
		stored, err := r.env.App.Notify.Store.Channel(context.Background(), mustID(t, r.vars["ch"]))
		if err != nil || stored.Config["secret"] != "s3cret-key" {
			t.Fatalf("the secret was not kept: %v %v", stored, err)
		}
		var msgs struct {
			Items []struct {
				ID    int64  `json:"id"`
				Event string `json:"event"`
			} `json:"items"`
		}
		r.getJSON(t, "sysadmin", "/notify/outbox?status=pending", &msgs)
		if len(msgs.Items) != 1 || msgs.Items[0].Event != "channel.test" {
			t.Fatalf("pending = %+v", msgs.Items)
		}
		r.vars["msg"] = strconv.FormatInt(msgs.Items[0].ID, 10)
		send := func() {
			t.Helper()
			if _, _, err := r.env.App.Sender.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		send() // the receiver refuses: a permanent failure, dead at once
		r.scenarios([]scenario{
			{Name: "dead", Method: "GET", Path: "/notify/outbox?status=dead", Role: "sysadmin", Status: 200,
				Want: []string{`"id":{{msg}}`, `"status":"dead"`, `400 Bad Request`, `"next_at":null`}},
			{Name: "retry denied", Method: "POST", Path: "/notify/outbox/{{msg}}/retry", Role: "manager", Status: 403},
			{Name: "retry", Method: "POST", Path: "/notify/outbox/{{msg}}/retry", Role: "sysadmin", Status: 204},
			{Name: "pending again", Method: "GET", Path: "/notify/outbox/counts", Role: "sysadmin", Status: 200, Want: []string{`"pending":1`, `"dead":0`}},
		})
		fail.Store(false)
		send()
		r.scenarios([]scenario{
			{Name: "sent", Method: "GET", Path: "/notify/outbox?status=sent", Role: "sysadmin", Status: 200, Want: []string{`"id":{{msg}}`, `"status":"sent"`}},
			{Name: "retry a sent message", Method: "POST", Path: "/notify/outbox/{{msg}}/retry", Role: "sysadmin", Status: 422,
				Want: []string{`只有发送失败的消息可以重试`}},
			{Name: "retry unknown", Method: "POST", Path: "/notify/outbox/999999/retry", Role: "sysadmin", Status: 404},
			{Name: "e-mail test without an address", Method: "POST", Path: "/notify/channels", Role: "sysadmin", Status: 201, Capture: "smtp",
				Body: `{"kind":"email","name":"服务台邮箱","config":{"host":"127.0.0.1","port":"2525","tls":"none","from":"desk@corp.cn"}}`},
			{Name: "no address", Method: "POST", Path: "/notify/channels/{{smtp}}/test", Role: "sysadmin", Status: 422,
				Want: []string{`您的账号没有邮箱地址`}},
			{Name: "delete", Method: "DELETE", Path: "/notify/channels/{{ch}}", Role: "sysadmin", Status: 204},
			{Name: "delete again", Method: "DELETE", Path: "/notify/channels/{{ch}}", Role: "sysadmin", Status: 404},
		})
		if got.Load() != 2 {
			t.Errorf("the receiver got %d posts, want 2 (refused, then retried)", got.Load())
		}
	})
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
