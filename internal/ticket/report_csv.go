package ticket

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/sheet"
)

// reportLabels are the CSV report's headings, zh-CN then en.
var reportLabels = map[string][2]string{
	"title":      {"服务台报表", "Service-desk report"},
	"period":     {"统计期间", "Period"},
	"owners":     {"首问责任人", "First-contact owners"},
	"engineers":  {"处理工程师", "Handling engineers"},
	"groups":     {"支持组", "Support groups"},
	"by_type":    {"按类型", "By type"},
	"by_channel": {"按渠道", "By channel"},
	"by_prio":    {"按优先级", "By priority"},
	"skips":      {"越级上报（事后审查）", "Emergency skips (review afterwards)"},
	"name":       {"姓名", "Name"},
	"group":      {"支持组", "Group"},
	"taken":      {"受理", "Taken"},
	"resolved":   {"已解决/关闭", "Resolved/closed"},
	"handed":     {"转交", "Handed over"},
	"assigned":   {"分派", "Assigned"},
	"avg_min":    {"平均用时（分钟）", "Avg minutes"},
	"rated":      {"评价数", "Surveys"},
	"avg_score":  {"平均满意度", "Avg satisfaction"},
	"urges":      {"被催办", "Urges"},
	"reopened":   {"重开", "Reopened"},
	"opened":     {"新建", "Opened"},
	"esc_out":    {"升级转出", "Escalated out"},
	"key":        {"项目", "Item"},
	"count":      {"数量", "Count"},
	"total":      {"合计", "Total"},
	"time":       {"时间", "Time"},
	"ticket":     {"工单号", "Ticket"},
	"subject":    {"标题", "Subject"},
	"who":        {"操作人", "By"},
	"from":       {"原支持组", "From group"},
	"to":         {"目标支持组", "To group"},
	"reason":     {"原因", "Reason"},
}

func reportLabel(key, lang string) string {
	if lang == "en" {
		return reportLabels[key][1]
	}
	return reportLabels[key][0]
}

// ReportCSV writes the report as CSV in UTF-8 with a byte-order mark (Excel on Chinese Windows needs
// it), one section per table, in the actor's language. The download is audited before the first byte.
func (s *Service) ReportCSV(ctx context.Context, r *DeskReport, w io.Writer) error {
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 {
		return errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	n, err := s.ReportNames(ctx, r)
	if err != nil {
		return err
	}
	zone := s.zone()
	if err := s.recordTarget(ctx, "ticket.report.export", "report", "service-desk", nil,
		map[string]any{"from": r.From.In(zone).Format(time.DateOnly), "to": r.LastDay().In(zone).Format(time.DateOnly), "own": r.Own}); err != nil {
		return err
	}
	lang := a.Lang
	l := func(k string) string { return reportLabel(k, lang) }
	itoa, ftoa := strconv.Itoa, func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	if _, err := io.WriteString(w, sheet.BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	put := func(row ...string) { cw.Write(sheet.SafeRow(row)) }
	put(l("title"), l("period"), r.From.In(zone).Format(time.DateOnly)+" ~ "+r.LastDay().In(zone).Format(time.DateOnly))
	put()
	put(l("owners"))
	put(l("name"), l("taken"), l("resolved"), l("handed"))
	for _, o := range r.Owners {
		put(n.User(o.UserID), itoa(o.Taken), itoa(o.Resolved), itoa(o.HandedOver))
	}
	put()
	put(l("engineers"))
	put(l("name"), l("assigned"), l("resolved"), l("avg_min"), l("rated"), l("avg_score"), l("urges"), l("reopened"))
	for _, e := range r.Engineers {
		put(n.User(e.UserID), itoa(e.Assigned), itoa(e.Resolved), ftoa(e.AvgMinutes()), itoa(e.Rated), ftoa(e.AvgScore()),
			itoa(e.Urges), itoa(e.Reopened))
	}
	if !r.Own {
		put()
		put(l("groups"))
		put(l("group"), l("opened"), l("resolved"), l("esc_out"))
		for _, g := range r.Groups {
			put(n.Group(g.GroupID), itoa(g.Opened), itoa(g.Resolved), itoa(g.EscalatedOut))
		}
		for _, sec := range []struct {
			key string
			ts  []Tally
		}{{"by_type", r.ByType}, {"by_channel", r.ByChannel}, {"by_prio", r.ByPriority}} {
			put()
			put(l(sec.key))
			put(l("key"), l("count"))
			for _, t := range sec.ts {
				put(t.Key, itoa(t.Count))
			}
			put(l("total"), itoa(r.Total))
		}
	}
	put()
	put(l("skips"))
	put(l("time"), l("ticket"), l("subject"), l("who"), l("from"), l("to"), l("reason"))
	for _, k := range r.Skips {
		put(k.At.In(zone).Format("2006-01-02 15:04"), k.Number, k.Subject, n.User(k.ActorID), n.Group(k.FromGroup),
			n.Group(k.ToGroup), k.Reason)
	}
	cw.Flush()
	return cw.Error()
}
