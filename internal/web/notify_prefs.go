package web

import (
	"net/http"
	"slices"

	"opsdesk/internal/notify"
)

// notifyPrefsPage is the signed-in user's choice of what they are told and how: one row per event,
// one checkbox per channel kind (站内, 邮件).
type notifyPrefsPage struct {
	basePage
	Rows    []notifyPrefRow
	Kinds   []notify.Kind
	NoEmail bool // the account has no address: e-mail cannot reach it
}

// notifyPrefRow is one event with its switch per kind, in the order of Kinds.
type notifyPrefRow struct {
	Event notify.Event
	On    []bool
}

// notifyPrefsEdit renders the preference matrix.
func (h *Handler) notifyPrefsEdit(w http.ResponseWriter, r *http.Request) error {
	p, err := h.notifyPrefsPage(r)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "profile/notifications", p)
	return nil
}

func (h *Handler) notifyPrefsPage(r *http.Request) (*notifyPrefsPage, error) {
	ctx := r.Context()
	ps, err := h.d.Notify.Preferences(ctx)
	if err != nil {
		return nil, err
	}
	me, err := h.d.IAM.Me(ctx)
	if err != nil {
		return nil, err
	}
	p := &notifyPrefsPage{basePage: h.base(r, "web.nprefs.title"), Kinds: notify.PrefKinds, NoEmail: me.Email == ""}
	for _, e := range notify.Events {
		row := notifyPrefRow{Event: e, On: make([]bool, len(notify.PrefKinds))}
		for _, pref := range ps {
			if i := slices.Index(notify.PrefKinds, pref.Kind); pref.Event == e && i >= 0 {
				row.On[i] = pref.Enabled
			}
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}

// notifyPrefsUpdate saves the whole matrix: a box left unticked switches its event off for that kind.
// Each kind's field lists the ticked events (inapp=ticket.created&inapp=…).
func (h *Handler) notifyPrefsUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	var ps []*notify.Preference
	for _, e := range notify.Events {
		for _, k := range notify.PrefKinds {
			ps = append(ps, &notify.Preference{Event: e, Kind: k, Enabled: slices.Contains(r.PostForm[string(k)], string(e))})
		}
	}
	if err := h.d.Notify.SavePreferences(r.Context(), ps); err != nil {
		return err
	}
	h.setFlash(w, "web.flash.saved")
	http.Redirect(w, r, "/me/notifications", http.StatusSeeOther)
	return nil
}
