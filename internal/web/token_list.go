package web

import (
	"net/http"
	"time"

	"opsdesk/internal/iam"
)

// tokensPage lists the user's personal API tokens and creates new ones. Secret is set only in the
// response that created a token: it is shown once and never stored.
type tokensPage struct {
	basePage
	Tokens  []*iam.Token
	Now     time.Time
	MaxDays int
	Name    string
	Days    int
	Secret  string
}

// tokenList renders the user's API tokens.
func (h *Handler) tokenList(w http.ResponseWriter, r *http.Request) error {
	p, err := h.tokensPage(r)
	if err != nil {
		return err
	}
	h.render(w, r, http.StatusOK, "profile/tokens", p)
	return nil
}

func (h *Handler) tokensPage(r *http.Request) (*tokensPage, error) {
	toks, err := h.d.IAM.MyTokens(r.Context())
	if err != nil {
		return nil, err
	}
	pol, err := h.d.IAM.Policy(r.Context())
	if err != nil {
		return nil, err
	}
	return &tokensPage{basePage: h.base(r, "web.tokens.title"), Tokens: toks, Now: time.Now(),
		MaxDays: pol.TokenMaxDays, Days: min(90, pol.TokenMaxDays)}, nil
}
