package web

import (
	"net/http"

	"opsdesk/internal/iam"
)

// policyUpdate replaces the security policy.
func (h *Handler) policyUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	fe := fieldErrors{}
	pol := iam.Policy{
		MinLength: fe.int(r, "min_length"), MinClasses: fe.int(r, "min_classes"),
		ExpiryDays: fe.int(r, "expiry_days"), HistoryCount: fe.int(r, "history_count"),
		LockoutThreshold: fe.int(r, "lockout_threshold"), LockoutMinutes: fe.int(r, "lockout_minutes"),
		SessionIdleMinutes: fe.int(r, "session_idle_minutes"), SessionMaxHours: fe.int(r, "session_max_hours"),
		TokenMaxDays:        fe.int(r, "token_max_days"),
		RequireMFAForAdmins: r.PostFormValue("require_mfa_for_admins") == "on",
	}
	err := fe.err()
	if err == nil {
		err = pol.Validate() // shows every out-of-range value at once, before the service call
	}
	if err == nil {
		err = h.d.IAM.SavePolicy(r.Context(), pol)
	}
	if ok, status, msg, fields := formError(err); ok {
		p := &policyPage{basePage: h.base(r, "web.policy.title"), Policy: pol}
		p.fail(msg, fields)
		h.render(w, r, status, "policy/edit", p)
		return nil
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "web.flash.policy_saved")
	http.Redirect(w, r, "/admin/policy", http.StatusSeeOther)
	return nil
}
