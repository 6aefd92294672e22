package web

import (
	"net/http"

	"opsdesk/internal/audit"
	"opsdesk/internal/errs"
)

// auditShowPage shows one audit entry with what it changed.
type auditShowPage struct {
	basePage
	Entry   *audit.Entry
	Changes []audit.Change
}

// auditShow renders one entry and the field-by-field difference of its before and after snapshots.
func (h *Handler) auditShow(w http.ResponseWriter, r *http.Request) error {
	seq, err := pathID(r, "seq")
	if err != nil {
		return err
	}
	// The log is searched by keyset: the one entry just below seq+1 is seq itself when it exists.
	found, err := h.d.Audit.Search(r.Context(), audit.Filter{BeforeSeq: seq + 1, Limit: 1})
	if err != nil {
		return err
	}
	if len(found) == 0 || found[0].Seq != seq {
		return errs.E(errs.NotFound, "err.not_found")
	}
	e := found[0]
	p := &auditShowPage{basePage: h.base(r, "web.audit.entry"), Entry: e, Changes: audit.Diff(e.Before, e.After)}
	h.render(w, r, http.StatusOK, "audit/show", p)
	return nil
}
