package web

import (
	"net/http"
)

// notifyChannelCreate adds a channel.
func (h *Handler) notifyChannelCreate(w http.ResponseWriter, r *http.Request) error {
	return h.notifyChannelSave(w, r, 0)
}

// notifyChannelUpdate saves a channel if nobody changed it since the form was shown.
func (h *Handler) notifyChannelUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return h.notifyChannelSave(w, r, id)
}

// notifyChannelSave validates and saves; problems come back next to their fields, and the secrets
// typed are not sent back (the administrator types them again).
func (h *Handler) notifyChannelSave(w http.ResponseWriter, r *http.Request, id int64) error {
	if err := parseForm(r); err != nil {
		return err
	}
	ctx := r.Context()
	var stored map[string]string
	if id != 0 {
		c, err := h.d.Notify.Channel(ctx, id)
		if err != nil {
			return err
		}
		stored = c.Config
		r.PostForm.Set("kind", string(c.Kind)) // the kind of a channel never changes
	}
	fe := fieldErrors{}
	f, c := readChannelForm(r, fe)
	f.ID, c.ID, c.Version = id, id, f.Version
	err := fe.err()
	if err == nil {
		err = h.d.Notify.SaveChannel(ctx, c)
	}
	if ok, status, msg, fields := formError(err); ok {
		p, err := h.notifyChannelFormPage(r, id == 0)
		if err != nil {
			return err
		}
		p.Form = f
		p.Fields = channelFields(f.Kind, c.Config, stored)
		p.fail(settingError(msg, fields, f.Kind), fields)
		h.render(w, r, status, "notify/channel_form", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/admin/channels", http.StatusSeeOther)
	return nil
}
