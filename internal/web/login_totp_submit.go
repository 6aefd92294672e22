package web

import (
	"net/http"
	"strings"
	"sync"

	"opsdesk/internal/errs"
)

// maxMFAFailures is how many wrong codes one session may try before it ends and the password must
// be given again (which the lock-out policy counts).
const maxMFAFailures = 5

// mfaFailures counts wrong second-factor codes per pending session in this process.
type mfaFailures struct {
	mu sync.Mutex
	n  map[string]int // session id → wrong codes; guarded by mu
}

// add counts one failure for session id and reports whether the limit is reached.
func (m *mfaFailures) add(id string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.n == nil {
		m.n = map[string]int{}
	}
	m.n[id]++
	if m.n[id] >= maxMFAFailures {
		delete(m.n, id)
		return true
	}
	return false
}

func (m *mfaFailures) clear(id string) {
	m.mu.Lock()
	delete(m.n, id)
	m.mu.Unlock()
}

// loginTOTPSubmit checks the code from the authenticator app and completes the sign-in.
func (h *Handler) loginTOTPSubmit(w http.ResponseWriter, r *http.Request) error {
	si := sessionFrom(r.Context())
	if !si.sess.MFAPending {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	if err := parseForm(r); err != nil {
		return err
	}
	next := nextParam(r.PostFormValue("next"))
	err := h.d.IAM.VerifyMFA(r.Context(), si.sess.ID, strings.TrimSpace(r.PostFormValue("code")))
	msg, fields := errs.Info(err)
	if err != nil && fields["code"] == "" {
		return err // not a wrong code: the session ended meanwhile, or worse
	}
	if err != nil {
		if h.mfaFails.add(si.sess.ID) {
			if err := h.d.IAM.Logout(r.Context()); err != nil {
				return err
			}
			h.setSession(w, "")
			h.setFlash(w, "web.flash.mfa_too_many")
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return nil
		}
		p := &totpStepPage{basePage: h.base(r, "web.totp_step.title"), Next: next}
		p.fail(msg, fields)
		h.render(w, r, http.StatusUnauthorized, "auth/totp", p)
		return nil
	}
	h.mfaFails.clear(si.sess.ID)
	http.Redirect(w, r, h.afterLogin(r.Context(), si.user, next), http.StatusSeeOther)
	return nil
}
