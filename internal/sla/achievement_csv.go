package sla

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/audit"
	"opsdesk/internal/sheet"
)

// achievementLabels are the CSV's words in each language.
var achievementLabels = map[string][7]string{
	"zh-CN": {"SLA 达成率", "统计期间", "维度", "名称", "停止计时数", "达成", "未达成"},
	"en":    {"SLA achievement", "Period", "By", "Name", "Clocks stopped", "Met", "Missed"},
}

var achievementMore = map[string][6]string{
	"zh-CN": {"达成率(%)", "超时次数", "合计", "优先级", "支持组", "未分组"},
	"en":    {"Achievement (%)", "Breaches", "Total", "Priority", "Group", "No group"},
}

// AchievementCSV writes the report as CSV (UTF-8 with BOM, so that Excel reads the Chinese) in the
// actor's language, days in zone, group names from groupName; the export is audited.
func (tr *Tracker) AchievementCSV(ctx context.Context, r *Achievement, zone *time.Location, groupName func(int64) string, w io.Writer) error {
	lang := "zh-CN"
	if a := actor.FromContext(ctx); a != nil && strings.HasPrefix(a.Lang, "en") {
		lang = "en"
	}
	l, m := achievementLabels[lang], achievementMore[lang]
	from, last := r.From.In(zone).Format(time.DateOnly), r.To.In(zone).AddDate(0, 0, -1).Format(time.DateOnly)
	if err := tr.Service.Audit.Record(ctx, audit.Entry{Action: "sla.report.export", TargetType: "report", TargetID: "sla",
		Detail: from + " ~ " + last}); err != nil {
		return err
	}
	if _, err := io.WriteString(w, sheet.BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{l[0], l[1], from + " ~ " + last})
	cw.Write([]string{l[2], l[3], l[4], l[5], l[6], m[0], m[1]})
	line := func(by, name string, x AchievementLine) {
		cw.Write([]string{by, sheet.Text(name), strconv.Itoa(x.Stopped()), strconv.Itoa(x.Met), strconv.Itoa(x.Missed),
			strconv.FormatFloat(x.Percent(), 'f', 1, 64), strconv.Itoa(x.Breaches)})
	}
	line(m[2], m[2], r.Total)
	for _, x := range r.ByPriority {
		line(m[3], "P"+strconv.FormatInt(x.Key, 10), x)
	}
	for _, x := range r.ByGroup {
		name := m[5]
		if x.Key != 0 {
			name = groupName(x.Key)
		}
		line(m[4], name, x)
	}
	cw.Flush()
	return cw.Error()
}
