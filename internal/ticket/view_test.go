package ticket_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"opsdesk/internal/errs"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

func TestViewInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ok := ticket.ViewFilter{Tab: "group", Status: "all", Priority: 1, Type: ticket.Incident, Query: " 打印 ", Sort: ticket.ByNewest}
		for _, tc := range []struct {
			name   string
			view   ticket.View
			fields map[string]string
		}{
			{"empty name", ticket.View{Name: "  ", Filter: ok}, map[string]string{"name": "err.required"}},
			{"long name", ticket.View{Name: strings.Repeat("视", 41), Filter: ok}, map[string]string{"name": "err.too_long"}},
			{"unknown values", ticket.View{Name: "x", Filter: ticket.ViewFilter{Tab: "all", Status: "open", Priority: 5,
				Type: "bug", Sort: "oldest", Query: strings.Repeat("q", 101)}},
				map[string]string{"tab": "err.ticket.view_tab", "status": "err.ticket.view_status", "priority": "err.ticket.view_priority",
					"type": "err.ticket.type", "sort": "err.ticket.view_sort", "q": "err.too_long"}},
			{"not my group", ticket.View{Name: "x", Filter: ok, ShareGroupID: d.group}, map[string]string{"share_group_id": "err.ticket.view_share"}},
			{"no such group", ticket.View{Name: "x", Filter: ticket.ViewFilter{Tab: "mine", GroupID: 999999}}, map[string]string{"group_id": "err.group.unknown"}},
			{"no such category", ticket.View{Name: "x", Filter: ticket.ViewFilter{Tab: "mine", CategoryID: 999999}}, map[string]string{"category_id": "err.ticket.category"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				v := tc.view
				err := d.s.CreateView(d.as("agent"), &v)
				if errs.KindOf(err) != errs.Invalid {
					t.Fatalf("kind %v (%v), want invalid", errs.KindOf(err), err)
				}
				_, fields := errs.Info(err)
				if diff := cmp.Diff(tc.fields, fields); diff != "" {
					t.Errorf("fields mismatch (-want +got):\n%s", diff)
				}
			})
		}
		v := ticket.View{Name: " 打印 ", Filter: ok}
		if err := d.s.CreateView(d.as("agent"), &v); err != nil {
			t.Fatal(err)
		}
		if v.Name != "打印" || v.Filter.Query != "打印" || v.OwnerID != d.actors["agent"].UserID {
			t.Errorf("saved %+v", v)
		}
		if err := d.s.CreateView(d.as("requester"), &ticket.View{Name: "x", Filter: ok}); errs.KindOf(err) != errs.Forbidden {
			t.Errorf("a requester saved a view: %v", err)
		}
		dup := ticket.View{Name: "打印", Filter: ok}
		err := d.s.CreateView(d.as("agent"), &dup)
		if _, fields := errs.Info(err); errs.KindOf(err) != errs.Conflict || fields["name"] != "err.ticket.view_exists" {
			t.Errorf("a second 打印: %v %v", err, fields)
		}
		for i := 1; i < ticket.MaxViews; i++ {
			if err := d.s.CreateView(d.as("agent"), &ticket.View{Name: "v" + strings.Repeat("x", i), Filter: ok}); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.s.CreateView(d.as("agent"), &ticket.View{Name: "one too many", Filter: ok}); errs.KindOf(err) != errs.Invalid {
			t.Errorf("view %d: %v", ticket.MaxViews+1, err)
		}
	})
}

func TestViewSharingAndOwnership(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		mate := d.person(t, "mate", ticket.PermWork)
		mates := d.groupOf(t, "协作组", 2, 0, d.actors["engineer"].UserID, mate)
		shared := ticket.View{Name: "本组", ShareGroupID: mates, Filter: ticket.ViewFilter{Tab: "group"}}
		private := ticket.View{Name: "我的", Filter: ticket.ViewFilter{Tab: "mine"}}
		for _, v := range []*ticket.View{&shared, &private} {
			if err := d.s.CreateView(d.as("engineer"), v); err != nil {
				t.Fatal(err)
			}
		}
		names := func(who string) []string {
			vs, err := d.s.Views(d.as(who))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, v := range vs {
				out = append(out, v.Name)
			}
			return out
		}
		if diff := cmp.Diff([]string{"本组", "我的"}, names("engineer")); diff != "" {
			t.Errorf("engineer's views (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"本组"}, names("mate")); diff != "" {
			t.Errorf("group mate's views (-want +got):\n%s", diff)
		}
		if got := names("agent"); len(got) != 0 {
			t.Errorf("the agent, in no group, sees %v", got)
		}
		// Nobody but the owner renames or deletes: a group mate is refused, anyone else finds nothing.
		for _, tc := range []struct {
			who  string
			id   int64
			want errs.Kind
		}{
			{"mate", shared.ID, errs.Forbidden},
			{"mate", private.ID, errs.NotFound},
			{"agent", shared.ID, errs.NotFound},
			{"agent", private.ID, errs.NotFound},
		} {
			if err := d.s.DeleteView(d.as(tc.who), tc.id); errs.KindOf(err) != tc.want {
				t.Errorf("%s deletes %d: %v, want %v", tc.who, tc.id, err, tc.want)
			}
			if _, err := d.s.RenameView(d.as(tc.who), tc.id, "改"); errs.KindOf(err) != tc.want {
				t.Errorf("%s renames %d: %v, want %v", tc.who, tc.id, err, tc.want)
			}
		}
		if _, err := d.s.RenameView(d.as("engineer"), private.ID, "本组"); errs.KindOf(err) != errs.Conflict {
			t.Errorf("rename onto a taken name: %v", err)
		}
		if _, err := d.s.RenameView(d.as("engineer"), private.ID, ""); errs.KindOf(err) != errs.Invalid {
			t.Errorf("rename to nothing: %v", err)
		}
		if v, err := d.s.RenameView(d.as("engineer"), private.ID, "我的 P1"); err != nil || v.Name != "我的 P1" {
			t.Errorf("rename: %+v %v", v, err)
		}
		if err := d.s.DeleteView(d.as("engineer"), shared.ID); err != nil {
			t.Fatal(err)
		}
		if got := names("mate"); len(got) != 0 {
			t.Errorf("mate still sees %v", got)
		}
	})
}

// TestCountIsListLength: the workspace's tab counts use the visibility of List, for every kind of
// actor, confidential tickets included.
func TestCountIsListLength(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		d.person(t, "boss", ticket.PermWork, ticket.PermManage)
		for i := range 9 {
			tk, err := d.s.Create(d.as("agent"), ticket.NewTicket{Type: ticket.Incident, Channel: ticket.Phone, Subject: "电脑蓝屏",
				Urgency: ticket.Medium, Impact: ticket.Medium, RequesterID: d.actors["requester"].UserID, Confidential: i%3 == 0})
			if err != nil {
				t.Fatal(err)
			}
			if i%2 == 0 {
				if _, err := d.s.Assign(d.as("agent"), tk.ID, tk.Version, d.group, 0, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := d.s.Create(d.as("other"), ticket.NewTicket{Type: ticket.Request, Channel: ticket.Portal, Subject: "申请账号",
			Urgency: ticket.Low, Impact: ticket.Low, Confidential: true}); err != nil {
			t.Fatal(err)
		}
		open := []ticket.Status{ticket.New, ticket.Assigned, ticket.InProgress, ticket.Pending}
		for _, who := range []string{"agent", "engineer", "boss", "requester", "other"} {
			me := d.actors[who].UserID
			for name, f := range map[string]ticket.Filter{
				"mine":       {Statuses: open, AssigneeID: me},
				"group":      {Statuses: open, GroupIDs: []int64{d.group}},
				"unassigned": {Statuses: open, Unassigned: true},
				"everything": {},
			} {
				f.Limit = 500
				list, err := d.s.List(d.as(who), f)
				if err != nil {
					t.Fatal(err)
				}
				n, err := d.s.Count(d.as(who), f)
				if err != nil {
					t.Fatal(err)
				}
				if n != len(list) {
					t.Errorf("%s %s: count %d, list %d", who, name, n, len(list))
				}
			}
		}
		// The confidential tickets are the difference between the agent who logged them (their owner)
		// and the engineer who holds only some of them.
		all, _ := d.s.Count(d.as("boss"), ticket.Filter{})
		eng, _ := d.s.Count(d.as("engineer"), ticket.Filter{})
		if all != 10 || eng >= all {
			t.Errorf("supervisor counts %d, engineer %d; want 10 and fewer", all, eng)
		}
	})
}
