package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"

	"opsdesk/internal/notify"
)

// Feishu refuses a request body over 20 KB; the card text is capped well below, leaving room for
// the title, the JSON around it and escapes.
const (
	feishuLimit      = 16000
	feishuTitleLimit = 256
)

// feishuRetry are the codes of a Feishu bot worth retrying: 9499 and 11232 are its rate limits
// (100 a minute, 5 a second per bot). 19021 (signature or timestamp refused), 19022 (IP not
// allowed), 19024 (keyword missing) and the rest need an administrator.
var feishuRetry = []int{9499, 11232}

type feishuMessage struct {
	Timestamp string     `json:"timestamp,omitempty"`
	Sign      string     `json:"sign,omitempty"`
	MsgType   string     `json:"msg_type"`
	Card      feishuCard `json:"card"`
}

type feishuCard struct {
	Config   feishuCardConfig  `json:"config"`
	Header   feishuCardHeader  `json:"header"`
	Elements []feishuCardPiece `json:"elements"`
}

type feishuCardConfig struct {
	WideScreenMode bool `json:"wide_screen_mode"`
}

type feishuCardHeader struct {
	Title    feishuCardPiece `json:"title"`
	Template string          `json:"template"`
}

// feishuCardPiece is a text element of a card: {"tag":"plain_text"|"markdown","content":…}.
type feishuCardPiece struct {
	Tag     string `json:"tag"`
	Content string `json:"content"`
}

// feishuReply is a Feishu bot's answer: {"code":0,"msg":"success"}, or from older deployments
// {"StatusCode":0,"StatusMessage":"success"}.
type feishuReply struct {
	Code          *int   `json:"code"`
	Msg           string `json:"msg"`
	StatusCode    *int   `json:"StatusCode"`
	StatusMessage string `json:"StatusMessage"`
}

// sendFeishu posts an interactive card to a 飞书/Lark custom bot
// (https://open.feishu.cn/open-apis/bot/v2/hook/…), signed when the channel has a secret.
func (d *Driver) sendFeishu(ctx context.Context, cfg map[string]string, m *notify.Message) error {
	u, err := targetURL(notify.Feishu, cfg)
	if err != nil {
		return err
	}
	c := newCard(cfg, m)
	msg := feishuMessage{MsgType: "interactive", Card: feishuCard{
		Config: feishuCardConfig{WideScreenMode: true},
		Header: feishuCardHeader{Template: "blue",
			Title: feishuCardPiece{Tag: "plain_text", Content: truncate(c.title, feishuTitleLimit)}},
		Elements: []feishuCardPiece{{Tag: "markdown", Content: c.body(feishuLimit)}},
	}}
	if secret := cfg["secret"]; secret != "" {
		msg.Timestamp = strconv.FormatInt(d.now().Unix(), 10)
		msg.Sign = feishuSign(secret, msg.Timestamp)
	}
	body, err := marshal(msg)
	if err != nil {
		return notify.Permanent(err)
	}
	data, err := d.post(ctx, notify.Feishu, u, body, keyHeader(m))
	if err != nil {
		return err
	}
	var r feishuReply
	if err := decode(notify.Feishu, data, &r); err != nil {
		return err
	}
	code, text := r.Code, r.Msg
	if code == nil {
		code, text = r.StatusCode, r.StatusMessage
	}
	if code == nil {
		return fmt.Errorf("feishu: response without code: %q", snippet(data))
	}
	if *code == 0 {
		return nil
	}
	err = fmt.Errorf("feishu: code %d: %s", *code, snippet([]byte(text)))
	if slices.Contains(feishuRetry, *code) {
		return err
	}
	return notify.Permanent(err)
}

// feishuSign is base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty)), the
// timestamp in seconds. The key/message order is the reverse of DingTalk's, as Feishu documents.
func feishuSign(secret, ts string) string {
	mac := hmac.New(sha256.New, []byte(ts+"\n"+secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
