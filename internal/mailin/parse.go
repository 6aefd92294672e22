package mailin

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // GBK, GB18030, Big5 … bodies and encoded words
	"github.com/emersion/go-message/mail"
	"golang.org/x/text/encoding/simplifiedchinese"
	netmail "net/mail"

	"opsdesk/internal/ticket"
)

// parsed is what the intake reads from a message.
type parsed struct {
	header    mail.Header
	messageID string // without angle brackets; a digest of the message when it has none
	from      string // the sender's address, lower-cased
	fromName  string // the sender's display name, decoded
	subject   string
	refs      []string // message ids of In-Reply-To, then References from the newest
	rcpts     []string // To, Cc and Delivered-To addresses
	text      string   // the text body (from HTML when there is no plain text)
	files     []ticket.MailFile
	report    bool     // a delivery status notification (multipart/report; delivery-status)
	notes     []string // what could not be read as it should: unknown charsets, broken parts
}

// maxIDLen bounds a stored Message-ID; a longer one is replaced by its digest.
const maxIDLen = 250

// parse reads a message. It fails only when the header cannot be read or there is no sender; an
// unknown charset or a broken part leaves a note and the best-effort text.
func parse(raw []byte) (*parsed, error) {
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, err
	}
	p := &parsed{header: mail.Header{Header: e.Header}}
	if err != nil {
		p.notes = append(p.notes, err.Error())
	}
	p.readHeader(raw)
	if p.from == "" {
		return nil, errors.New("no sender address in From")
	}
	var html string
	walkErr := e.Walk(func(path []int, part *message.Entity, err error) error {
		if err != nil {
			p.notes = append(p.notes, err.Error())
		}
		ctype, params, _ := part.Header.ContentType()
		if ctype == "multipart/report" && strings.EqualFold(params["report-type"], "delivery-status") {
			p.report = true
		}
		if strings.HasPrefix(ctype, "multipart/") {
			return nil
		}
		if ctype == "message/delivery-status" || ctype == "message/global-delivery-status" {
			p.report = true
		}
		disp, dparams, _ := part.Header.ContentDisposition()
		name := dparams["filename"]
		if name == "" {
			name = params["name"]
		}
		name = decodeWord(name)
		data, rerr := io.ReadAll(part.Body)
		if rerr != nil {
			p.notes = append(p.notes, fmt.Sprintf("part %v: %v", path, rerr))
		}
		isFile := disp == "attachment" || name != "" && disp != "inline" || name != "" && !strings.HasPrefix(ctype, "text/")
		switch {
		case isFile:
			if name == "" {
				name = "attachment"
			}
			p.files = append(p.files, ticket.MailFile{Name: name, Data: data})
		case ctype == "text/plain" || ctype == "" && path == nil:
			if p.text == "" {
				p.text = p.toText(data, err)
			}
		case ctype == "text/html":
			if html == "" {
				html = p.toText(data, err)
			}
		}
		return nil
	})
	if walkErr != nil {
		p.notes = append(p.notes, "body: "+walkErr.Error())
	}
	if strings.TrimSpace(p.text) == "" && html != "" {
		p.text = htmlText(html)
	}
	p.text = cleanText(p.text)
	return p, nil
}

// cleanText keeps line breaks and tabs and drops the other control characters, which a ticket's
// text may not hold.
func cleanText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return -1
		}
		return r
	}, s))
}

// readHeader fills the sender, subject, ids and recipients.
func (p *parsed) readHeader(raw []byte) {
	h := &p.header
	if id, err := h.MessageID(); err == nil && id != "" {
		p.messageID = id
	} else if v := strings.TrimSpace(h.Get("Message-Id")); v != "" {
		p.messageID = strings.Trim(v, "<> ")
	}
	if p.messageID == "" || len(p.messageID) > maxIDLen {
		p.messageID = digestID(raw)
	}
	if list, err := h.AddressList("From"); err == nil && len(list) > 0 {
		p.from, p.fromName = strings.ToLower(list[0].Address), textOf(list[0].Name)
	} else if a := encodedFrom(h); a != nil {
		p.from, p.fromName = strings.ToLower(a.Address), textOf(a.Name)
		p.notes = append(p.notes, "From: the whole header was one encoded word")
	}
	subject, err := h.Subject()
	if err != nil {
		p.notes = append(p.notes, "subject: "+err.Error())
	}
	p.subject = strings.TrimSpace(textOf(subject))
	if ids, err := h.MsgIDList("In-Reply-To"); err == nil {
		p.refs = append(p.refs, ids...)
	}
	if ids, err := h.MsgIDList("References"); err == nil {
		for i := len(ids) - 1; i >= 0; i-- { // the message replied to is the last
			p.refs = append(p.refs, ids[i])
		}
	}
	for _, k := range []string{"To", "Cc", "Delivered-To", "X-Original-To"} {
		if list, err := h.AddressList(k); err == nil {
			for _, a := range list {
				p.rcpts = append(p.rcpts, strings.ToLower(a.Address))
			}
		}
	}
}

// digestID stands in for a missing Message-ID, so that the same message fetched twice is still
// recorded once.
func digestID(raw []byte) string {
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// toText makes a text part's bytes UTF-8. go-message has decoded a known charset; an unknown one
// (err) leaves the bytes as sent, which are tried as GB18030 (a superset of GBK and GB2312, what
// Chinese mail without a usable label is written in) before the invalid bytes are dropped.
func (p *parsed) toText(data []byte, err error) string {
	if err != nil && message.IsUnknownCharset(err) || !utf8.Valid(data) {
		return textOf(string(data))
	}
	return string(data)
}

// textOf returns s as valid UTF-8: as it is when valid, else decoded as GB18030 when that reads
// cleanly, else with the invalid bytes dropped. Headers sent as raw 8-bit GBK come out right.
func textOf(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	if b, err := simplifiedchinese.GB18030.NewDecoder().Bytes([]byte(s)); err == nil && utf8.Valid(b) && !bytes.ContainsRune(b, utf8.RuneError) {
		return string(b)
	}
	return strings.ToValidUTF8(s, "")
}

// decodeWord decodes an RFC 2047 encoded file name that go-message left as it is.
func decodeWord(s string) string {
	if strings.Contains(s, "=?") {
		var h message.Header
		h.Set("X", s)
		if v, err := h.Text("X"); err == nil {
			s = v
		}
	}
	return textOf(s)
}

// encodedFrom reads a From header that some mailers write as one RFC 2047 word around both the
// name and the address (=?utf-8?b?5p2O5ZubIDxsaXNpQC4uLj4=?=), which is not valid but common
// enough that refusing it would hold real requests: decoded, it is an ordinary address.
func encodedFrom(h *mail.Header) *netmail.Address {
	text, err := h.Text("From")
	if err != nil || text == "" {
		return nil
	}
	a, err := netmail.ParseAddress(text)
	if err != nil {
		return nil
	}
	return a
}
