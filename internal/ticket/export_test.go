package ticket_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"opsdesk/internal/errs"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

func TestExport(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		cat := &ticket.Category{Name: "打印", NameEN: "Printing", Active: true}
		if err := (store.Tickets{DB: db}).SaveCategory(context.Background(), cat); err != nil {
			t.Fatal(err)
		}
		tk, err := d.s.Create(d.as("agent"), ticket.NewTicket{Type: ticket.Incident, Channel: ticket.Phone,
			Subject: "打印机卡纸", Description: "=cmd|' /C calc'!A0", CategoryID: cat.ID, Urgency: ticket.High,
			Impact: ticket.High, RequesterID: d.actors["requester"].UserID, GroupID: d.group,
			AssigneeID: d.actors["engineer"].UserID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.s.Resolve(d.as("engineer"), tk.ID, tk.Version, ticket.Resolution{Solution: "更换搓纸轮"}); err != nil {
			t.Fatal(err)
		}
		secret, err := d.s.Create(d.as("other"), ticket.NewTicket{Type: ticket.Complaint, Channel: ticket.Portal,
			Subject: "投诉某同事", Urgency: ticket.Low, Impact: ticket.Low, Confidential: true})
		if err != nil {
			t.Fatal(err)
		}

		var buf bytes.Buffer
		if err := d.s.Export(d.as("engineer"), ticket.Filter{}, "csv", &buf); err != nil {
			t.Fatal(err)
		}
		text, ok := strings.CutPrefix(buf.String(), "\xEF\xBB\xBF")
		if !ok {
			t.Fatalf("no byte-order mark: %.20q", buf.String())
		}
		recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{
			{"日期 Date", "工单号 Number", "问题描述 Description", "问题分类 Category", "解决方法 Solution", "处理人 Handler",
				"状态 Status", "优先级 Priority", "报障人 Requester"},
			// The confidential complaint of another requester stays out.
			{"2026-11-23", tk.Number, "打印机卡纸：=cmd|' /C calc'!A0", "打印", "更换搓纸轮", "engineer", "已解决", "P1", "requester"},
		}
		if diff := cmp.Diff(want, recs); diff != "" {
			t.Errorf("export mismatch (-want +got):\n%s", diff)
		}
		if strings.Contains(text, secret.Subject) {
			t.Error("confidential ticket exported")
		}

		buf.Reset()
		if err := d.s.Export(d.as("agent"), ticket.Filter{Statuses: []ticket.Status{ticket.Resolved}}, "xlsx", &buf); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows("技术支持记录表")
		if err != nil || len(rows) != 2 || rows[1][1] != tk.Number || rows[1][2] != "打印机卡纸：=cmd|' /C calc'!A0" {
			t.Fatalf("xlsx rows %q: %v", rows, err)
		}

		for _, c := range []struct {
			who, format string
			kind        errs.Kind
		}{
			{"requester", "csv", errs.Forbidden},
			{"other", "xlsx", errs.Forbidden},
			{"agent", "pdf", errs.Invalid},
		} {
			buf.Reset()
			if err := d.s.Export(d.as(c.who), ticket.Filter{}, c.format, &buf); errs.KindOf(err) != c.kind || buf.Len() != 0 {
				t.Errorf("%s %s: %v, %d bytes", c.who, c.format, err, buf.Len())
			}
		}
	})
}
