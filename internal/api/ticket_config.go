package api

import (
	"context"
	"net/http"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

func toCategory(c *ticket.Category) apigen.Category {
	return apigen.Category{Id: c.ID, ParentId: c.ParentID, Name: c.Name, NameEn: c.NameEN, Sort: c.Sort, Active: c.Active}
}

// ListTicketCategories returns the category tree.
func (s *server) ListTicketCategories(ctx context.Context, _ apigen.ListTicketCategoriesRequestObject) (apigen.ListTicketCategoriesResponseObject, error) {
	cs, err := s.d.Tickets.Categories(ctx)
	if err != nil {
		return nil, err
	}
	out := apigen.ListTicketCategories200JSONResponse{Items: make([]apigen.Category, len(cs))}
	for i, c := range cs {
		out.Items[i] = toCategory(c)
	}
	return out, nil
}

func fromCategory(id int64, b *apigen.CategoryInput) *ticket.Category {
	return &ticket.Category{ID: id, ParentID: or(b.ParentId, 0), Name: b.Name, NameEN: or(b.NameEn, ""),
		Sort: or(b.Sort, 0), Active: or(b.Active, true)}
}

// CreateTicketCategory adds a category.
func (s *server) CreateTicketCategory(ctx context.Context, req apigen.CreateTicketCategoryRequestObject) (apigen.CreateTicketCategoryResponseObject, error) {
	c := fromCategory(0, req.Body)
	if err := s.d.Tickets.SaveCategory(ctx, c); err != nil {
		return nil, err
	}
	return apigen.CreateTicketCategory201JSONResponse(toCategory(c)), nil
}

// UpdateTicketCategory replaces a category's fields.
func (s *server) UpdateTicketCategory(ctx context.Context, req apigen.UpdateTicketCategoryRequestObject) (apigen.UpdateTicketCategoryResponseObject, error) {
	c := fromCategory(req.Id, req.Body)
	if err := s.d.Tickets.SaveCategory(ctx, c); err != nil {
		return nil, err
	}
	return apigen.UpdateTicketCategory200JSONResponse(toCategory(c)), nil
}

func toRule(r *ticket.Rule, n *ticket.Names) apigen.Rule {
	return apigen.Rule{Id: r.ID, Sort: r.Sort, Name: r.Name, CategoryId: r.CategoryID, Channel: apigen.RuleChannel(r.Channel),
		Location: r.Location, Keyword: r.Keyword, GroupId: r.GroupID, GroupName: n.Group(r.GroupID), Active: r.Active,
		Version: r.Version}
}

// rulesOut maps rules with their groups' names, looked up at once.
func (s *server) rulesOut(ctx context.Context, rs ...*ticket.Rule) ([]apigen.Rule, error) {
	groups := make([]int64, len(rs))
	for i, r := range rs {
		groups[i] = r.GroupID
	}
	n, err := s.d.Tickets.Names(ctx, nil, nil, groups)
	if err != nil {
		return nil, err
	}
	out := make([]apigen.Rule, len(rs))
	for i, r := range rs {
		out[i] = toRule(r, n)
	}
	return out, nil
}

// ListDispatchRules lists the dispatch rules in the order they are tried.
func (s *server) ListDispatchRules(ctx context.Context, _ apigen.ListDispatchRulesRequestObject) (apigen.ListDispatchRulesResponseObject, error) {
	rs, err := s.d.Tickets.DispatchRules(ctx)
	if err != nil {
		return nil, err
	}
	items, err := s.rulesOut(ctx, rs...)
	return apigen.ListDispatchRules200JSONResponse{Items: items}, err
}

func fromRule(id int64, version int, b *apigen.RuleInput) *ticket.Rule {
	return &ticket.Rule{ID: id, Version: version, Sort: or(b.Sort, 0), Name: b.Name, CategoryID: or(b.CategoryId, 0),
		Channel: ticket.Channel(or((*string)(b.Channel), "")), Location: or(b.Location, ""), Keyword: or(b.Keyword, ""),
		GroupID: b.GroupId, Active: or(b.Active, true)}
}

// CreateDispatchRule adds a dispatch rule.
func (s *server) CreateDispatchRule(ctx context.Context, req apigen.CreateDispatchRuleRequestObject) (apigen.CreateDispatchRuleResponseObject, error) {
	r := fromRule(0, 0, req.Body)
	if err := s.d.Tickets.SaveRule(ctx, r); err != nil {
		return nil, err
	}
	out, err := s.rulesOut(ctx, r)
	if err != nil {
		return nil, err
	}
	return apigen.CreateDispatchRule201JSONResponse(out[0]), nil
}

// UpdateDispatchRule replaces a dispatch rule at the version the editor saw; an unknown rule is 404.
func (s *server) UpdateDispatchRule(ctx context.Context, req apigen.UpdateDispatchRuleRequestObject) (apigen.UpdateDispatchRuleResponseObject, error) {
	v, err := ticketVersion(req.Params.IfMatch, req.Body.Version)
	if err != nil {
		return nil, err
	}
	rs, err := s.d.Tickets.DispatchRules(ctx)
	if err != nil {
		return nil, err
	}
	found := false
	for _, r := range rs {
		found = found || r.ID == req.Id
	}
	if !found {
		return nil, errs.E(errs.NotFound, "err.not_found")
	}
	r := fromRule(req.Id, v, req.Body)
	if err := s.d.Tickets.SaveRule(ctx, r); err != nil {
		return nil, err
	}
	out, err := s.rulesOut(ctx, r)
	if err != nil {
		return nil, err
	}
	return apigen.UpdateDispatchRule200JSONResponse{Body: out[0], Headers: apigen.UpdateDispatchRule200ResponseHeaders{ETag: etag(r.Version)}}, nil
}

// DeleteDispatchRule removes a dispatch rule.
func (s *server) DeleteDispatchRule(ctx context.Context, req apigen.DeleteDispatchRuleRequestObject) (apigen.DeleteDispatchRuleResponseObject, error) {
	if err := s.d.Tickets.DeleteRule(ctx, req.Id); err != nil {
		return nil, err
	}
	return apigen.DeleteDispatchRule204Response{}, nil
}

func toSettings(set ticket.Settings) apigen.TicketSettings {
	m := make([][]int, 3)
	for u := range 3 {
		m[u] = make([]int, 3)
		for i := range 3 {
			m[u][i] = int(set.Matrix[u][i])
		}
	}
	return apigen.TicketSettings{Matrix: m, ReopenDays: set.ReopenDays, AutoConfirmDays: set.AutoConfirmDays}
}

// GetTicketSettings returns the priority matrix and the closure settings.
func (s *server) GetTicketSettings(ctx context.Context, _ apigen.GetTicketSettingsRequestObject) (apigen.GetTicketSettingsResponseObject, error) {
	set, err := s.d.Tickets.Settings(ctx)
	if err != nil {
		return nil, err
	}
	return apigen.GetTicketSettings200JSONResponse(toSettings(set)), nil
}

// UpdateTicketSettings replaces the settings.
func (s *server) UpdateTicketSettings(ctx context.Context, req apigen.UpdateTicketSettingsRequestObject) (apigen.UpdateTicketSettingsResponseObject, error) {
	b := req.Body
	set := ticket.Settings{ReopenDays: b.ReopenDays, AutoConfirmDays: b.AutoConfirmDays}
	if len(b.Matrix) != 3 {
		return nil, badRequest("err.invalid", "matrix", "err.out_of_range", nil)
	}
	for u, row := range b.Matrix {
		if len(row) != 3 {
			return nil, badRequest("err.invalid", "matrix", "err.out_of_range", nil)
		}
		for i, p := range row {
			set.Matrix[u][i] = ticket.Priority(p)
		}
	}
	if err := s.d.Tickets.SaveSettings(ctx, set); err != nil {
		return nil, err
	}
	return apigen.UpdateTicketSettings200JSONResponse(toSettings(set)), nil
}

// ExportTickets streams the technical-support record (技术支持记录表) as CSV or Excel.
func (s *server) ExportTickets(ctx context.Context, req apigen.ExportTicketsRequestObject) (apigen.ExportTicketsResponseObject, error) {
	p := req.Params
	f, err := ticketFilter(p.Q, p.Status, p.Priority, p.Type, p.Group, p.Assignee, p.Category, p.CreatedAfter,
		p.CreatedBefore, (*string)(p.Sort))
	if err != nil {
		return nil, err
	}
	f.OwnerID = or(p.Owner, 0) // 首问责任人
	return ticketExport{ctx: ctx, svc: s.d.Tickets, f: f, format: string(p.Format)}, nil
}

// ticketExport writes the export straight to the response; headers go out with the first byte, so
// a refusal before any output still becomes a proper error response.
type ticketExport struct {
	ctx    context.Context
	svc    *ticket.Service
	f      ticket.Filter
	format string
}

// VisitExportTicketsResponse implements apigen.ExportTicketsResponseObject.
func (e ticketExport) VisitExportTicketsResponse(w http.ResponseWriter) error {
	name := "tickets-" + e.svc.Now().UTC().Format("20060102-150405")
	lw := &lazyWriter{w: w, ctype: "text/csv; charset=utf-8", filename: name + ".csv"}
	if e.format == "xlsx" {
		lw.ctype, lw.filename = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+".xlsx"
	}
	return e.svc.Export(e.ctx, e.f, e.format, lw)
}
