package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/iam"
	"opsdesk/internal/store"
)

// TestBrowserJourney walks one ticket through the whole service desk in headless Chromium, as each
// person does it, saving numbered screenshots: a requester submits it in the portal; an agent logs
// the requester's phone call on it; a dispatch rule has put it on the L2 desktop group; the
// engineer serves it on site (visit, arrival, work log, the printable 维修服务报告), escalates it
// to the L3 vendor group, records the workaround and resolves it; the requester confirms the
// service report, confirms the resolution and rates it; a supervisor samples it for quality
// inspection (质检) and scores it. It runs when OPSDESK_E2E_BROWSER=1.
func TestBrowserJourney(t *testing.T) {
	ctx := apptest.Browser(t)
	env := apptest.New(t, store.SQLite)
	watch := apptest.Watch(ctx)

	// The desk's set-up through the API, as the system administrator: an L2 desktop group with the
	// engineer, an L3 vendor group with the vendor engineer, and the rule that sends printers to L2.
	desktop := apiCreate(t, env, "/groups", fmt.Sprintf(`{"name":"桌面运维组","code":"desktop","tier":2,"member_ids":[%d]}`, env.IDs[iam.RoleEngineer]))
	vendor := apiCreate(t, env, "/groups", fmt.Sprintf(`{"name":"打印机原厂支持","code":"vendor-printer","tier":3,"member_ids":[%d]}`, env.IDs[iam.RoleVendor]))
	apiCreate(t, env, "/dispatch-rules", fmt.Sprintf(`{"name":"打印机故障派桌面运维组","keyword":"打印机","group_id":%d}`, desktop))

	n := 0
	shot := func(name string) {
		t.Helper()
		n++
		// A full-page shot of a scrolled page would paint the sticky header mid-page.
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`)); err != nil {
			t.Fatal(err)
		}
		apptest.Screenshot(t, ctx, fmt.Sprintf("journey-%02d-%s.png", n, name))
	}
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			html, _ := chromedp.Run(ctx, chromedp.OuterHTML("#main"))
			t.Fatalf("%s: %v\n%s", what, err, html)
		}
	}
	login := func(role string) {
		t.Helper()
		step("login as "+role,
			chromedp.Navigate(env.URL+"/login"),
			chromedp.WaitVisible(`input[name=username]`),
			chromedp.SendKeys(`input[name=username]`, env.Users[role]),
			chromedp.SendKeys(`input[name=password]`, apptest.Password),
			chromedp.Click(`form[action="/login"] button[type=submit]`),
			chromedp.WaitVisible(`#logout`))
	}
	logout := func() {
		t.Helper()
		step("logout", chromedp.Click(`#logout`), chromedp.WaitVisible(`input[name=username]`))
	}
	// contains waits (up to 10 s) for sel to show want: a form post navigates, and until the new page
	// is there a query may still meet the old one or a node that just went away.
	contains := func(sel, want string) {
		t.Helper()
		var text string
		var err error
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if text, err = chromedp.Run(ctx, chromedp.Text(sel)); err == nil && strings.Contains(text, want) {
				return
			}
		}
		t.Fatalf("%s does not show %q (%v):\n%s", sel, want, err, text)
	}
	cst := time.FixedZone("CST", 8*3600)
	now := time.Now().In(cst)

	// 1. The requester reports a broken printer in the portal.
	login(iam.RoleUser)
	step("portal form",
		chromedp.Navigate(env.URL+"/my/tickets/new"),
		chromedp.WaitVisible(`#f-subject`),
		chromedp.SendKeys(`#f-subject`, "三楼打印机卡纸无法打印"),
		chromedp.SendKeys(`#f-description`, "财务部三楼东侧的 HP 打印机一直提示卡纸，取出纸后仍然无法打印。"),
		chromedp.SendKeys(`#f-location`, "总部大楼三楼东侧 302 室"))
	shot("portal-new")
	step("portal submit", chromedp.Click(`form[action="/my/tickets"] button[type=submit]`), chromedp.WaitVisible(`.portal-show`))
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	id := path.Base(loc)
	shot("portal-submitted")
	logout()

	// 2. The requester calls the service desk; the agent logs the call on the ticket, which the
	// dispatch rule has already put on the L2 desktop group.
	login(iam.RoleAgent)
	step("agent logs the call",
		chromedp.Navigate(env.URL+"/tickets/"+id),
		chromedp.WaitVisible(`#reply-form`),
		chromedp.SendKeys(`#f-body`, "用户来电：打印机显示 E3 错误代码，财务月结报表急需打印，请尽快上门。"),
		chromedp.Click(`#reply-form input[name=internal]`),
		chromedp.SetValue(`#f-minutes`, "5"),
		chromedp.Click(`#reply-form button[type=submit]`),
		chromedp.WaitVisible(`.comment`))
	contains(`.ticket-details`, "桌面运维组")
	shot("agent-call-logged")
	logout()

	// 3. The L2 engineer goes on site: service mode, visit, arrival, work log; the service report.
	login(iam.RoleEngineer)
	planned := now.Add(time.Hour).Format("2006-01-02T15:04")
	step("on-site visit planned",
		chromedp.Navigate(env.URL+"/tickets/"+id),
		chromedp.Click(`#mode-onsite`),
		chromedp.WaitVisible(`#act-visit summary`),
		chromedp.Click(`#act-visit summary`),
		chromedp.SetValue(`#f-visit-planned_at`, planned),
		chromedp.Click(`#act-visit button`),
		chromedp.WaitVisible(`.visit form[id^=arrive-]`))
	shot("visit-planned")
	step("arrival and work log",
		chromedp.Click(`.visit form[id^=arrive-] button`),
		chromedp.WaitVisible(`.visit form[id^=complete-]`),
		chromedp.SendKeys(`.visit form[id^=complete-] textarea[name=work_log]`, "检查发现定影组件过热报 E3 错误，清理卡纸和搓纸轮；定影组件需原厂更换，先调低打印浓度并改用手动进纸临时恢复打印。"),
		chromedp.SendKeys(`.visit form[id^=complete-] input[name=parts]`, "搓纸轮 ×1"),
		chromedp.Click(`.visit form[id^=complete-] button`),
		chromedp.WaitVisible(`#report-link`))
	shot("visit-completed")
	step("service report", chromedp.Click(`#report-link`), chromedp.WaitVisible(`#service-report`))
	contains(`#service-report`, "清理卡纸和搓纸轮")
	contains(`#report-confirm`, "待用户确认")
	shot("service-report")
	step("print view", media("print"))
	shot("service-report-print")
	step("screen view", media(""))

	// Escalation to the vendor (三线), the workaround and the resolution.
	step("escalate to the vendor",
		chromedp.Navigate(env.URL+"/tickets/"+id),
		chromedp.Click(`#act-escalate summary`),
		chromedp.SetValue(`#f-escalate-target`, fmt.Sprintf("%d:0", vendor)),
		chromedp.SendKeys(`#act-escalate input[name=reason]`, "定影组件故障，需原厂工程师更换备件"),
		chromedp.Click(`#act-escalate button`),
		chromedp.WaitVisible(`#reply-form`))
	contains(`.ticket-details`, "打印机原厂支持")
	shot("escalated-to-vendor")
	step("resolve with the workaround",
		chromedp.Click(`#act-resolve summary`),
		chromedp.SendKeys(`#f-resolve-cause`, "定影组件老化过热，导致卡纸和 E3 报错"),
		chromedp.SendKeys(`#f-resolve-solution`, "原厂工程师更换定影组件，打印测试页正常"),
		chromedp.SendKeys(`#f-resolve-workaround`, "更换前调低打印浓度、改用手动进纸，可临时打印"),
		chromedp.Click(`#act-resolve button`),
		chromedp.WaitVisible(`#reply-form`))
	contains(`.ticket-details`, "手动进纸")
	shot("resolved")
	logout()

	// 4. The requester confirms the service report, then the resolution, and rates the service.
	login(iam.RoleUser)
	step("portal shows the report",
		chromedp.Navigate(env.URL+"/my/tickets/"+id),
		chromedp.WaitVisible(`#service-report-link`))
	shot("portal-resolved")
	step("confirm the report",
		chromedp.Click(`#service-report-link a`),
		chromedp.WaitVisible(`#report-confirm-form`),
		chromedp.SendKeys(`#f-report-note`, "工程师上门及时，讲解清楚"))
	shot("portal-report-confirm")
	step("report confirmed", chromedp.Click(`#report-confirm-form button`), chromedp.WaitVisible(`#report-confirm .badge-ok`))
	contains(`#report-confirm`, "工程师上门及时")
	shot("portal-report-confirmed")
	step("confirm and rate",
		chromedp.Navigate(env.URL+"/my/tickets/"+id),
		chromedp.WaitVisible(`#resolution`),
		chromedp.Click(`#resolution form[action$="/confirm"] button`),
		chromedp.WaitVisible(`#alerts .alert`), // the notice after the redirect: closed
		chromedp.Click(`#rate input[name=score][value="5"]`),
		chromedp.SendKeys(`#rate textarea[name=comment]`, "很满意"),
		chromedp.Click(`#rate button[type=submit]`),
		chromedp.WaitVisible(`#rate p.muted`)) // answered
	shot("portal-closed-rated")
	logout()

	// 5. The supervisor samples the day's closed tickets and scores this one.
	login(iam.RoleManager)
	day := now.Format(time.DateOnly)
	step("sample form",
		chromedp.Navigate(env.URL+"/inspections"),
		chromedp.WaitVisible(`#sample-form`),
		chromedp.SetValue(`#f-from`, day),
		chromedp.SetValue(`#f-to`, day),
		chromedp.SetValue(`#f-percent`, "100"))
	shot("inspection-sample-form")
	step("sample drawn", chromedp.Click(`#sample-form button`), chromedp.WaitVisible(`#inspection-table`))
	contains(`#inspection-table`, "三楼打印机卡纸无法打印")
	shot("inspection-sampled")
	step("score form", chromedp.Click(`#inspection-table a.btn`), chromedp.WaitVisible(`#score-form`))
	items, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#score-form select')].map(s => '#' + s.id)`))
	if err != nil || len(items) != 5 {
		t.Fatalf("checklist items on the score form: %v %v", items, err)
	}
	var marks []chromedp.Action[chromedp.Void]
	for i, sel := range items {
		marks = append(marks, chromedp.SetValue(sel, []string{"5", "4", "5", "5", "3"}[i]))
	}
	marks = append(marks, chromedp.SendKeys(`#f-comment`, "现场记录完整，升级原厂及时；回访略晚。"))
	step("marks", marks...)
	shot("inspection-score")
	step("score saved", chromedp.Click(`#score-form button`), chromedp.WaitVisible(`#engineer-scores table`))
	// 20 + 20×4/5 + 25 + 20 + 15×3/5 = 90
	contains(`#engineer-scores`, "90.0")
	contains(`#engineer-scores`, "厂商工程师测试")
	shot("inspection-results")

	time.Sleep(200 * time.Millisecond)
	for _, p := range watch.Problems() {
		t.Errorf("browser console: %s", p)
	}
}

// media emulates a CSS media type ("print"); "" goes back to the screen.
func media(m string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	})
}

// apiCreate posts body to an /api/v1 collection as the system administrator and returns the id.
func apiCreate(t *testing.T, env *apptest.Env, coll, body string) int64 {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/api/v1"+coll, bytes.NewBufferString(body))
	req.Header.Set("Authorization", "Bearer "+env.Tokens[iam.RoleSysAdmin])
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		ID int64 `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST %s: %d %v", coll, resp.StatusCode, err)
	}
	return out.ID
}
