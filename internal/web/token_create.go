package web

import (
	"net/http"
	"strings"
)

// tokenCreate issues a token and shows its secret in this response only.
func (h *Handler) tokenCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	name, days := strings.TrimSpace(r.PostFormValue("name")), fe.int(r, "days")
	var secret string
	err := fe.err()
	if err == nil {
		secret, _, err = h.d.IAM.CreateToken(r.Context(), name, days)
	}
	ok, status, msg, fields := formError(err)
	if err != nil && !ok {
		return err
	}
	p, perr := h.tokensPage(r)
	if perr != nil {
		return perr
	}
	if ok {
		p.Name, p.Days = name, days
		p.fail(msg, fields)
		h.render(w, r, status, "profile/tokens", p)
		return nil
	}
	p.Secret = secret
	h.render(w, r, http.StatusOK, "profile/tokens", p)
	return nil
}
