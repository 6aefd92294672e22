package webhook

import (
	"context"
	"fmt"
	"slices"

	"opsdesk/internal/notify"
)

// weComLimit is the documented maximum of a WeCom group-robot markdown content, in UTF-8 bytes.
const weComLimit = 4096

// weComRetry are the errcodes of a WeCom robot worth retrying: -1 system busy, 45009 more than
// 20 messages a minute, 45033 too many concurrent calls. Every other non-zero code (93000 invalid
// webhook URL, 40008 invalid message type…) needs an administrator.
var weComRetry = []int{-1, 45009, 45033}

type weComMessage struct {
	MsgType  string        `json:"msgtype"`
	Markdown weComMarkdown `json:"markdown"`
}

type weComMarkdown struct {
	Content string `json:"content"`
}

// vendorReply is the answer of WeCom and DingTalk robots: {"errcode":0,"errmsg":"ok"}.
type vendorReply struct {
	ErrCode *int   `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// sendWeCom posts to a 企业微信 group robot (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…).
func (d *Driver) sendWeCom(ctx context.Context, cfg map[string]string, m *notify.Message) error {
	u, err := targetURL(notify.WeCom, cfg)
	if err != nil {
		return err
	}
	body, err := marshal(weComMessage{MsgType: "markdown",
		Markdown: weComMarkdown{Content: newCard(cfg, m).markdown("### ", weComLimit)}})
	if err != nil {
		return notify.Permanent(err)
	}
	data, err := d.post(ctx, notify.WeCom, u, body, keyHeader(m))
	if err != nil {
		return err
	}
	return errcodeErr(notify.WeCom, data, weComRetry)
}

// errcodeErr checks an {"errcode","errmsg"} answer: 0 is success, a code in retry is retried.
func errcodeErr(kind notify.Kind, data []byte, retry []int) error {
	var r vendorReply
	if err := decode(kind, data, &r); err != nil {
		return err
	}
	if r.ErrCode == nil {
		return fmt.Errorf("%s: response without errcode: %q", kind, snippet(data))
	}
	if *r.ErrCode == 0 {
		return nil
	}
	err := fmt.Errorf("%s: errcode %d: %s", kind, *r.ErrCode, snippet([]byte(r.ErrMsg)))
	if slices.Contains(retry, *r.ErrCode) {
		return err
	}
	return notify.Permanent(err)
}
