package api

import (
	"context"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/notify"
)

func notificationOut(n *notify.Notification) apigen.Notification {
	return apigen.Notification{Id: n.ID, Event: apigen.NotifyEvent(n.Event), TicketId: n.TicketID, Title: n.Title,
		Body: n.Body, Link: n.Link, CreatedAt: n.CreatedAt.UTC(), ReadAt: timeOrNil(n.ReadAt)}
}

// ListNotifications lists the caller's own inbox with the unread count.
func (s *server) ListNotifications(ctx context.Context, req apigen.ListNotificationsRequestObject) (apigen.ListNotificationsResponseObject, error) {
	ns, err := s.d.Notify.Inbox(ctx, or(req.Params.Unread, false), or(req.Params.Limit, 0))
	if err != nil {
		return nil, err
	}
	unread, err := s.d.Notify.Unread(ctx)
	if err != nil {
		return nil, err
	}
	out := apigen.ListNotifications200JSONResponse{Items: make([]apigen.Notification, len(ns)), Unread: unread}
	for i, n := range ns {
		out.Items[i] = notificationOut(n)
	}
	return out, nil
}

// CountUnreadNotifications answers the header badge's question.
func (s *server) CountUnreadNotifications(ctx context.Context, _ apigen.CountUnreadNotificationsRequestObject) (apigen.CountUnreadNotificationsResponseObject, error) {
	n, err := s.d.Notify.Unread(ctx)
	if err != nil {
		return nil, err
	}
	return apigen.CountUnreadNotifications200JSONResponse{Unread: n}, nil
}

// MarkNotificationsRead marks the caller's notifications read (all of them for an empty list).
func (s *server) MarkNotificationsRead(ctx context.Context, req apigen.MarkNotificationsReadRequestObject) (apigen.MarkNotificationsReadResponseObject, error) {
	if err := s.d.Notify.MarkRead(ctx, req.Body.Ids); err != nil {
		return nil, err
	}
	n, err := s.d.Notify.Unread(ctx)
	if err != nil {
		return nil, err
	}
	return apigen.MarkNotificationsRead200JSONResponse{Unread: n}, nil
}

// preferencesOut folds the event × kind matrix into one item per event.
func preferencesOut(ps []*notify.Preference) apigen.NotificationPreferences {
	out := apigen.NotificationPreferences{Items: []apigen.NotificationPreference{}}
	at := map[notify.Event]int{}
	for _, p := range ps {
		i, ok := at[p.Event]
		if !ok {
			i = len(out.Items)
			at[p.Event] = i
			out.Items = append(out.Items, apigen.NotificationPreference{Event: apigen.NotifyEvent(p.Event)})
		}
		on := p.Enabled
		switch p.Kind {
		case notify.InApp:
			out.Items[i].Inapp = &on
		case notify.Email:
			out.Items[i].Email = &on
		}
	}
	return out
}

// GetNotificationPreferences returns the caller's whole preference matrix.
func (s *server) GetNotificationPreferences(ctx context.Context, _ apigen.GetNotificationPreferencesRequestObject) (apigen.GetNotificationPreferencesResponseObject, error) {
	ps, err := s.d.Notify.Preferences(ctx)
	if err != nil {
		return nil, err
	}
	return apigen.GetNotificationPreferences200JSONResponse(preferencesOut(ps)), nil
}

// SaveNotificationPreferences stores the switches sent; the others keep their state.
func (s *server) SaveNotificationPreferences(ctx context.Context, req apigen.SaveNotificationPreferencesRequestObject) (apigen.SaveNotificationPreferencesResponseObject, error) {
	var ps []*notify.Preference
	for _, it := range req.Body.Items {
		for kind, on := range map[notify.Kind]*bool{notify.InApp: it.Inapp, notify.Email: it.Email} {
			if on != nil {
				ps = append(ps, &notify.Preference{Event: notify.Event(it.Event), Kind: kind, Enabled: *on})
			}
		}
	}
	if err := s.d.Notify.SavePreferences(ctx, ps); err != nil {
		return nil, err
	}
	all, err := s.d.Notify.Preferences(ctx)
	if err != nil {
		return nil, err
	}
	return apigen.SaveNotificationPreferences200JSONResponse(preferencesOut(all)), nil
}
