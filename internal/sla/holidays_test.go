package sla

import (
	"strings"
	"testing"
)

// TestShipped2026MatchesStateCouncil checks the embedded 2026 schedule against the State Council's
// notice (国办发明电〔2025〕7号): every day off and every make-up working day.
func TestShipped2026MatchesStateCouncil(t *testing.T) {
	var y2026 Year
	for _, y := range ShippedYears() {
		if y.Year == 2026 {
			y2026 = y
		}
	}
	var off, work []string
	for _, d := range y2026.Days {
		if d.Kind == Holiday {
			off = append(off, d.Date.String()[5:])
		} else {
			work = append(work, d.Date.String()[5:])
		}
	}
	wantOff := "01-01 01-02 01-03 02-15 02-16 02-17 02-18 02-19 02-20 02-21 02-22 02-23 04-04 04-05 04-06 " +
		"05-01 05-02 05-03 05-04 05-05 06-19 06-20 06-21 09-25 09-26 09-27 10-01 10-02 10-03 10-04 10-05 10-06 10-07"
	wantWork := "01-04 02-14 02-28 05-09 09-20 10-10"
	if got := strings.Join(off, " "); got != wantOff {
		t.Errorf("days off:\n got %s\nwant %s", got, wantOff)
	}
	if got := strings.Join(work, " "); got != wantWork {
		t.Errorf("make-up days:\n got %s\nwant %s", got, wantWork)
	}
	if n := len(ShippedYears()); n != 3 {
		t.Errorf("shipped %d years, want 2024–2026", n)
	}
}

func TestParseYearShapes(t *testing.T) {
	hcn := `{"$schema":"https://x","$id":"https://y","year":2027,"papers":["p"],"days":[
		{"name":"元旦","date":"2027-01-01","isOffDay":true},{"name":"春节","date":"2027-02-06","isOffDay":false}]}`
	y, err := ParseYear([]byte(hcn), 2027)
	if err != nil || len(y.Days) != 2 || y.Days[1].Kind != MakeupWorkday {
		t.Fatalf("holiday-cn shape: %+v %v", y, err)
	}
	bad := []struct{ name, json, want string }{
		{"unknown field", `{"year":2027,"dates":[{"date":"2027-01-01","type":"public_holiday","extra":1}]}`, "unknown field"},
		{"wrong year", `{"year":2027,"dates":[{"date":"2028-01-01","type":"public_holiday"}]}`, "not in 2027"},
		{"duplicate", `{"year":2027,"dates":[{"date":"2027-01-01","type":"public_holiday"},{"date":"2027-01-01","type":"public_holiday"}]}`, "listed twice"},
		{"unknown type", `{"year":2027,"dates":[{"date":"2027-01-01","type":"bridge"}]}`, "unknown type"},
		{"bad date", `{"year":2027,"dates":[{"date":"2027-13-01","type":"public_holiday"}]}`, "YYYY-MM-DD"},
		{"neither shape", `{"year":2027}`, "neither"},
		{"file for another year", `{"year":2026,"dates":[{"date":"2027-01-01","type":"public_holiday"}]}`, "file is for 2026"},
	}
	for _, tc := range bad {
		if _, err := ParseYear([]byte(tc.json), 2027); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}
