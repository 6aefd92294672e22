package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"

	"opsdesk/internal/notify"
)

// DingTalk documents no exact markdown limit; these caps are opsdesk's, to keep a chat message
// readable and the request far below what the robot accepts.
const (
	dingTalkLimit      = 8000 // bytes of markdown text
	dingTalkTitleLimit = 128  // bytes of the title shown in the conversation list and the push
)

// dingTalkRetry are the errcodes of a DingTalk robot worth retrying: -1 system busy, 130101 more
// than 20 messages a minute. 310000 (signature, keyword or IP allow-list check failed), 300001
// (token unknown) and the rest need an administrator.
var dingTalkRetry = []int{-1, 130101}

type dingTalkMessage struct {
	MsgType  string           `json:"msgtype"`
	Markdown dingTalkMarkdown `json:"markdown"`
}

type dingTalkMarkdown struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

// sendDingTalk posts to a 钉钉 custom robot (https://oapi.dingtalk.com/robot/send?access_token=…),
// signed when the channel has a secret (加签).
func (d *Driver) sendDingTalk(ctx context.Context, cfg map[string]string, m *notify.Message) error {
	u, err := targetURL(notify.DingTalk, cfg)
	if err != nil {
		return err
	}
	c := newCard(cfg, m)
	// DingTalk renders a single newline as a space; a Markdown hard break keeps the text's lines.
	c.text = strings.ReplaceAll(c.text, "\n", "  \n")
	body, err := marshal(dingTalkMessage{MsgType: "markdown", Markdown: dingTalkMarkdown{
		Title: truncate(c.title, dingTalkTitleLimit),
		Text:  c.markdown("### ", dingTalkLimit),
	}})
	if err != nil {
		return notify.Permanent(err)
	}
	if secret := cfg["secret"]; secret != "" {
		ts := strconv.FormatInt(d.now().UnixMilli(), 10)
		q := u.Query()
		q.Set("timestamp", ts)
		q.Set("sign", dingTalkSign(secret, ts)) // Encode URL-encodes it, as the robot expects
		u.RawQuery = q.Encode()
	}
	data, err := d.post(ctx, notify.DingTalk, u, body, keyHeader(m))
	if err != nil {
		return err
	}
	return errcodeErr(notify.DingTalk, data, dingTalkRetry)
}

// dingTalkSign is base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret)), the
// timestamp in milliseconds; the robot refuses one more than an hour off its clock.
func dingTalkSign(secret, ts string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
