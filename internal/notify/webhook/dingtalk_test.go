package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"opsdesk/internal/notify"
)

// dingTalkDoc is the custom-robot markdown message as DingTalk documents it.
type dingTalkDoc struct {
	MsgType  string `json:"msgtype"`
	Markdown struct {
		Title string `json:"title"`
		Text  string `json:"text"`
	} `json:"markdown"`
}

const dingTalkSecret = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"

func TestDingTalk_PostsSignedMarkdown(t *testing.T) {
	r := newReceiver(t, http.StatusOK, `{"errcode":0,"errmsg":"ok"}`)
	m := testMessage()
	cfg := map[string]string{"url": r.srv.URL + "/robot/send?access_token=tok123", "secret": dingTalkSecret}
	if err := send(testDriver(), notify.DingTalk, cfg, m); err != nil {
		t.Fatal(err)
	}
	c := r.one(t)
	if c.path != "/robot/send" || c.query.Get("access_token") != "tok123" {
		t.Errorf("request %s?%s", c.path, c.raw)
	}
	// The signature as DingTalk documents it, computed here independently of the driver:
	// HmacSHA256 keyed with the secret over timestamp+"\n"+secret, Base64, then URL-encoded.
	ts := c.query.Get("timestamp")
	if ts != strconv.FormatInt(testNow.UnixMilli(), 10) {
		t.Errorf("timestamp = %q, want %d (milliseconds)", ts, testNow.UnixMilli())
	}
	mac := hmac.New(sha256.New, []byte(dingTalkSecret))
	mac.Write([]byte(ts + "\n" + dingTalkSecret))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if got := c.query.Get("sign"); got != want {
		t.Errorf("sign = %q, want %q", got, want)
	}
	if !strings.Contains(c.raw, "sign="+url.QueryEscape(want)) {
		t.Errorf("sign is not URL-encoded in %q", c.raw)
	}
	if k := c.header.Get("Idempotency-Key"); k != m.Key {
		t.Errorf("Idempotency-Key = %q", k)
	}
	var doc dingTalkDoc
	strict(t, c.body, &doc)
	wantText := "### [INC-2026-000123] 打印机无法连接\n\n**优先级** P2  \n三楼财务室 <font color=\"warning\">超时</font> & 待处理" +
		"\n\n[查看工单](https://desk.example.com/tickets/123)"
	if doc.MsgType != "markdown" || doc.Markdown.Title != m.Subject || doc.Markdown.Text != wantText {
		t.Errorf("got %+v\nwant text %q", doc, wantText)
	}
}

func TestDingTalk_WithoutSecretIsUnsigned(t *testing.T) {
	r := newReceiver(t, http.StatusOK, `{"errcode":0,"errmsg":"ok"}`)
	cfg := map[string]string{"url": r.srv.URL + "/robot/send?access_token=tok123", "lang": "en"}
	if err := send(testDriver(), notify.DingTalk, cfg, testMessage()); err != nil {
		t.Fatal(err)
	}
	c := r.one(t)
	if c.raw != "access_token=tok123" {
		t.Errorf("query = %q, want the token alone", c.raw)
	}
	var doc dingTalkDoc
	strict(t, c.body, &doc)
	if !strings.HasSuffix(doc.Markdown.Text, "[Open ticket](https://desk.example.com/tickets/123)") {
		t.Errorf("text %q lacks the English link", doc.Markdown.Text)
	}
}

func TestDingTalk_Failures(t *testing.T) {
	tests := []struct {
		name      string
		reply     string
		permanent bool
	}{
		{"rate limited", `{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}`, false},
		{"sign refused", `{"errcode":310000,"errmsg":"sign not match"}`, true},
		{"token unknown", `{"errcode":300001,"errmsg":"token is not exist"}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newReceiver(t, http.StatusOK, tc.reply)
			cfg := map[string]string{"url": r.srv.URL + "/robot/send?access_token=t", "secret": dingTalkSecret}
			checkErr(t, send(testDriver(), notify.DingTalk, cfg, testMessage()), tc.permanent)
			r.one(t)
		})
	}
}
