package web

import (
	"net/http"
	"net/url"
	"slices"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// ticketPage is one ticket: its header, the conversation, the history and the action forms the
// actor may use. Form and V bring back the form that failed, with what was typed.
type ticketPage struct {
	basePage
	*ticketLookup
	T           *ticket.Ticket
	Comments    []*ticket.Comment
	Events      []*ticket.Event
	CanWork     bool
	CanAssign   bool
	CanUrge     bool
	CanInternal bool
	Watching    bool
	Open        bool
	Editable    bool
	Form        string // the action form that came back with problems
	V           url.Values
	Levels      []ticket.Level
	Pendings    []ticket.PendingReason
	ticketCare  // watchers, reopen, survey link (ticket_care.go)

	// Attachments are the files the actor may see; MaxAttachment bounds an upload in bytes.
	Attachments   []*ticket.Attachment
	MaxAttachment int64

	Visits []*ticket.Visit // on-site visits (现场服务), see ticket_visit.go

	// Clocks are the SLA clocks (首次响应, 下次响应, 解决) for staff who see internal details.
	Clocks []clockCell
}

// Val is what was typed into a field of the form that failed.
func (p *ticketPage) Val(name string) string { return p.V.Get(name) }

// Failed reports whether the named action form came back with problems.
func (p *ticketPage) Failed(form string) bool { return p.Form == form }

// ticketShow renders a ticket.
func (h *Handler) ticketShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return h.renderTicket(w, r, id, http.StatusOK, "", nil)
}

// renderTicket renders a ticket page; with a form name it shows that form's error state from err,
// and each function in with completes the page (the survey link shown once).
func (h *Handler) renderTicket(w http.ResponseWriter, r *http.Request, id int64, status int, form string, fail error, with ...func(*ticketPage)) error {
	ctx := r.Context()
	d, err := h.d.Tickets.Detail(ctx, id, ticket.DetailOf{Attachments: true, Visits: true})
	if err != nil {
		return err
	}
	t, comments, events, files := d.Ticket, d.Comments, d.Events, d.Attachments
	l, err := h.lookup(ctx, langOf(r))
	if err != nil {
		return err
	}
	a := actor.FromContext(ctx)
	p := &ticketPage{basePage: h.base(r, "web.ticket.title"), ticketLookup: l, T: t, Comments: comments, Events: events,
		CanWork: ticket.CanWork(a, t), CanAssign: a.Can(ticket.PermAssign) || a.Can(ticket.PermManage),
		CanUrge:     a.UserID == t.RequesterID || a.UserID == t.OwnerID || a.Can(ticket.PermManage),
		CanInternal: d.Internal, Watching: slices.Contains(t.Watchers, a.UserID), Open: t.Status.IsOpen(),
		Editable: t.Status.IsOpen() || t.Status == ticket.Resolved, V: url.Values{},
		Levels: []ticket.Level{ticket.High, ticket.Medium, ticket.Low}, Pendings: []ticket.PendingReason{ticket.WaitRequester, ticket.WaitVendor, ticket.WaitChange}}
	p.Attachments, p.MaxAttachment = files, h.d.Tickets.MaxAttachmentBytes()
	slices.Reverse(p.Events) // newest first
	p.Visits = d.Visits
	if h.d.Clocks != nil && d.Internal {
		v, err := h.d.Clocks.View(ctx, t)
		if err != nil {
			return err
		}
		p.Clocks = clockCells(v, h.d.Tickets.Now())
	}
	if p.ticketCare, err = h.care(r, t); err != nil {
		return err
	}
	for _, f := range with {
		f(p)
	}
	if fail != nil {
		p.Form, p.V = form, r.PostForm
		msg, fields := errs.Info(fail)
		if errs.KindOf(fail) == errs.Conflict {
			msg = "web.ticket.stale"
		}
		p.fail(msg, fields)
	}
	h.render(w, r, status, "ticket/show", p)
	return nil
}

// ticketAction adapts an action form: it reads the version, calls do, and on success goes back to
// the ticket with a notice; a validation error or a stale version renders the page again with the
// form's problems (422 or 409), anything else goes to the error page.
func (h *Handler) ticketAction(form string, do func(r *http.Request, id int64, version int) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := parseForm(r); err != nil {
			return err
		}
		fe := fieldErrors{}
		version := fe.int(r, "version")
		if err := fe.err(); err != nil {
			return h.renderTicket(w, r, id, http.StatusUnprocessableEntity, form, err)
		}
		if err := do(r, id, version); err != nil {
			if ok, status, _, _ := formError(err); ok {
				return h.renderTicket(w, r, id, status, form, err)
			}
			return err
		}
		h.setFlash(w, "web.flash.ticket."+form)
		h.redirect(w, r, ticketURL(id, ""))
		return nil
	}
}

// formField is one control of an action form, with what was typed and its error when that form failed.
type formField struct {
	Page     *ticketPage
	Lang     string
	Form     string
	Name     string
	Label    string // message key
	Value    string
	Error    string // translated
	Required bool
}

func (p *ticketPage) field(form, name, label, current string, required bool) formField {
	f := formField{Page: p, Lang: p.Lang, Form: form, Name: name, Label: label, Value: current, Required: required}
	if p.Form == form {
		f.Value = p.V.Get(name)
		if k := p.Errors[name]; k != "" && p.tr != nil {
			f.Error = p.tr(k)
		}
	}
	return f
}

// TargetField is the assign target select of form.
func (p *ticketPage) TargetField(form, name string) formField {
	return p.field(form, name, "web.ticket.assign_to", "", true)
}

// ReasonField is the reason input of form; required is any truthy value (a reassignment needs one).
func (p *ticketPage) ReasonField(form, name string, required any) formField {
	req := false
	switch v := required.(type) {
	case bool:
		req = v
	case int64:
		req = v != 0
	}
	return p.field(form, name, "web.ticket.reason", "", req)
}

// TextField is a free-text area of form.
func (p *ticketPage) TextField(form, name, label string, required bool) formField {
	return p.field(form, name, label, "", required)
}

// EditField is a field of the edit form, showing the ticket's current value until the form fails.
func (p *ticketPage) EditField(name, label, current string, required bool) formField {
	return p.field("edit", name, label, current, required)
}
