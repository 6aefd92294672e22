package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"opsdesk/internal/errs"
	"opsdesk/internal/iam"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

func TestTicketViews(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st, s := store.IAM{DB: db}, store.Tickets{DB: db}
		root := &iam.OrgUnit{Name: "总部", Kind: iam.OrgHQ}
		if err := st.CreateOrgUnit(ctx, root); err != nil {
			t.Fatal(err)
		}
		user := func(name string) int64 {
			u := &iam.User{Username: name, Name: name, OrgUnitID: root.ID}
			if err := st.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			return u.ID
		}
		ann, bob, cat := user("ann"), user("bob"), user("cat")
		g := &iam.Group{Name: "网络组", Code: "net", Tier: 2, MemberIDs: []int64{ann, bob}}
		if err := st.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
		mine := &ticket.View{OwnerID: ann, Name: "我的 P1", CreatedAt: at, UpdatedAt: at,
			Filter: ticket.ViewFilter{Tab: "mine", Status: "all", Priority: 1, Type: ticket.Incident, GroupID: g.ID, CategoryID: 3,
				Query: "打印", Sort: ticket.ByNewest}}
		shared := &ticket.View{OwnerID: ann, ShareGroupID: g.ID, Name: "本组未分派", CreatedAt: at, UpdatedAt: at,
			Filter: ticket.ViewFilter{Tab: "unassigned"}}
		for _, v := range []*ticket.View{mine, shared} {
			if err := s.SaveView(ctx, v); err != nil || v.ID == 0 {
				t.Fatalf("save %q: id %d, %v", v.Name, v.ID, err)
			}
		}
		// A name is unique per owner, not across owners.
		if err := s.SaveView(ctx, &ticket.View{OwnerID: ann, Name: "我的 P1", Filter: ticket.ViewFilter{Tab: "mine"}, CreatedAt: at, UpdatedAt: at}); errs.KindOf(err) != errs.Conflict {
			t.Errorf("a second 我的 P1 of ann: %v, want a conflict", err)
		}
		if err := s.SaveView(ctx, &ticket.View{OwnerID: cat, Name: "我的 P1", Filter: ticket.ViewFilter{Tab: "mine"}, CreatedAt: at, UpdatedAt: at}); err != nil {
			t.Errorf("cat's own 我的 P1: %v", err)
		}
		names := func(user int64) []string {
			vs, err := s.Views(ctx, user)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, v := range vs {
				out = append(out, fmt.Sprintf("%s/%d", v.Name, v.OwnerID))
			}
			return out
		}
		// ann sees both of hers; bob the one shared with his group; cat only her own.
		for who, want := range map[int64][]string{
			ann: {fmt.Sprintf("我的 P1/%d", ann), fmt.Sprintf("本组未分派/%d", ann)},
			bob: {fmt.Sprintf("本组未分派/%d", ann)},
			cat: {fmt.Sprintf("我的 P1/%d", cat)},
		} {
			if diff := cmp.Diff(want, names(who)); diff != "" {
				t.Errorf("views of %d mismatch (-want +got):\n%s", who, diff)
			}
		}
		vs, _ := s.Views(ctx, ann)
		if diff := cmp.Diff(mine, vs[0]); diff != "" {
			t.Errorf("round trip mismatch (-want +got):\n%s", diff)
		}
		// Rename, then delete.
		mine.Name = "打印 P1"
		if err := s.SaveView(ctx, mine); err != nil {
			t.Fatal(err)
		}
		if got := names(ann); got[0] != fmt.Sprintf("打印 P1/%d", ann) {
			t.Errorf("after rename: %v", got)
		}
		if err := s.DeleteView(ctx, mine.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteView(ctx, mine.ID); errs.KindOf(err) != errs.NotFound {
			t.Errorf("delete twice: %v", err)
		}
		// Deleting the group takes the sharing away, not the view.
		if err := st.DeleteGroup(ctx, g.ID); err != nil {
			t.Fatal(err)
		}
		if got := names(bob); len(got) != 0 {
			t.Errorf("bob still sees %v after the group went", got)
		}
		if vs, _ := s.Views(ctx, ann); len(vs) != 1 || vs[0].ShareGroupID != 0 {
			t.Errorf("ann's shared view after the group went: %+v", vs)
		}
	})
}

// TestTicketCount checks that Count is the length of the full List for the workspace's queues,
// with the same scope and confidentiality conditions.
func TestTicketCount(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.Tickets{DB: db}
		base := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
		open := []ticket.Status{ticket.New, ticket.Assigned, ticket.InProgress, ticket.Pending}
		st := []ticket.Status{ticket.New, ticket.Assigned, ticket.InProgress, ticket.Pending, ticket.Resolved, ticket.Closed}
		for i := range 36 {
			tk := newTicket(db, fmt.Sprintf("工单 %d 打印", i), "", ticket.Priority(1+i%4), base.Add(time.Duration(i)*time.Minute))
			tk.Number = ticket.FormatNumber(tk.Type, 2026, int64(i+1))
			tk.Status = st[i%len(st)]
			tk.Confidential = i%5 == 0
			if i%7 == 0 {
				tk.OrgPath = "/2/"
			}
			if err := s.Create(ctx, tk); err != nil {
				t.Fatal(err)
			}
		}
		for name, f := range map[string]ticket.Filter{
			"all":            {},
			"open":           {Statuses: open},
			"unassigned":     {Statuses: open, Unassigned: true},
			"scope":          {Statuses: open, Scope: "/1/"},
			"confidential":   {Statuses: open, Scope: "/1/", ConfidentialFor: 42},
			"priority":       {Statuses: open, Priority: 2},
			"search":         {Query: "打印", Statuses: open},
			"search nothing": {Query: "网络"},
		} {
			list, err := s.List(ctx, ticket.Filter{Statuses: f.Statuses, Unassigned: f.Unassigned, Scope: f.Scope,
				ConfidentialFor: f.ConfidentialFor, Priority: f.Priority, Query: f.Query, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			n, err := s.Count(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(list) {
				t.Errorf("%s: count %d, list %d", name, n, len(list))
			}
			if name == "open" && n != 24 {
				t.Errorf("open: %d, want 24", n)
			}
		}
	})
}
