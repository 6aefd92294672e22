package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/notify"
	"opsdesk/internal/store/storetest"
)

// TestInbox: the header badge counts one's unread notifications; the inbox lists them newest first,
// unread ones bold; htmx marks one read in place and follows a link; nobody touches another's.
func TestInbox(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) { testInbox(t, apptest.New(t, engine)) })
	}
}

func testInbox(t *testing.T, env *apptest.Env) {
	ctx := context.Background()
	base := env.App.Cfg.PublicURL()
	eng := env.IDs["engineer"]
	now := time.Now()
	ns := []*notify.Notification{
		{UserID: eng, Event: notify.TicketAssigned, Title: "工单已分派：打印机卡纸", Body: "INC-2026-000001", Link: base + "/tickets/5", CreatedAt: now.Add(-time.Hour)},
		{UserID: eng, Event: notify.SLABreach, Title: "工单已超时：<网络中断>", Link: base + "/tickets/6", CreatedAt: now},
	}
	if err := env.App.Notify.Store.AddNotifications(ctx, ns); err != nil {
		t.Fatal(err)
	}
	first, second := strconv.FormatInt(ns[0].ID, 10), strconv.FormatInt(ns[1].ID, 10)

	c := login(t, env, "engineer", apptest.Password)
	home := c.get("/")
	wantStatus(t, "home", home, http.StatusOK)
	if got := strings.TrimSpace(home.doc(t).Find("#inbox-link .count-badge").Text()); got != "2" {
		t.Errorf("header badge %q, want 2", got)
	}

	inbox := c.get("/inbox")
	wantStatus(t, "inbox", inbox, http.StatusOK)
	d := inbox.doc(t)
	items := d.Find("#inbox li.inbox-item")
	if items.Length() != 2 || !strings.Contains(items.First().Text(), "网络中断") {
		t.Fatalf("inbox rows (newest first):\n%s", inbox.body)
	}
	if d.Find("#n-"+second+".unread strong a").AttrOr("href", "") != "/tickets/6" {
		t.Errorf("an unread row is bold and links to the ticket on this site:\n%s", inbox.body)
	}
	wantText(t, "escaped title", inbox, "&lt;网络中断&gt;")

	// Another user can neither see nor mark them.
	other := login(t, env, "requester", apptest.Password)
	if r := other.get("/inbox"); strings.Contains(r.body, "网络中断") {
		t.Error("someone else's notification shown")
	}
	wantStatus(t, "someone else's", other.post("/inbox/"+first+"/read", nil, "HX-Request", "true"), http.StatusNotFound)
	if n, _ := env.App.Notify.Store.Unread(ctx, eng); n != 2 {
		t.Errorf("unread %d after another user's attempt, want 2", n)
	}

	// htmx: the row comes back read, the badge out of band.
	r := c.post("/inbox/"+first+"/read", nil, "HX-Request", "true")
	wantStatus(t, "mark read", r, http.StatusOK)
	rd := r.doc(t)
	if rd.Find("#n-"+first).Length() != 1 || rd.Find("#n-"+first+".unread").Length() != 0 {
		t.Errorf("row not re-rendered as read:\n%s", r.body)
	}
	if oob := rd.Find(`#inbox-link[hx-swap-oob="true"]`); oob.Length() != 1 || strings.TrimSpace(oob.Find(".count-badge").Text()) != "1" {
		t.Errorf("badge not swapped out of band:\n%s", r.body)
	}

	// Opening the other one marks it read and follows its link.
	r = c.post("/inbox/"+second+"/open", nil, "HX-Request", "true")
	if r.header.Get("HX-Redirect") != "/tickets/6" {
		t.Errorf("open: status %d, HX-Redirect %q", r.status, r.header.Get("HX-Redirect"))
	}
	if n, _ := env.App.Notify.Store.Unread(ctx, eng); n != 0 {
		t.Errorf("unread %d after opening both, want 0", n)
	}
	if d := c.get("/").doc(t); d.Find("#inbox-link .count-badge").Length() != 0 {
		t.Error("badge shown with nothing unread")
	}

	// Mark all read.
	if err := env.App.Notify.Store.AddNotifications(ctx, []*notify.Notification{{UserID: eng, Event: notify.TicketUrged, Title: "工单被催办", CreatedAt: now}}); err != nil {
		t.Fatal(err)
	}
	wantText(t, "unread tab", c.get("/inbox?unread=1"), "工单被催办", "全部标为已读")
	wantLocation(t, "read all", c.post("/inbox/read", nil), "/inbox")
	wantText(t, "after read all", c.get("/inbox?unread=1"), "没有未读通知", "已全部标为已读")
}

// TestNotificationPreferences: the matrix saves what is ticked and switches off what is not.
func TestNotificationPreferences(t *testing.T) {
	env := apptest.New(t, "sqlite")
	c := login(t, env, "agent", apptest.Password)
	r := c.get("/me/notifications")
	wantStatus(t, "preferences", r, http.StatusOK)
	d := r.doc(t)
	boxes := d.Find(`form[action="/me/notifications"] input[type=checkbox]`)
	if boxes.Length() != 2*len(notify.Events) || boxes.Filter("[checked]").Length() != boxes.Length() {
		t.Fatalf("want every box ticked by default: %d of %d", boxes.Filter("[checked]").Length(), boxes.Length())
	}
	wantText(t, "labels", r, "站内信", "邮件", "即将超时", "通知设置")
	form := url.Values{"inapp": {"ticket.created", "sla.breach"}, "email": {"sla.breach"}}
	wantLocation(t, "save", c.post("/me/notifications", form), "/me/notifications")
	d = c.get("/me/notifications").doc(t)
	if !d.Find("#p-inapp-ticket\\.created").Is("[checked]") || d.Find("#p-email-ticket\\.created").Is("[checked]") ||
		!d.Find("#p-email-sla\\.breach").Is("[checked]") || d.Find("#p-inapp-ticket\\.assigned").Is("[checked]") {
		t.Errorf("saved matrix not shown")
	}
	// Someone else's matrix is untouched.
	if d := login(t, env, "engineer", apptest.Password).get("/me/notifications").doc(t); d.Find("input[type=checkbox]:not([checked])").Length() != 0 {
		t.Error("another user's preferences changed")
	}
}
