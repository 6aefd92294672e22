package web

import "net/http"

// portalServiceReport shows the requester the service report (维修服务报告) of their ticket, with the
// button that confirms it.
func (h *Handler) portalServiceReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := h.myTicket(r.Context(), id)
	if err != nil {
		return err
	}
	p, err := h.reportPage(r, t)
	if err != nil {
		return err
	}
	p.Portal, p.Back = true, portalURL(id)
	h.render(w, r, http.StatusOK, "ticket/service_report", p)
	return nil
}

// portalServiceReportConfirm records the requester's confirmation of the report, with an optional remark.
func (h *Handler) portalServiceReportConfirm(w http.ResponseWriter, r *http.Request) error {
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
	err = h.d.Tickets.ConfirmReport(r.Context(), id, r.PostFormValue("note"))
	if ok, status, msg, fields := formError(err); ok {
		p, perr := h.reportPage(r, t)
		if perr != nil {
			return perr
		}
		p.Portal, p.Back, p.Note = true, portalURL(id), r.PostFormValue("note")
		p.fail(msg, fields)
		h.render(w, r, status, "ticket/service_report", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.report_confirmed")
	http.Redirect(w, r, portalURL(id)+"/report", http.StatusSeeOther)
	return nil
}
