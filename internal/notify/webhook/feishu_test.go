package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"opsdesk/internal/notify"
)

// feishuDoc is the custom-bot interactive card as Feishu documents it; timestamp is a string.
type feishuDoc struct {
	Timestamp string `json:"timestamp"`
	Sign      string `json:"sign"`
	MsgType   string `json:"msg_type"`
	Card      struct {
		Config struct {
			WideScreenMode bool `json:"wide_screen_mode"`
		} `json:"config"`
		Header struct {
			Title    feishuText `json:"title"`
			Template string     `json:"template"`
		} `json:"header"`
		Elements []feishuText `json:"elements"`
	} `json:"card"`
}

type feishuText struct {
	Tag     string `json:"tag"`
	Content string `json:"content"`
}

const feishuSecret = "qU8r7Jz0mPl2kXb9"

func TestFeishu_PostsSignedCard(t *testing.T) {
	r := newReceiver(t, http.StatusOK, `{"code":0,"data":{},"msg":"success"}`)
	m := testMessage()
	cfg := map[string]string{"url": r.srv.URL + "/open-apis/bot/v2/hook/abc", "secret": feishuSecret, "lang": "en-US"}
	if err := send(testDriver(), notify.Feishu, cfg, m); err != nil {
		t.Fatal(err)
	}
	c := r.one(t)
	if c.path != "/open-apis/bot/v2/hook/abc" || c.header.Get("Idempotency-Key") != m.Key {
		t.Errorf("request %s, Idempotency-Key %q", c.path, c.header.Get("Idempotency-Key"))
	}
	var doc feishuDoc
	strict(t, c.body, &doc)
	if doc.Timestamp != strconv.FormatInt(testNow.Unix(), 10) {
		t.Errorf("timestamp = %q, want %d (seconds)", doc.Timestamp, testNow.Unix())
	}
	// As Feishu documents it, computed independently: HmacSHA256 keyed with
	// timestamp+"\n"+secret over an empty message, then Base64.
	mac := hmac.New(sha256.New, []byte(doc.Timestamp+"\n"+feishuSecret))
	mac.Write([]byte{})
	if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); doc.Sign != want {
		t.Errorf("sign = %q, want %q", doc.Sign, want)
	}
	if doc.MsgType != "interactive" || !doc.Card.Config.WideScreenMode {
		t.Errorf("msg_type %q, config %+v", doc.MsgType, doc.Card.Config)
	}
	if want := (feishuText{"plain_text", m.Subject}); doc.Card.Header.Title != want {
		t.Errorf("title %+v, want %+v", doc.Card.Header.Title, want)
	}
	want := []feishuText{{"markdown", m.Text + "\n\n[Open ticket](https://desk.example.com/tickets/123)"}}
	if diff := cmp.Diff(want, doc.Card.Elements); diff != "" {
		t.Errorf("elements mismatch (-want +got):\n%s", diff)
	}
}

func TestFeishu_Replies(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		reply     string
		ok        bool
		permanent bool
	}{
		{name: "legacy success", status: 200, reply: `{"Extra":null,"StatusCode":0,"StatusMessage":"success"}`, ok: true},
		{name: "rate limited 11232", status: 200, reply: `{"code":11232,"msg":"frequency limited"}`},
		{name: "rate limited 9499", status: 200, reply: `{"code":9499,"msg":"too many request"}`},
		{name: "sign refused", status: 200, reply: `{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}`, permanent: true},
		{name: "keyword missing", status: 200, reply: `{"code":19024,"msg":"Key Words Not Found"}`, permanent: true},
		{name: "too many requests", status: 429, reply: `{}`},
		{name: "bad request", status: 400, reply: `{"code":9499,"msg":"Bad Request"}`, permanent: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newReceiver(t, tc.status, tc.reply)
			err := send(testDriver(), notify.Feishu, map[string]string{"url": r.srv.URL + "/hook/x", "secret": feishuSecret}, testMessage())
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
			} else {
				checkErr(t, err, tc.permanent)
			}
			r.one(t)
		})
	}
}

func TestFeishu_WithoutSecretIsUnsigned(t *testing.T) {
	r := newReceiver(t, http.StatusOK, `{"code":0,"msg":"success"}`)
	if err := send(testDriver(), notify.Feishu, map[string]string{"url": r.srv.URL}, testMessage()); err != nil {
		t.Fatal(err)
	}
	var doc feishuDoc
	strict(t, r.one(t).body, &doc)
	if doc.Timestamp != "" || doc.Sign != "" {
		t.Errorf("unsigned card carries timestamp %q sign %q", doc.Timestamp, doc.Sign)
	}
	if doc.Card.Elements[0].Content != testMessage().Text+"\n\n[查看工单](https://desk.example.com/tickets/123)" {
		t.Errorf("content %q", doc.Card.Elements[0].Content)
	}
}
