package ticket

import (
	"context"
	"io"
	"slices"
	"strings"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/sheet"
)

// Namer resolves display names in bulk, one query for a whole page of tickets; store.Directory
// implements it. A Directory without it leaves the names empty.
type Namer interface {
	UserNames(ctx context.Context, ids []int64) (map[int64]string, error)
	GroupNames(ctx context.Context, ids []int64) (map[int64]string, error)
}

// Names are the display names of the people, groups and categories a page of tickets mentions.
type Names struct {
	Users  map[int64]string
	Groups map[int64]string
	cats   map[int64]*Category
}

// User returns a user's name, or "" when unknown.
func (n *Names) User(id int64) string { return n.Users[id] }

// Group returns a support group's name, or "" when unknown.
func (n *Names) Group(id int64) string { return n.Groups[id] }

// Category returns a category's label in lang with its parent's: 网络 › 无线网络.
func (n *Names) Category(id int64, lang string) string {
	c := n.cats[id]
	if c == nil {
		return ""
	}
	if p := n.cats[c.ParentID]; p != nil {
		return p.Label(lang) + " › " + c.Label(lang)
	}
	return c.Label(lang)
}

// Names looks up the names that tickets mention (requester, owner, assignee, group, watchers,
// category) and the extra users and groups the caller names (comment authors, event actors): one
// query each for users, groups and categories. The caller has already checked what the actor sees.
func (s *Service) Names(ctx context.Context, ts []*Ticket, users, groups []int64) (*Names, error) {
	if a := actor.FromContext(ctx); a == nil || a.UserID == 0 {
		return nil, errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	for _, t := range ts {
		users = append(users, t.RequesterID, t.OwnerID, t.AssigneeID)
		users = append(users, t.Watchers...)
		groups = append(groups, t.GroupID)
	}
	n := &Names{Users: map[int64]string{}, Groups: map[int64]string{}, cats: map[int64]*Category{}}
	if nm, ok := s.Directory.(Namer); ok {
		var err error
		if n.Users, err = nm.UserNames(ctx, ids(users)); err != nil {
			return nil, err
		}
		if n.Groups, err = nm.GroupNames(ctx, ids(groups)); err != nil {
			return nil, err
		}
	}
	cats, err := s.Store.Categories(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		n.cats[c.ID] = c
	}
	return n, nil
}

// ids returns the distinct non-zero ids, sorted.
func ids(in []int64) []int64 {
	out := slices.DeleteFunc(slices.Clone(in), func(id int64) bool { return id == 0 })
	slices.Sort(out)
	return slices.Compact(out)
}

// exportColumns are the columns of the technical-support record (技术支持记录表), zh-CN then en.
var exportColumns = []string{"日期 Date", "工单号 Number", "问题描述 Description", "问题分类 Category",
	"解决方法 Solution", "处理人 Handler", "状态 Status", "优先级 Priority", "报障人 Requester"}

// statusLabels name the statuses in the export, in zh-CN and en.
var statusLabels = map[Status][2]string{
	New: {"新建", "New"}, Assigned: {"已分派", "Assigned"}, InProgress: {"处理中", "In progress"},
	Pending: {"挂起", "Pending"}, Resolved: {"已解决", "Resolved"}, Closed: {"已关闭", "Closed"},
	Cancelled: {"已取消", "Cancelled"},
}

// exportPage is how many tickets an export reads at a time.
const exportPage = 500

// Export writes the tickets matching f that the actor sees as the technical-support record
// (技术支持记录表): CSV in UTF-8 with a byte-order mark (Excel on Chinese Windows needs it) or an
// Excel workbook through excelize's stream writer. Only staff who work or supervise tickets export,
// within their organisation subtree; the store is read a page at a time in keyset order, so an
// export never holds every ticket in memory. The export itself is audited before the first byte.
func (s *Service) Export(ctx context.Context, f Filter, format string, w io.Writer) error {
	a := actor.FromContext(ctx)
	if a == nil || a.UserID == 0 {
		return errs.E(errs.Unauthenticated, "err.unauthenticated")
	}
	if !a.Can(PermWork) && !a.Can(PermManage) {
		return errs.E(errs.Forbidden, "err.forbidden")
	}
	if format != "csv" && format != "xlsx" {
		return errs.E(errs.Invalid, "err.invalid", errs.Field("format", "err.invalid"))
	}
	f.Limit, f.After = exportPage, nil
	if err := s.recordTarget(ctx, "ticket.export", "ticket", "", nil, map[string]any{"format": format, "filter": f}); err != nil {
		return err
	}
	if format == "xlsx" {
		return s.exportXLSX(ctx, f, w)
	}
	return s.exportCSV(ctx, f, w)
}

// eachExported pages through the tickets matching f that the actor sees (List applies the
// visibility rules in SQL), with the names of each page.
func (s *Service) eachExported(ctx context.Context, f Filter, fn func(t *Ticket, n *Names) error) error {
	for {
		page, err := s.List(ctx, f)
		if err != nil {
			return err
		}
		n, err := s.Names(ctx, page, nil, nil)
		if err != nil {
			return err
		}
		for _, t := range page {
			if err := fn(t, n); err != nil {
				return err
			}
		}
		if len(page) < f.Limit {
			return nil
		}
		f.After = page[len(page)-1].Cursor()
	}
}

// exportRow is one line of the record in the actor's language.
func (s *Service) exportRow(t *Ticket, n *Names, lang string) []string {
	desc := t.Subject
	if d := strings.TrimSpace(t.Description); d != "" {
		desc += "：" + d
	}
	handler := n.User(t.AssigneeID)
	if handler == "" {
		handler = n.Group(t.GroupID)
	}
	requester := n.User(t.RequesterID)
	if requester == "" {
		requester = strings.TrimSpace(t.ContactName + " " + t.ContactDept)
	}
	status := string(t.Status)
	if l, ok := statusLabels[t.Status]; ok {
		status = l[0]
		if lang == "en" {
			status = l[1]
		}
	}
	zone := s.Zone
	if zone == nil {
		zone = time.UTC
	}
	return []string{t.CreatedAt.In(zone).Format(time.DateOnly), t.Number, desc, n.Category(t.CategoryID, lang),
		t.Solution, handler, status, t.Priority.String(), requester}
}

func (s *Service) exportCSV(ctx context.Context, f Filter, w io.Writer) error {
	lang := actor.FromContext(ctx).Lang
	return sheet.CSV(w, exportColumns, func(put func([]string) error) error {
		return s.eachExported(ctx, f, func(t *Ticket, n *Names) error { return put(sheet.SafeRow(s.exportRow(t, n, lang))) })
	})
}

func (s *Service) exportXLSX(ctx context.Context, f Filter, w io.Writer) error {
	lang := actor.FromContext(ctx).Lang
	return sheet.XLSX(w, "技术支持记录表", exportColumns, func(put func([]string) error) error {
		return s.eachExported(ctx, f, func(t *Ticket, n *Names) error { return put(s.exportRow(t, n, lang)) })
	})
}
