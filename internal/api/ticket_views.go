package api

import (
	"context"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// toView maps a saved view with its owner's name.
func toView(v *ticket.View, n *ticket.Names) apigen.TicketView {
	f := v.Filter
	status, typ, sort := apigen.TicketViewFilterStatus(f.Status), apigen.TicketViewFilterType(f.Type), apigen.TicketViewFilterSort(f.Sort)
	prio, group, cat, q := int(f.Priority), f.GroupID, f.CategoryID, f.Query
	return apigen.TicketView{Id: v.ID, OwnerId: v.OwnerID, OwnerName: n.User(v.OwnerID), ShareGroupId: v.ShareGroupID,
		Name: v.Name, CreatedAt: v.CreatedAt.UTC(), UpdatedAt: v.UpdatedAt.UTC(),
		Filter: apigen.TicketViewFilter{Tab: apigen.TicketViewFilterTab(f.Tab), Status: &status, Priority: &prio, Type: &typ,
			GroupId: &group, CategoryId: &cat, Q: &q, Sort: &sort}}
}

// viewsOut maps views with their owners' names, looked up at once.
func (s *server) viewsOut(ctx context.Context, vs ...*ticket.View) ([]apigen.TicketView, error) {
	owners := make([]int64, len(vs))
	for i, v := range vs {
		owners[i] = v.OwnerID
	}
	n, err := s.d.Tickets.Names(ctx, nil, owners, nil)
	if err != nil {
		return nil, err
	}
	out := make([]apigen.TicketView, len(vs))
	for i, v := range vs {
		out[i] = toView(v, n)
	}
	return out, nil
}

// ListTicketViews lists the caller's views and those shared with their groups.
func (s *server) ListTicketViews(ctx context.Context, _ apigen.ListTicketViewsRequestObject) (apigen.ListTicketViewsResponseObject, error) {
	vs, err := s.d.Tickets.Views(ctx)
	if err != nil {
		return nil, err
	}
	items, err := s.viewsOut(ctx, vs...)
	if err != nil {
		return nil, err
	}
	return apigen.ListTicketViews200JSONResponse{Items: items}, nil
}

// CreateTicketView saves a queue filter under a name.
func (s *server) CreateTicketView(ctx context.Context, req apigen.CreateTicketViewRequestObject) (apigen.CreateTicketViewResponseObject, error) {
	b, f := req.Body, req.Body.Filter
	v := &ticket.View{Name: b.Name, ShareGroupID: or(b.ShareGroupId, 0), Filter: ticket.ViewFilter{Tab: string(f.Tab),
		Status: string(or(f.Status, "")), Priority: ticket.Priority(or(f.Priority, 0)), Type: ticket.Type(or(f.Type, "")),
		GroupID: or(f.GroupId, 0), CategoryID: or(f.CategoryId, 0), Query: or(f.Q, ""), Sort: ticket.Sort(or(f.Sort, ""))}}
	if err := s.d.Tickets.CreateView(ctx, v); err != nil {
		return nil, filterFields(err)
	}
	out, err := s.viewsOut(ctx, v)
	if err != nil {
		return nil, err
	}
	return apigen.CreateTicketView201JSONResponse(out[0]), nil
}

// filterFields names the service's problems with a view's filter as the request does ("filter.tab"),
// like the spec validation's.
func filterFields(err error) error {
	msg, fields := errs.Info(err)
	if len(fields) == 0 {
		return err
	}
	out := map[string]string{}
	for k, v := range fields {
		if k != "name" && k != "share_group_id" {
			k = "filter." + k
		}
		out[k] = v
	}
	return errs.E(errs.KindOf(err), msg, out, err)
}

// RenameTicketView renames one of the caller's views.
func (s *server) RenameTicketView(ctx context.Context, req apigen.RenameTicketViewRequestObject) (apigen.RenameTicketViewResponseObject, error) {
	v, err := s.d.Tickets.RenameView(ctx, req.Id, req.Body.Name)
	if err != nil {
		return nil, err
	}
	out, err := s.viewsOut(ctx, v)
	if err != nil {
		return nil, err
	}
	return apigen.RenameTicketView200JSONResponse(out[0]), nil
}

// DeleteTicketView deletes one of the caller's views.
func (s *server) DeleteTicketView(ctx context.Context, req apigen.DeleteTicketViewRequestObject) (apigen.DeleteTicketViewResponseObject, error) {
	if err := s.d.Tickets.DeleteView(ctx, req.Id); err != nil {
		return nil, err
	}
	return apigen.DeleteTicketView204Response{}, nil
}
