package api

import (
	"context"

	"opsdesk/internal/api/apigen"
	"opsdesk/internal/notify"
)

// configFields pairs each setting key of a channel with its field in the API's config object, so
// that the mapping is written once for both directions.
func configFields(c *apigen.NotifyChannelConfig) map[string]**string {
	return map[string]**string{
		"host": &c.Host, "port": &c.Port, "tls": &c.Tls, "username": &c.Username, "password": &c.Password,
		"from": &c.From, "from_name": &c.FromName, "reply_to": &c.ReplyTo, "plus_addressing": &c.PlusAddressing,
		"lang": &c.Lang, "url": &c.Url, "secret": &c.Secret,
	}
}

// channelOut maps a channel; its secrets read notify.Masked.
func channelOut(c *notify.Channel) apigen.NotifyChannel {
	out := apigen.NotifyChannel{Id: c.ID, Kind: apigen.NotifyKind(c.Kind), Name: c.Name, Enabled: c.Enabled,
		Events: make([]apigen.NotifyEvent, len(c.Events)), GroupId: c.GroupID, Version: c.Version}
	for i, e := range c.Events {
		out.Events[i] = apigen.NotifyEvent(e)
	}
	secret := map[string]bool{}
	for _, f := range notify.ConfigFields[c.Kind] {
		secret[f.Key] = f.Secret
	}
	for key, f := range configFields(&out.Config) {
		if v, ok := c.Config[key]; ok {
			if secret[key] && v != "" {
				v = notify.Masked // the service masks already; a secret must never leave by mistake
			}
			*f = &v
		}
	}
	return out
}

func channelIn(id int64, b *apigen.NotifyChannelInput) *notify.Channel {
	c := &notify.Channel{ID: id, Kind: notify.Kind(b.Kind), Name: b.Name, Enabled: or(b.Enabled, true),
		GroupID: or(b.GroupId, 0), Config: map[string]string{}}
	for _, e := range or(b.Events, nil) {
		c.Events = append(c.Events, notify.Event(e))
	}
	for key, f := range configFields(&b.Config) {
		if *f != nil {
			c.Config[key] = **f
		}
	}
	return c
}

// ListNotifyChannels lists the channels.
func (s *server) ListNotifyChannels(ctx context.Context, _ apigen.ListNotifyChannelsRequestObject) (apigen.ListNotifyChannelsResponseObject, error) {
	cs, err := s.d.Notify.Channels(ctx)
	if err != nil {
		return nil, err
	}
	out := apigen.ListNotifyChannels200JSONResponse{Items: make([]apigen.NotifyChannel, len(cs))}
	for i, c := range cs {
		out.Items[i] = channelOut(c)
	}
	return out, nil
}

// GetNotifyChannel returns one channel.
func (s *server) GetNotifyChannel(ctx context.Context, req apigen.GetNotifyChannelRequestObject) (apigen.GetNotifyChannelResponseObject, error) {
	c, err := s.d.Notify.Channel(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return apigen.GetNotifyChannel200JSONResponse{Body: channelOut(c), Headers: apigen.GetNotifyChannel200ResponseHeaders{ETag: etag(c.Version)}}, nil
}

// CreateNotifyChannel adds a channel.
func (s *server) CreateNotifyChannel(ctx context.Context, req apigen.CreateNotifyChannelRequestObject) (apigen.CreateNotifyChannelResponseObject, error) {
	c := channelIn(0, req.Body)
	if err := s.d.Notify.SaveChannel(ctx, c); err != nil {
		return nil, err
	}
	return apigen.CreateNotifyChannel201JSONResponse{Body: channelOut(c), Headers: apigen.CreateNotifyChannel201ResponseHeaders{ETag: etag(c.Version)}}, nil
}

// UpdateNotifyChannel replaces a channel at the version the editor saw.
func (s *server) UpdateNotifyChannel(ctx context.Context, req apigen.UpdateNotifyChannelRequestObject) (apigen.UpdateNotifyChannelResponseObject, error) {
	v, err := versionOf(req.Params.IfMatch, req.Body.Version)
	if err != nil {
		return nil, err
	}
	c := channelIn(req.Id, req.Body)
	c.Version = v
	if err := s.d.Notify.SaveChannel(ctx, c); err != nil {
		return nil, err
	}
	return apigen.UpdateNotifyChannel200JSONResponse{Body: channelOut(c), Headers: apigen.UpdateNotifyChannel200ResponseHeaders{ETag: etag(c.Version)}}, nil
}

// DeleteNotifyChannel removes a channel.
func (s *server) DeleteNotifyChannel(ctx context.Context, req apigen.DeleteNotifyChannelRequestObject) (apigen.DeleteNotifyChannelResponseObject, error) {
	if err := s.d.Notify.DeleteChannel(ctx, req.Id); err != nil {
		return nil, err
	}
	return apigen.DeleteNotifyChannel204Response{}, nil
}

// TestNotifyChannel queues a test message over a channel.
func (s *server) TestNotifyChannel(ctx context.Context, req apigen.TestNotifyChannelRequestObject) (apigen.TestNotifyChannelResponseObject, error) {
	if err := s.d.Notify.TestChannel(ctx, req.Id); err != nil {
		return nil, err
	}
	return apigen.TestNotifyChannel202Response{}, nil
}
