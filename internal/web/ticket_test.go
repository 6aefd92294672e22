package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"opsdesk/internal/actor"
	"opsdesk/internal/app/apptest"
	"opsdesk/internal/iam"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

// intake logs a phone call through the form and returns the new ticket's id.
func intake(t *testing.T, c *client, form url.Values) int64 {
	t.Helper()
	r := c.post("/tickets", form)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/tickets/") {
		t.Fatalf("intake: status %d location %q\n%.2000s", r.status, r.header.Get("Location"), r.body)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(r.header.Get("Location"), "/tickets/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestTicketUI(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) { testTicketUI(t, apptest.New(t, engine)) })
	}
}

func testTicketUI(t *testing.T, env *apptest.Env) {
	ctx := context.Background()
	agent := login(t, env, env.Users[iam.RoleAgent], apptest.Password)
	engineer := login(t, env, env.Users[iam.RoleEngineer], apptest.Password)
	requester := login(t, env, env.Users[iam.RoleUser], apptest.Password)
	reqID := strconv.FormatInt(env.IDs[iam.RoleUser], 10)

	// The intake form opens with the caller search focused and sensible defaults.
	d := agent.get("/tickets/new").doc(t)
	if d.Find(`#f-caller-q[autofocus]`).Length() != 1 || d.Find(`#f-urgency option[selected][value="2"]`).Length() != 1 {
		t.Error("intake form lacks autofocus or default urgency")
	}
	wantText(t, "caller search", agent.get("/tickets/new/callers?q="+url.QueryEscape(env.Users[iam.RoleUser]), "HX-Request", "true"),
		`name="requester_id" value="`+reqID+`"`)

	// A phone ticket: channel phone, the agent is the first-contact owner.
	id := intake(t, agent, url.Values{"requester_id": {reqID}, "type": {"incident"}, "urgency": {"2"}, "impact": {"3"},
		"subject": {"打印机卡纸"}, "description": {"三楼打印机无法打印"}, "location": {"三楼"}})
	tk, err := store.Tickets{DB: env.App.DB}.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Channel != ticket.Phone || tk.OwnerID != env.IDs[iam.RoleAgent] || tk.RequesterID != env.IDs[iam.RoleUser] {
		t.Errorf("intake ticket: channel %s owner %d requester %d", tk.Channel, tk.OwnerID, tk.RequesterID)
	}
	page := agent.get("/tickets/" + strconv.FormatInt(id, 10))
	wantStatus(t, "ticket page", page, http.StatusOK)
	wantText(t, "ticket page", page, tk.Number, "打印机卡纸", "首问责任人", "电话", "P")

	// An external caller, left unassigned.
	ext := intake(t, agent, url.Values{"contact_name": {"访客王先生"}, "contact_phone": {"13800000000"}, "type": {"consultation"},
		"urgency": {"3"}, "impact": {"3"}, "subject": {"咨询网络开通"}})

	// The agent takes the first; queues per role.
	wantStatus(t, "take", agent.post("/tickets/"+strconv.FormatInt(id, 10)+"/take", url.Values{"version": {strconv.Itoa(tk.Version)}}), http.StatusSeeOther)
	mine := agent.get("/tickets?tab=mine")
	wantText(t, "agent mine", mine, "打印机卡纸")
	if strings.Contains(mine.body, "咨询网络开通") {
		t.Error("an unassigned ticket in the agent's own queue")
	}
	un := agent.get("/tickets?tab=unassigned")
	wantText(t, "unassigned", un, "咨询网络开通")
	if strings.Contains(un.body, "打印机卡纸") {
		t.Error("an assigned ticket in the unassigned queue")
	}
	if strings.Contains(engineer.get("/tickets?tab=mine").body, "打印机卡纸") {
		t.Error("the agent's ticket in the engineer's queue")
	}
	wantText(t, "full-text search", agent.get("/tickets?tab=updated&q=打印", "HX-Request", "true", "HX-Target", "queue-table"), "打印机卡纸")
	if r := agent.get("/tickets?tab=updated&q=网络", "HX-Request", "true", "HX-Target", "queue-table"); strings.Contains(r.body, "打印机卡纸") || strings.Contains(r.body, "<header") {
		t.Errorf("search fragment: wrong row or a whole page\n%.1500s", r.body)
	}

	// Requesters use the portal: no workspace, no staff ticket page.
	wantStatus(t, "requester workspace", requester.get("/tickets"), http.StatusForbidden)
	wantStatus(t, "requester ticket page", requester.get("/tickets/"+strconv.FormatInt(id, 10)), http.StatusForbidden)

	// An internal note: shown to staff marked as such, never to the requester.
	wantStatus(t, "note", agent.post("/tickets/"+strconv.FormatInt(id, 10)+"/comments", url.Values{"body": {"内部备注：驱动问题"}, "internal": {"1"}, "minutes": {"15"}}), http.StatusSeeOther)
	wantStatus(t, "reply", agent.post("/tickets/"+strconv.FormatInt(id, 10)+"/comments", url.Values{"body": {"正在处理，请稍候"}}), http.StatusSeeOther)
	d = agent.get("/tickets/" + strconv.FormatInt(id, 10)).doc(t)
	if !strings.Contains(d.Find(".comment.internal").Text(), "驱动问题") {
		t.Error("internal note not marked on the staff page")
	}
	reqCtx := actor.NewContext(ctx, &actor.Actor{UserID: env.IDs[iam.RoleUser], Perms: map[string]bool{ticket.PermSubmit: true}})
	cs, err := env.App.Tickets.Comments(reqCtx, id)
	if err != nil || len(cs) != 1 || cs[0].Internal {
		t.Errorf("requester sees %d comments (%v), want only the public reply", len(cs), err)
	}

	// A stale edit is a clear 409, not a 500.
	r := agent.post("/tickets/"+strconv.FormatInt(id, 10), url.Values{"version": {strconv.Itoa(tk.Version)}, "subject": {"改标题"}, "urgency": {"1"}, "impact": {"1"}})
	wantStatus(t, "stale edit", r, http.StatusConflict)
	wantText(t, "stale edit", r, "已被他人修改", "刷新")

	// Bad input comes back with field errors, in the page language.
	r = agent.post("/tickets", url.Values{"type": {"incident"}, "urgency": {"2"}, "impact": {"3"}})
	wantStatus(t, "empty intake", r, http.StatusUnprocessableEntity)
	wantText(t, "empty intake zh", r, "必填", "请选择来电人")
	if r.doc(t).Find(`.has-error #f-subject`).Length() != 1 {
		t.Error("subject not marked")
	}
	r = agent.post("/tickets", url.Values{"type": {"incident"}, "urgency": {"2"}, "impact": {"3"}}, "Accept-Language", "en")
	wantText(t, "empty intake en", r, "Choose the caller")

	// Bulk cancel with a reason.
	r = agent.post("/tickets/bulk", url.Values{"ids": {strconv.FormatInt(ext, 10)}, "action": {"cancel"}, "reason": {"重复来电"}, "back": {"/tickets?tab=unassigned"}})
	wantLocation(t, "bulk cancel", r, "/tickets?tab=unassigned")
	if x, _ := (store.Tickets{DB: env.App.DB}).Get(ctx, ext); x.Status != ticket.Cancelled {
		t.Errorf("bulk cancel: status %s", x.Status)
	}
}
