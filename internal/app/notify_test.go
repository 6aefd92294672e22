package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/app"
	"opsdesk/internal/app/apptest"
	"opsdesk/internal/iam"
	"opsdesk/internal/mailin"
	"opsdesk/internal/notify"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// TestTicketChangesReachTheInbox: the notification service is the tickets' Notices, so a ticket an
// agent opens for a caller tells the caller in their inbox, in the same transaction.
func TestTicketChangesReachTheInbox(t *testing.T) {
	env := apptest.New(t, store.SQLite)
	body := fmt.Sprintf(`{"type":"incident","subject":"打印机卡纸","requester_id":%d}`, env.IDs["requester"])
	req, _ := http.NewRequest("POST", env.URL+"/api/v1/tickets", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+env.Tokens["agent"])
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create ticket: %d", resp.StatusCode)
	}
	code, out, _ := get(t, env.URL+"/api/v1/notifications", env.Tokens["requester"])
	var list struct {
		Unread int `json:"unread"`
		Items  []struct {
			Event, Title, Link string
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &list); code != 200 || err != nil || list.Unread == 0 {
		t.Fatalf("requester's inbox: %d %v %s", code, err, out)
	}
	if list.Items[0].Event != string(notify.TicketCreated) || !strings.HasPrefix(list.Items[0].Link, "/my/tickets/") {
		t.Errorf("notification %+v", list.Items[0])
	}
	if code, out, _ := get(t, env.URL+"/api/v1/notifications/unread-count", env.Tokens["agent"]); code != 200 || strings.Contains(out, `"unread":1`) {
		t.Errorf("the agent who acted is not told of their own change: %d %s", code, out)
	}
}

// TestServeRunsNotifying: Serve runs the outbox sender, which a new message wakes, and the SMTP
// intake when mail.smtp_listen is set; both stop with the server.
func TestServeRunsNotifying(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	cfg := storetest.Config(t, store.SQLite)
	cfg.AdminPassword = apptest.Password
	cfg.Mail.SMTPListen = freeAddr(t)
	cfg.Mail.SMTPDomain = "desk.corp.cn"
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.Open(context.Background(), cfg, log, app.WithArgon2(iam.CheapArgon2))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	posted := make(chan string, 4)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		posted <- string(b)
	}))
	defer hook.Close()

	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	ready := make(chan string, 1)
	go func() { served <- a.Serve(ctx, func(addr string) { ready <- addr }) }()
	select {
	case <-ready:
	case err := <-served:
		t.Fatalf("serve: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not start")
	}

	// An administrator's test message is delivered by the running sender without waiting a poll.
	sys := actor.NewContext(context.Background(), &actor.Actor{UserID: 1, Username: "admin", Perms: map[string]bool{notify.PermConfigure: true}})
	ch := &notify.Channel{Kind: notify.Webhook, Name: "监控平台", Enabled: true, Config: map[string]string{"url": hook.URL, "secret": "k"}}
	if err := a.Notify.SaveChannel(sys, ch); err != nil {
		t.Fatal(err)
	}
	if err := a.Notify.TestChannel(sys, ch.ID); err != nil {
		t.Fatal(err)
	}
	select {
	case body := <-posted:
		if !strings.Contains(body, "channel.test") {
			t.Errorf("posted %s", body)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the sender did not deliver the test message")
	}

	// The SMTP intake greets with the configured domain and takes a message in.
	conn, err := net.Dial("tcp", cfg.Mail.SMTPListen)
	if err != nil {
		t.Fatal(err)
	}
	greeting, _ := bufio.NewReader(conn).ReadString('\n')
	conn.Close()
	if !strings.HasPrefix(greeting, "220 desk.corp.cn") {
		t.Errorf("greeting %q", greeting)
	}
	msg := "From: li.lei@partner.cn\r\nTo: servicedesk@corp.cn\r\nSubject: VPN down\r\nMessage-ID: <s1@partner.cn>\r\n\r\nVPN is down.\r\n"
	if err := smtp.SendMail(cfg.Mail.SMTPListen, nil, "li.lei@partner.cn", []string{"servicedesk@corp.cn"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	ms, err := a.Mail.Store.Mails(context.Background(), mailin.MailFilter{Limit: 10})
	if err != nil || len(ms) != 1 || ms[0].Subject != "VPN down" || ms[0].MailboxID != 0 {
		t.Fatalf("mail taken in over SMTP: %+v %v", ms, err)
	}

	stop()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := net.DialTimeout("tcp", cfg.Mail.SMTPListen, time.Second); err == nil {
		t.Error("the SMTP intake still listens after shutdown")
	}
}

// freeAddr returns a loopback address with a port free at the moment.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
