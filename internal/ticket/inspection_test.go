package ticket_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"opsdesk/internal/errs"
	"opsdesk/internal/store"
	"opsdesk/internal/store/storetest"
	"opsdesk/internal/ticket"
)

func TestPick(t *testing.T) {
	ids := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	cases := []struct {
		name    string
		ids     []int64
		percent int
		want    int
	}{
		{"none to pick from", nil, 50, 0},
		{"ten percent of eleven rounds up", ids, 10, 2},
		{"one percent still picks one", ids, 1, 1},
		{"half", ids, 50, 6},
		{"all", ids, 100, 11},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ticket.Pick(tc.ids, tc.percent, rand.New(rand.NewPCG(1, 2)))
			if len(got) != tc.want {
				t.Fatalf("picked %d, want %d", len(got), tc.want)
			}
			seen := map[int64]bool{}
			for _, id := range got {
				if seen[id] || !slices.Contains(tc.ids, id) {
					t.Fatalf("picked %d twice or from nowhere: %v", id, got)
				}
				seen[id] = true
			}
		})
	}
}

func TestWeigh(t *testing.T) {
	list := []*ticket.ChecklistItem{
		{ID: 1, Name: "响应及时", Weight: 20, Active: true},
		{ID: 2, Name: "记录完整", Weight: 30, Active: true},
		{ID: 3, Name: "解决方案准确", Weight: 50, Active: true},
		{ID: 4, Name: "已停用", Weight: 50, Active: false},
	}
	cases := []struct {
		name  string
		marks map[int64]int
		want  float64
		kind  errs.Kind
	}{
		{"all best", map[int64]int{1: 5, 2: 5, 3: 5}, 100, 0},
		{"all zero", map[int64]int{1: 0, 2: 0, 3: 0}, 0, 0},
		{"weighted", map[int64]int{1: 5, 2: 0, 3: 5}, 70, 0},
		{"partial marks", map[int64]int{1: 4, 2: 3, 3: 2}, 16 + 18 + 20, 0},
		{"item missing", map[int64]int{1: 5, 2: 5}, 0, errs.Invalid},
		{"above the best mark", map[int64]int{1: 6, 2: 5, 3: 5}, 0, errs.Invalid},
		{"negative", map[int64]int{1: -1, 2: 5, 3: 5}, 0, errs.Invalid},
		{"inactive item marked", map[int64]int{1: 5, 2: 5, 3: 5, 4: 5}, 0, errs.Invalid},
		{"unknown item", map[int64]int{1: 5, 2: 5, 3: 5, 9: 5}, 0, errs.Invalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items, got, err := ticket.Weigh(list, tc.marks)
			if tc.kind != 0 {
				if errs.KindOf(err) != tc.kind {
					t.Fatalf("err %v, want kind %v", err, tc.kind)
				}
				return
			}
			if err != nil || got != tc.want || len(items) != 3 {
				t.Fatalf("score %v items %d err %v, want %v", got, len(items), err, tc.want)
			}
		})
	}
	if _, _, err := ticket.Weigh(nil, nil); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("empty checklist: %v", err)
	}
}

func TestCheckChecklist(t *testing.T) {
	ok := func() []*ticket.ChecklistItem {
		return []*ticket.ChecklistItem{{Name: "响应及时", Weight: 50, Active: true}, {Name: "记录完整", Weight: 50, Active: true}}
	}
	cases := []struct {
		name  string
		tweak func([]*ticket.ChecklistItem) []*ticket.ChecklistItem
		bad   bool
	}{
		{"fine", func(l []*ticket.ChecklistItem) []*ticket.ChecklistItem { return l }, false},
		{"zero weight", func(l []*ticket.ChecklistItem) []*ticket.ChecklistItem { l[0].Weight = 0; return l }, true},
		{"weight above 100", func(l []*ticket.ChecklistItem) []*ticket.ChecklistItem { l[0].Weight = 101; return l }, true},
		{"no name", func(l []*ticket.ChecklistItem) []*ticket.ChecklistItem { l[0].Name = " "; return l }, true},
		{"duplicate", func(l []*ticket.ChecklistItem) []*ticket.ChecklistItem { l[1].Name = l[0].Name; return l }, true},
		{"nothing active", func(l []*ticket.ChecklistItem) []*ticket.ChecklistItem {
			l[0].Active, l[1].Active = false, false
			return l
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := ticket.CheckChecklist(tc.tweak(ok())); (err != nil) != tc.bad {
				t.Fatalf("err %v, want bad=%v", err, tc.bad)
			}
		})
	}
}

// closed opens a ticket for the requester, has worker resolve it and the requester confirm it at
// d.now, after tweak (a survey, a reopen) ran on the resolved ticket.
func (d *desk) closed(t *testing.T, subject, worker string, tweak func(tk *ticket.Ticket) *ticket.Ticket) *ticket.Ticket {
	t.Helper()
	tk := d.open(t, "requester", subject)
	tk, err := d.s.Assign(d.as("agent"), tk.ID, tk.Version, 0, d.actors[worker].UserID, "")
	if err != nil {
		t.Fatal(err)
	}
	if tk, err = d.s.Resolve(d.as(worker), tk.ID, tk.Version, ticket.Resolution{Solution: "已处理"}); err != nil {
		t.Fatal(err)
	}
	if tweak != nil {
		tk = tweak(tk)
		if tk, err = d.s.Get(d.as("requester"), tk.ID); err != nil { // the tweak moved the version on
			t.Fatal(err)
		}
	}
	if tk, err = d.s.Confirm(d.as("requester"), tk.ID, tk.Version); err != nil {
		t.Fatal(err)
	}
	return tk
}

func TestQualityInspection(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		d.person(t, "supervisor", ticket.PermManage, ticket.PermWork)
		d.person(t, "admin", ticket.PermConfigure)
		before := d.closed(t, "上月的工单", "engineer", nil)
		d.now = d.now.Add(2 * time.Hour)
		from := d.now.Add(-time.Hour)
		low := d.closed(t, "差评工单", "engineer", func(tk *ticket.Ticket) *ticket.Ticket {
			if err := d.s.Rate(d.as("requester"), tk.ID, 2, "太慢"); err != nil {
				t.Fatal(err)
			}
			return tk
		})
		d.closed(t, "好评工单", "engineer", func(tk *ticket.Ticket) *ticket.Ticket {
			if err := d.s.Rate(d.as("requester"), tk.ID, 5, ""); err != nil {
				t.Fatal(err)
			}
			return tk
		})
		reopened := d.closed(t, "重开工单", "engineer", func(tk *ticket.Ticket) *ticket.Ticket {
			tk, err := d.s.Confirm(d.as("requester"), tk.ID, tk.Version)
			if err == nil {
				tk, err = d.s.Reopen(d.as("requester"), tk.ID, tk.Version, "又坏了")
			}
			if err == nil {
				tk, err = d.s.Resolve(d.as("engineer"), tk.ID, tk.Version, ticket.Resolution{Solution: "更换硬盘"})
			}
			if err != nil {
				t.Fatal(err)
			}
			return tk
		})
		skipped := d.closed(t, "越级工单", "engineer", func(tk *ticket.Ticket) *ticket.Ticket {
			tk.SkipFlag = true // as an emergency escalation would have left it
			if err := (store.Tickets{DB: db}).Update(context.Background(), tk); err != nil {
				t.Fatal(err)
			}
			return tk
		})
		own := d.closed(t, "主管自己处理的工单", "supervisor", nil)
		open := d.open(t, "requester", "还没关闭")
		d.now = d.now.Add(time.Hour)
		period := ticket.SampleSpec{From: from, To: d.now}
		pick := func(rule ticket.SampleRule, percent int) []int64 {
			t.Helper()
			p := period
			p.Rule, p.Percent = rule, percent
			ins, err := d.s.Sample(d.as("supervisor"), p)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, in := range ins {
				ids = append(ids, in.TicketID)
			}
			slices.Sort(ids)
			return ids
		}

		for _, who := range []string{"engineer", "agent", "requester", "admin"} {
			if _, err := d.s.Sample(d.as(who), ticket.SampleSpec{From: from, To: d.now, Rule: ticket.SampleRandom, Percent: 10}); errs.KindOf(err) != errs.Forbidden {
				t.Fatalf("%s drew a sample: %v", who, err)
			}
		}
		for name, p := range map[string]ticket.SampleSpec{
			"period backwards": {From: d.now, To: from, Rule: ticket.SampleReopened},
			"no percent":       {From: from, To: d.now, Rule: ticket.SampleRandom},
			"unknown rule":     {From: from, To: d.now, Rule: "all"},
		} {
			if _, err := d.s.Sample(d.as("supervisor"), p); errs.KindOf(err) != errs.Invalid {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if got := pick(ticket.SampleLowRating, 0); !slices.Equal(got, []int64{low.ID}) {
			t.Fatalf("low satisfaction picked %v, want %d", got, low.ID)
		}
		if got := pick(ticket.SampleReopened, 0); !slices.Equal(got, []int64{reopened.ID}) {
			t.Fatalf("reopened picked %v, want %d", got, reopened.ID)
		}
		if got := pick(ticket.SampleSkipped, 0); !slices.Equal(got, []int64{skipped.ID}) {
			t.Fatalf("skipped picked %v, want %d", got, skipped.ID)
		}
		// Random: 50 % of the two left (the good one and the supervisor's own), then the rest, then nothing.
		first := pick(ticket.SampleRandom, 50)
		rest := pick(ticket.SampleRandom, 100)
		if len(first) != 1 || len(rest) != 1 || first[0] == rest[0] {
			t.Fatalf("random picks %v then %v", first, rest)
		}
		if again := pick(ticket.SampleRandom, 100); len(again) != 0 {
			t.Fatalf("a ticket was drawn twice: %v", again)
		}
		all, avg, err := d.s.Inspections(d.as("supervisor"), ticket.InspectionFilter{})
		if err != nil || len(all) != 5 || len(avg) != 0 {
			t.Fatalf("inspections %d, averages %v, %v", len(all), avg, err)
		}
		for _, in := range all {
			if in.TicketID == before.ID || in.TicketID == open.ID {
				t.Fatalf("sampled a ticket outside the period or not closed: %d", in.TicketID)
			}
		}
		if _, _, err := d.s.Inspections(d.as("engineer"), ticket.InspectionFilter{}); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("an engineer listed inspections: %v", err)
		}

		list, err := d.s.Checklist(d.as("supervisor"))
		if err != nil || len(list) != 5 || list[0].Name != "响应及时" {
			t.Fatalf("seeded checklist %v %v", list, err)
		}
		best := map[int64]int{}
		for _, c := range list {
			best[c.ID] = ticket.MaxPoints
		}
		var mine, lowIn *ticket.Inspection
		for _, in := range all {
			switch in.TicketID {
			case own.ID:
				mine = in
			case low.ID:
				lowIn = in
			}
		}
		if mine == nil || lowIn == nil || lowIn.EngineerID != d.actors["engineer"].UserID || lowIn.Number != low.Number {
			t.Fatalf("inspections %+v %+v", mine, lowIn)
		}
		if _, err := d.s.Score(d.as("supervisor"), mine.ID, mine.Version, best, ""); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("the supervisor scored their own ticket: %v", err)
		}
		if _, err := d.s.Score(d.as("engineer"), lowIn.ID, lowIn.Version, best, ""); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("an engineer scored: %v", err)
		}
		if _, err := d.s.Score(d.as("supervisor"), lowIn.ID, lowIn.Version, map[int64]int{list[0].ID: 5}, ""); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("scored with items missing: %v", err)
		}
		marks := map[int64]int{}
		for i, c := range list {
			marks[c.ID] = []int{5, 4, 0, 5, 5}[i]
		}
		in, err := d.s.Score(d.as("supervisor"), lowIn.ID, lowIn.Version, marks, "解决方案未说明原因")
		if err != nil {
			t.Fatal(err)
		}
		// 20 + 20×4/5 + 0 + 20 + 15 = 71
		if in.Score != 71 || len(in.Items) != 5 || in.InspectorID != d.actors["supervisor"].UserID {
			t.Fatalf("scored %+v", in)
		}
		if _, err := d.s.Score(d.as("supervisor"), lowIn.ID, lowIn.Version, best, ""); errs.KindOf(err) != errs.Conflict {
			t.Fatalf("stale score: %v", err)
		}
		for _, x := range all {
			if x.TicketID == reopened.ID {
				if _, err := d.s.Score(d.as("supervisor"), x.ID, x.Version, best, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
		_, avg, err = d.s.Inspections(d.as("supervisor"), ticket.InspectionFilter{})
		want := []ticket.EngineerScore{{EngineerID: d.actors["engineer"].UserID, Count: 2, Average: 85.5}}
		if diff := cmp.Diff(want, avg); err != nil || diff != "" {
			t.Fatalf("averages mismatch (-want +got):\n%s %v", diff, err)
		}

		// The checklist: administrators edit it; scored inspections keep their items as they were.
		edit := append(list[:4:4], &ticket.ChecklistItem{Name: "按规定回访", NameEN: "Follow-up", Weight: 15, Active: true})
		if _, err := d.s.SaveChecklist(d.as("supervisor"), edit); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("a supervisor edited the checklist: %v", err)
		}
		if _, err := d.s.SaveChecklist(d.as("admin"), []*ticket.ChecklistItem{{Name: "x", Weight: 0, Active: true}}); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("weight 0 saved: %v", err)
		}
		saved, err := d.s.SaveChecklist(d.as("admin"), edit)
		if err != nil || len(saved) != 5 || saved[4].Name != "按规定回访" || saved[0].ID != list[0].ID {
			t.Fatalf("saved checklist %v %v", saved, err)
		}
		again, err := d.s.Inspection(d.as("supervisor"), lowIn.ID)
		if err != nil || again.Items[4].Name != list[4].Name || again.Score != 71 {
			t.Fatalf("the scored inspection changed with the checklist: %+v %v", again, err)
		}
	})
}
