package audit

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/sheet"
)

// exportColumns are the header of CSV and Excel exports, in zh-CN then en.
var exportColumns = []string{"序号 Seq", "时间 Time (UTC)", "操作人 Actor", "操作 Action", "对象类型 Target type",
	"对象 Target", "结果 Result", "来源 Source", "IP", "User-Agent", "说明 Detail", "变更前 Before", "变更后 After", "哈希 Hash"}

func row(e *Entry) []string {
	return []string{strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339), e.ActorName, e.Action,
		e.TargetType, e.TargetID, e.Result, e.Source, e.IP, e.UserAgent, e.Detail, e.Before, e.After, e.Hash}
}

// each pages through every entry matching f, newest first, so that an export never holds the whole
// log in memory.
func (s *Service) each(ctx context.Context, f Filter, fn func(*Entry) error) error {
	a := actor.FromContext(ctx)
	if !a.Can(PermRead) || !a.Can(PermExport) {
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	// Taking a copy of the log is itself recorded, before the first byte: the record shows who
	// carried which part of it away. It commits on its own, whether or not the download completes.
	if err := s.Record(ctx, Entry{Action: "audit.export", TargetType: "audit_log", Detail: describe(f)}); err != nil {
		return err
	}
	f.Limit = 500
	for {
		page, err := s.Store.Search(ctx, f)
		if err != nil {
			return err
		}
		for _, e := range page {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(page) < f.Limit {
			return nil
		}
		f.BeforeSeq = page[len(page)-1].Seq
	}
}

// describe names the filters of an export for its audit entry.
func describe(f Filter) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("actor", f.Actor)
	add("action", f.Action)
	add("target_type", f.TargetType)
	add("target_id", f.TargetID)
	add("result", f.Result)
	add("ip", f.IP)
	add("text", f.Text)
	if !f.From.IsZero() {
		add("from", f.From.UTC().Format(time.RFC3339))
	}
	if !f.To.IsZero() {
		add("to", f.To.UTC().Format(time.RFC3339))
	}
	if len(parts) == 0 {
		return "export of the whole log"
	}
	return "export where " + strings.Join(parts, ", ")
}

// ExportCSV writes matching entries as UTF-8 CSV with a byte-order mark, which Excel on Chinese
// Windows needs to show the text correctly.
func (s *Service) ExportCSV(ctx context.Context, f Filter, w io.Writer) error {
	if !actor.FromContext(ctx).Can(PermExport) {
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	return sheet.CSV(w, exportColumns, func(put func([]string) error) error {
		return s.each(ctx, f, func(e *Entry) error { return put(row(e)) })
	})
}

// ExportXLSX writes matching entries as an Excel workbook through excelize's stream writer.
func (s *Service) ExportXLSX(ctx context.Context, f Filter, w io.Writer) error {
	if !actor.FromContext(ctx).Can(PermExport) {
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	return sheet.XLSX(w, "审计日志", exportColumns, func(put func([]string) error) error {
		return s.each(ctx, f, func(e *Entry) error { return put(row(e)) })
	})
}
