package web

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"opsdesk/internal/actor"
	"opsdesk/internal/errs"
	"opsdesk/internal/ticket"
)

// portalShowPage is one of the requester's tickets: its details, the public conversation (never
// internal notes) and what the requester may do next.
type portalShowPage struct {
	basePage
	Ticket     portalTicket
	Comments   []portalComment
	Rated      bool
	ReopenDays int
	CanReopen  bool
	Scores     []int
	// Failed names the action form whose input came back with problems; Values holds what was typed.
	Failed string
	Values url.Values

	// Attachments are the public files (never an internal note's); MaxAttachment bounds an upload.
	Attachments   []*ticket.Attachment
	MaxAttachment int64

	// Report is the state of the on-site service report (维修服务报告), when there were visits.
	Report *ticket.ReportState
}

// portalComment is one public reply, from the requester ("我") or from the service desk.
type portalComment struct {
	Mine bool
	Body string
	At   time.Time
}

// IsOpen reports whether work is still owed: reply, urge.
func (p *portalShowPage) IsOpen() bool { return p.Ticket.Ticket != nil && p.Ticket.Status.IsOpen() }

// CanReply: the conversation stays open until the ticket is closed.
func (p *portalShowPage) CanReply() bool {
	return p.Ticket.Ticket != nil && (p.Ticket.Status.IsOpen() || p.Ticket.Status == ticket.Resolved)
}

// CanConfirm: a resolution waits for the requester's yes or no.
func (p *portalShowPage) CanConfirm() bool {
	return p.Ticket.Ticket != nil && p.Ticket.Status == ticket.Resolved
}

// CanCancel: the requester withdraws a request while nobody works on it yet.
func (p *portalShowPage) CanCancel() bool {
	return p.Ticket.Ticket != nil && (p.Ticket.Status == ticket.New || p.Ticket.Status == ticket.Assigned)
}

// CanRate: once, after the ticket is resolved or closed.
func (p *portalShowPage) CanRate() bool {
	return p.Ticket.Ticket != nil && !p.Rated && (p.Ticket.Status == ticket.Resolved || p.Ticket.Status == ticket.Closed)
}

// Err is the message key of a field's problem when form is the one that failed.
func (p *portalShowPage) Err(form, field string) string {
	if p.Failed != form {
		return ""
	}
	return p.Errors[field]
}

// FormError is the form-level message when form is the one that failed.
func (p *portalShowPage) FormError(form string) string {
	if p.Failed != form {
		return ""
	}
	return p.Error
}

// Val is what was typed in a field of the failed form.
func (p *portalShowPage) Val(form, field string) string {
	if p.Failed != form {
		return ""
	}
	return p.Values.Get(field)
}

// portalShow renders one of the signed-in user's tickets.
func (h *Handler) portalShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := h.portalShowPage(r, id)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "portal/show", p)
	return nil
}

func (h *Handler) portalShowPage(r *http.Request, id int64) (*portalShowPage, error) {
	ctx := r.Context()
	d, err := h.d.Tickets.Detail(ctx, id, ticket.DetailOf{Attachments: true, Visits: true})
	if err != nil {
		return nil, err
	}
	if a := actor.FromContext(ctx); a == nil || d.Ticket.RequesterID != a.UserID { // as myTicket
		return nil, errs.E(errs.NotFound, "err.not_found")
	}
	t, comments, events := d.Ticket, d.Comments, d.Events
	cats, err := h.d.Tickets.Categories(ctx)
	if err != nil {
		return nil, err
	}
	set, err := h.d.Tickets.Settings(ctx)
	if err != nil {
		return nil, err
	}
	p := &portalShowPage{basePage: h.base(r, "web.portal.show_title"), ReopenDays: set.ReopenDays, Scores: []int{5, 4, 3, 2, 1}}
	p.Ticket = portalTicket{Ticket: t, CategoryName: categoryNames(cats, p.Lang)[t.CategoryID]}
	me := actor.FromContext(ctx).UserID
	for _, c := range comments {
		if !c.Internal { // Comments already leaves them out for requesters; staff submitting their own keep the portal public
			p.Comments = append(p.Comments, portalComment{Mine: c.AuthorID == me, Body: c.Body, At: c.CreatedAt})
		}
	}
	for _, e := range events {
		p.Rated = p.Rated || e.Kind == ticket.EvSurveyed
	}
	for _, f := range d.Attachments {
		if !f.Internal {
			p.Attachments = append(p.Attachments, f)
		}
	}
	p.MaxAttachment = h.d.Tickets.MaxAttachmentBytes()
	if vs := d.Visits; len(vs) > 0 {
		st := ticket.Report(vs)
		p.Report = &st
	}
	p.CanReopen = t.Status == ticket.Closed && h.d.Tickets.Now().Sub(t.ClosedAt) <= time.Duration(set.ReopenDays)*24*time.Hour
	return p, nil
}

// portalAct runs one action of the requester on their ticket: on a problem with the input the page
// comes back with the message beside the form that failed, otherwise the ticket page with a notice.
func (h *Handler) portalAct(w http.ResponseWriter, r *http.Request, form, flash string,
	do func(ctx context.Context, t *ticket.Ticket) error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	t, err := h.myTicket(r.Context(), id)
	if err != nil {
		return err
	}
	err = do(r.Context(), t)
	if ok, status, msg, fields := formError(err); ok {
		p, perr := h.portalShowPage(r, id)
		if perr != nil {
			return perr
		}
		p.Failed, p.Values = form, r.PostForm
		p.fail(msg, fields)
		h.render(w, r, status, "portal/show", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, flash)
	http.Redirect(w, r, portalURL(id), http.StatusSeeOther)
	return nil
}

// formVersion is the ticket version a form was rendered with; 0 (no check) never comes from a form.
func formVersion(r *http.Request) int {
	fe := fieldErrors{}
	if v := fe.int(r, "version"); v > 0 {
		return v
	}
	return -1
}
