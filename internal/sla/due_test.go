package sla

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func sh(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDueOnCNWorkday(t *testing.T) {
	c := CNWorkday()
	cases := []struct {
		name  string
		start string
		d     time.Duration
		want  string
	}{
		{"within the morning", "2026-11-23 09:30", 2 * time.Hour, "2026-11-23 11:30"},
		{"over lunch", "2026-11-23 11:00", 2 * time.Hour, "2026-11-23 14:00"},
		{"exactly to the end of the day", "2026-11-23 09:00", 8 * time.Hour, "2026-11-23 18:00"},
		{"into the next day", "2026-11-23 17:00", 2 * time.Hour, "2026-11-24 10:00"},
		{"start at lunch", "2026-11-23 12:30", 30 * time.Minute, "2026-11-23 13:30"},
		{"start before opening", "2026-11-23 07:00", time.Hour, "2026-11-23 10:00"},
		{"start after closing", "2026-11-23 20:00", time.Hour, "2026-11-24 10:00"},
		{"Friday evening to Monday", "2026-11-27 17:30", time.Hour, "2026-11-30 09:30"},
		{"start on Saturday", "2026-11-28 10:00", time.Hour, "2026-11-30 10:00"},
		{"National Day week skipped", "2026-09-30 17:00", 2 * time.Hour, "2026-10-08 10:00"},
		{"make-up Saturday 2026-10-10 works", "2026-10-09 17:00", 2 * time.Hour, "2026-10-10 10:00"},
		{"make-up Sunday 2026-01-04 works", "2026-01-01 10:00", time.Hour, "2026-01-04 10:00"},
		{"make-up Sunday 2026-09-20 works", "2026-09-19 10:00", 30 * time.Minute, "2026-09-20 09:30"},
		{"Spring Festival: 9 days off, Saturday 2-14 works", "2026-02-13 17:00", 2 * time.Hour, "2026-02-14 10:00"},
		{"Spring Festival: from the make-up Saturday over the holiday", "2026-02-14 17:00", 2 * time.Hour, "2026-02-24 10:00"},
		{"over the year end into the New Year holiday", "2025-12-31 17:00", 2 * time.Hour, "2026-01-04 10:00"},
		{"a working week", "2026-11-23 09:00", 40 * time.Hour, "2026-11-27 18:00"},
		{"zero duration", "2026-11-28 10:00", 0, "2026-11-28 10:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := c.Due(sh(tc.start), tc.d)
			if want := sh(tc.want); !got.Equal(want) {
				t.Fatalf("Due(%s, %v) = %s, want %s", tc.start, tc.d, got.In(Shanghai).Format("2006-01-02 15:04 Mon"), tc.want)
			}
		})
	}
}

func TestElapsedWithPauses(t *testing.T) {
	c := CNWorkday()
	cases := []struct {
		name     string
		from, to string
		pauses   [][2]string
		want     time.Duration
	}{
		{"same morning", "2026-11-23 09:00", "2026-11-23 11:00", nil, 2 * time.Hour},
		{"over lunch", "2026-11-23 11:00", "2026-11-23 14:00", nil, 2 * time.Hour},
		{"over a weekend", "2026-11-27 17:00", "2026-11-30 10:00", nil, 2 * time.Hour},
		{"over National Day", "2026-09-30 17:00", "2026-10-08 10:00", nil, 2 * time.Hour},
		{"reversed gives zero", "2026-11-23 11:00", "2026-11-23 09:00", nil, 0},
		{"a paused hour", "2026-11-23 09:00", "2026-11-23 14:00", [][2]string{{"2026-11-23 10:00", "2026-11-23 11:00"}}, 3 * time.Hour},
		{"overlapping pauses count once", "2026-11-23 09:00", "2026-11-23 18:00",
			[][2]string{{"2026-11-23 10:00", "2026-11-23 11:00"}, {"2026-11-23 10:30", "2026-11-23 11:30"}}, 8*time.Hour - 90*time.Minute},
		{"pause over a holiday costs nothing extra", "2026-09-30 09:00", "2026-10-08 18:00",
			[][2]string{{"2026-09-30 17:00", "2026-10-08 10:00"}}, 16*time.Hour - 2*time.Hour},
		{"open pause runs to now", "2026-11-23 09:00", "2026-11-23 12:00", [][2]string{{"2026-11-23 11:00", ""}}, 2 * time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ps []Span
			for _, p := range tc.pauses {
				sp := Span{Start: sh(p[0])}
				if p[1] != "" {
					sp.End = sh(p[1])
				}
				ps = append(ps, sp)
			}
			if got := c.ElapsedWithPauses(sh(tc.from), sh(tc.to), ps); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDaylightSavingZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	c := &Calendar{Name: "7x24-berlin", Location: berlin, AlwaysOpen: true}
	// 2026-03-29 02:00 CET jumps to 03:00 CEST: 24 business hours from Saturday noon end on Sunday 13:00.
	start := time.Date(2026, 3, 28, 12, 0, 0, 0, berlin)
	if got, want := c.Due(start, 24*time.Hour), time.Date(2026, 3, 29, 13, 0, 0, 0, berlin); !got.Equal(want) {
		t.Fatalf("7x24 over DST: %s, want %s", got, want)
	}
	// A night shift 00:00–04:00 is only three real hours on the night the clocks go forward.
	night := &Calendar{Name: "night", Location: berlin, MakeupHours: []Interval{Clock("00:00", "04:00")}}
	for wd := range night.Week {
		night.Week[wd] = []Interval{Clock("00:00", "04:00")}
	}
	from := time.Date(2026, 3, 29, 0, 0, 0, 0, berlin)
	if got := night.Elapsed(from, time.Date(2026, 3, 30, 0, 0, 0, 0, berlin)); got != 3*time.Hour {
		t.Fatalf("DST night shift elapsed %v, want 3h", got)
	}
	if got, want := night.Due(from, 4*time.Hour), time.Date(2026, 3, 30, 1, 0, 0, 0, berlin); !got.Equal(want) {
		t.Fatalf("DST night shift due %s, want %s", got, want)
	}
}

// TestDueElapsedRoundTrip is the property: the business time from a start to its computed due time
// equals the duration asked for, for random starts and durations on calendars with holidays, make-up
// days, several intervals a day and a daylight-saving zone.
func TestDueElapsedRoundTrip(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	split := &Calendar{Name: "split-berlin", Location: berlin, MakeupHours: []Interval{Clock("08:30", "12:00")}}
	for wd := time.Monday; wd <= time.Saturday; wd++ {
		split.Week[wd] = []Interval{Clock("00:30", "03:30"), Clock("08:30", "12:00"), Clock("13:30", "17:30")}
	}
	split.Apply(ShippedYears()...)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []*Calendar{CNWorkday(), split, AlwaysOpen24x7("7x24", Shanghai)} {
		base := time.Date(2024, 1, 1, 0, 0, 0, 0, c.Location)
		for i := 0; i < 3000; i++ {
			start := base.Add(time.Duration(rng.Int64N(int64(3 * 365 * 24 * time.Hour))))
			d := time.Duration(rng.Int64N(int64(120*time.Hour))) / time.Minute * time.Minute
			due := c.Due(start, d)
			if got := c.Elapsed(start, due); got != d {
				t.Fatalf("%s: Elapsed(%s, Due(…, %v)=%s) = %v", c.Name, start, d, due, got)
			}
		}
	}
}

func TestValidate(t *testing.T) {
	c := &Calendar{Name: "bad", Location: Shanghai, MakeupHours: []Interval{Clock("09:00", "12:00")}}
	c.Week[time.Monday] = []Interval{Clock("13:00", "18:00"), Clock("09:00", "14:00"), Clock("20:00", "19:00")}
	got := c.Validate()
	want := []string{"Monday: interval 20:00–19:00 is empty or reversed", "Monday: intervals 09:00–14:00 and 13:00–18:00 overlap"}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("missing %q in %q", w, got)
		}
	}
	empty := &Calendar{Name: "closed", Location: Shanghai}
	if got := empty.Validate(); !slices.Contains(got, "the week has no working time at all") {
		t.Errorf("closed calendar: %q", got)
	}
	if got := CNWorkday().Validate(); len(got) != 0 {
		t.Errorf("shipped calendar invalid: %q", got)
	}
}

func BenchmarkDue(b *testing.B) {
	c := CNWorkday()
	start := sh("2026-09-28 16:10")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c.Due(start.Add(time.Duration(i%1000)*time.Minute), 8*time.Hour)
	}
}
