package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"opsdesk/internal/app/apptest"
	"opsdesk/internal/iam"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
)

// TestSLAPolicyActionsForm: the policy form offers the actions at warning and breach (notify on by
// default), refuses an engineer outside the chosen group and a reassignment together with a tier
// raise with the problem named at the field, and stores, lists and shows back the actions.
func TestSLAPolicyActionsForm(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine)
			g := &iam.Group{Name: "桌面支持组", Code: "desk", Tier: 1, MemberIDs: []int64{env.IDs[iam.RoleEngineer]}}
			if err := (store.IAM{DB: env.App.DB}).CreateGroup(context.Background(), g); err != nil {
				t.Fatal(err)
			}
			admin := login(t, env, "admin", apptest.Password)
			wantText(t, "new form", admin.get("/admin/sla/policies/new"), "预警与超时动作", `name="actions.warning.notify" checked`,
				`name="actions.breach.notify" checked`, "桌面支持组", `name="actions.breach.raise_tier"`, `name="actions.warning.report_up"`)

			pol := url.Values{"name": {"升级策略"}, "calendar": {"cn-workday"}, "targets.p1.resolution": {"4h"}, "active": {"on"},
				"actions.warning.notify": {"on"},
				"actions.warning.target": {fmt.Sprintf("%d:%d", g.ID, env.IDs[iam.RoleAgent])}}
			r := admin.post("/admin/sla/policies", pol)
			wantStatus(t, "not a member", r, http.StatusUnprocessableEntity)
			wantText(t, "not a member", r, "处理人不是该支持组成员")
			pol.Set("actions.warning.target", fmt.Sprintf("%d:%d", g.ID, env.IDs[iam.RoleEngineer]))
			pol.Set("actions.breach.target", fmt.Sprintf("%d:0", g.ID))
			pol.Set("actions.breach.raise_tier", "on")
			r = admin.post("/admin/sla/policies", pol)
			wantStatus(t, "reassign and raise", r, http.StatusUnprocessableEntity)
			wantText(t, "reassign and raise", r, "同一时点不能同时改派和升级到更高一线")
			pol.Set("actions.warning.target", "x:y")
			wantStatus(t, "bad target", admin.post("/admin/sla/policies", pol), http.StatusUnprocessableEntity)

			pol.Set("actions.warning.target", fmt.Sprintf("%d:%d", g.ID, env.IDs[iam.RoleEngineer]))
			pol.Del("actions.breach.target")
			pol.Set("actions.breach.report_up", "on")
			wantLocation(t, "save", admin.post("/admin/sla/policies", pol), "/admin/sla/policies")
			wantText(t, "list", admin.get("/admin/sla/policies"), "预警时", "通知", "改派至 桌面支持组 › ", "超时时", "升级到更高一线", "逐级上报")
			ps, err := env.App.SLA.Store.Policies(context.Background())
			if err != nil || len(ps) != 1 {
				t.Fatalf("policies %v %v", ps, err)
			}
			a := ps[0].Actions
			if !a.Warning.Notify || a.Warning.ReassignGroupID != g.ID || a.Warning.ReassignUserID != env.IDs[iam.RoleEngineer] ||
				a.Breach.Notify || !a.Breach.RaiseTier || !a.Breach.ReportUp {
				t.Fatalf("stored actions %+v", a)
			}
			wantText(t, "edit", admin.get(fmt.Sprintf("/admin/sla/policies/%d/edit", ps[0].ID)),
				fmt.Sprintf(`value="%d:%d" selected`, g.ID, env.IDs[iam.RoleEngineer]), `name="actions.breach.raise_tier" checked`)
		})
	}
}
