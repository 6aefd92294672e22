package web

import (
	"fmt"
	"net/http"

	"opsdesk/internal/sla"
)

// slaActionForm is one threshold's action in the policy form: the input names are
// "actions.<Key>.notify", "….target" ("group:user", "" for none), "….raise_tier", "….report_up".
type slaActionForm struct {
	Key       string // warning or breach
	Notify    bool
	Target    string
	RaiseTier bool
	ReportUp  bool
}

// Field is the name of one of the action's inputs; the domain's field errors use the same prefix.
func (a slaActionForm) Field(name string) string { return "actions." + a.Key + "." + name }

// Label is the i18n key of the threshold's name.
func (a slaActionForm) Label() string {
	if a.Key == "breach" {
		return "web.sla.action.breach"
	}
	return "web.sla.action.warning"
}

func slaActionFormOf(key string, a sla.Action) slaActionForm {
	f := slaActionForm{Key: key, Notify: a.Notify, RaiseTier: a.RaiseTier, ReportUp: a.ReportUp}
	if a.ReassignGroupID != 0 {
		f.Target = fmt.Sprintf("%d:%d", a.ReassignGroupID, a.ReassignUserID)
	}
	return f
}

// slaActionForms are the form rows of a policy's actions, warning first.
func slaActionForms(as sla.Actions) [2]slaActionForm {
	return [2]slaActionForm{slaActionFormOf("warning", as.Warning), slaActionFormOf("breach", as.Breach)}
}

// readSLAActions reads both thresholds' actions; an unreadable target is named before the service runs.
func readSLAActions(r *http.Request, fe fieldErrors) ([2]slaActionForm, sla.Actions) {
	var forms [2]slaActionForm
	var acts [2]sla.Action
	for i, key := range []string{"warning", "breach"} {
		f := slaActionForm{Key: key}
		f.Notify = r.PostFormValue(f.Field("notify")) == "on"
		f.RaiseTier = r.PostFormValue(f.Field("raise_tier")) == "on"
		f.ReportUp = r.PostFormValue(f.Field("report_up")) == "on"
		f.Target = r.PostFormValue(f.Field("target"))
		a := sla.Action{Notify: f.Notify, RaiseTier: f.RaiseTier, ReportUp: f.ReportUp}
		if f.Target != "" {
			g, u, ok := parseTarget(f.Target)
			if !ok {
				fe[f.Field("target")] = "err.invalid"
			}
			a.ReassignGroupID, a.ReassignUserID = g, u
		}
		forms[i], acts[i] = f, a
	}
	return forms, sla.Actions{Warning: acts[0], Breach: acts[1]}
}

// reassignTargets are the choices of the reassign selects: every group (its least-loaded member)
// and each member, plus the stored choices the editor cannot see among them (a group they may not
// read, a member who left), so that saving the form never drops an action unseen.
func (h *Handler) reassignTargets(r *http.Request, forms [2]slaActionForm) ([]targetGroup, error) {
	l, err := h.lookup(r.Context(), langOf(r))
	if err != nil {
		return nil, err
	}
	out := l.Targets()
	known := map[string]bool{}
	for _, g := range out {
		for _, o := range g.Options {
			known[o.Value] = true
		}
	}
	var other targetGroup
	for _, f := range forms {
		if f.Target == "" || known[f.Target] {
			continue
		}
		known[f.Target] = true
		g, u, _ := parseTarget(f.Target)
		label := l.GroupName(g)
		if u != 0 {
			label += " › " + l.Person(u)
		}
		other.Options = append(other.Options, targetOption{Value: f.Target, Label: label})
	}
	if len(other.Options) > 0 {
		other.Name = h.d.I18n.T(langOf(r), "web.sla.action.stored")
		out = append(out, other)
	}
	return out, nil
}

// slaActionSummary is one threshold's action in the policy list, in the page language.
type slaActionSummary struct {
	When string   // 预警 / 超时
	Does []string // e.g. 通知, 改派至 桌面支持组, 逐级上报
}

func slaActionSummaries(l *ticketLookup, as sla.Actions) []slaActionSummary {
	var out []slaActionSummary
	for _, x := range []struct {
		key string
		a   sla.Action
	}{{"warning", as.Warning}, {"breach", as.Breach}} {
		s := slaActionSummary{When: l.tr("web.sla.action." + x.key)}
		if x.a.Notify {
			s.Does = append(s.Does, l.tr("web.sla.action.notify"))
		}
		if x.a.ReassignGroupID != 0 {
			to := l.GroupName(x.a.ReassignGroupID)
			if x.a.ReassignUserID != 0 {
				to += " › " + l.Person(x.a.ReassignUserID)
			}
			s.Does = append(s.Does, l.tr("web.sla.action.reassign")+" "+to)
		}
		if x.a.RaiseTier {
			s.Does = append(s.Does, l.tr("web.sla.action.raise_tier"))
		}
		if x.a.ReportUp {
			s.Does = append(s.Does, l.tr("web.sla.action.report_up"))
		}
		out = append(out, s)
	}
	return out
}
