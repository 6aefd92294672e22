package sla

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"
)

// The State Council's statutory holidays and make-up working days (国务院办公厅关于部分节假日安排的通知),
// one file per year in the holiday-calendar shape, produced from and checked against the npm package
// holiday-calendar (MIT). opsdesk copies them into its editable calendar tables.
//
//go:embed holidays/cn-*.json
var embedded embed.FS

// DayKind says whether a listed date is a day off or a make-up working day.
type DayKind string

const (
	Holiday       DayKind = "holiday" // 放假
	MakeupWorkday DayKind = "workday" // 调休上班
)

// Day is one listed date of a year's schedule.
type Day struct {
	Date Date
	Name string
	Kind DayKind
}

// Year is the schedule of one year.
type Year struct {
	Year int
	Days []Day
}

// ShippedYears returns the years embedded in this binary, in order.
func ShippedYears() []Year {
	files, _ := fs.Glob(embedded, "holidays/cn-*.json")
	var out []Year
	for _, f := range files {
		data, _ := embedded.ReadFile(f)
		var y int
		fmt.Sscanf(strings.TrimPrefix(f, "holidays/cn-"), "%d", &y)
		yr, err := ParseYear(data, y)
		if err != nil {
			panic(fmt.Sprintf("embedded %s: %v", f, err)) // a build error
		}
		out = append(out, yr)
	}
	return out
}

// holidayCalendar is the shape of the npm package holiday-calendar (data/CN/<year>.json).
type holidayCalendar struct {
	Year   int    `json:"year"`
	Region string `json:"region"`
	Dates  []struct {
		Date   string `json:"date"`
		Name   string `json:"name"`
		NameCN string `json:"name_cn"`
		NameEN string `json:"name_en"`
		Type   string `json:"type"`
	} `json:"dates"`
}

// holidayCN is the shape of the holiday-cn project (NateScarlet/holiday-cn, <year>.json).
type holidayCN struct {
	Schema string   `json:"$schema"`
	ID     string   `json:"$id"`
	Year   int      `json:"year"`
	Papers []string `json:"papers"`
	Days   []struct {
		Name     string `json:"name"`
		Date     string `json:"date"`
		IsOffDay bool   `json:"isOffDay"`
	} `json:"days"`
}

// ParseYear reads one year's schedule in either the holiday-calendar shape ({"dates":[{"type":
// "public_holiday"|"transfer_workday"}]}) or the holiday-cn shape ({"days":[{"isOffDay":…}]}). Unknown
// fields, a date outside wantYear, a duplicate date or an unknown type are errors, all listed at once.
func ParseYear(data []byte, wantYear int) (Year, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return Year{}, fmt.Errorf("not a JSON object: %w", err)
	}
	var days []Day
	var problems []error
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	switch {
	case probe["dates"] != nil:
		var hc holidayCalendar
		if err := dec.Decode(&hc); err != nil {
			return Year{}, fmt.Errorf("holiday-calendar file: %w", err)
		}
		if hc.Year != 0 && hc.Year != wantYear {
			problems = append(problems, fmt.Errorf("file is for %d, not %d", hc.Year, wantYear))
		}
		for _, d := range hc.Dates {
			kind := map[string]DayKind{"public_holiday": Holiday, "transfer_workday": MakeupWorkday}[d.Type]
			if kind == "" {
				problems = append(problems, fmt.Errorf("%s: unknown type %q", d.Date, d.Type))
				continue
			}
			name := d.Name
			if d.NameCN != "" {
				name = d.NameCN
			}
			days = appendDay(days, &problems, d.Date, name, kind)
		}
	case probe["days"] != nil:
		var hc holidayCN
		if err := dec.Decode(&hc); err != nil {
			return Year{}, fmt.Errorf("holiday-cn file: %w", err)
		}
		if hc.Year != 0 && hc.Year != wantYear {
			problems = append(problems, fmt.Errorf("file is for %d, not %d", hc.Year, wantYear))
		}
		for _, d := range hc.Days {
			kind := MakeupWorkday
			if d.IsOffDay {
				kind = Holiday
			}
			days = appendDay(days, &problems, d.Date, d.Name, kind)
		}
	default:
		return Year{}, errors.New(`neither a holiday-calendar file ("dates") nor a holiday-cn file ("days")`)
	}
	seen := map[Date]bool{}
	for _, d := range days {
		if d.Date.Year != wantYear {
			problems = append(problems, fmt.Errorf("%s is not in %d", d.Date, wantYear))
		}
		if seen[d.Date] {
			problems = append(problems, fmt.Errorf("%s is listed twice", d.Date))
		}
		seen[d.Date] = true
	}
	if len(days) == 0 {
		problems = append(problems, errors.New("no dates"))
	}
	if len(problems) > 0 {
		return Year{}, errors.Join(problems...)
	}
	slices.SortFunc(days, func(a, b Day) int { return compareDates(a.Date, b.Date) })
	return Year{Year: wantYear, Days: days}, nil
}

func appendDay(days []Day, problems *[]error, s, name string, kind DayKind) []Day {
	d, err := ParseDate(s)
	if err != nil {
		*problems = append(*problems, err)
		return days
	}
	return append(days, Day{Date: d, Name: name, Kind: kind})
}

func compareDates(a, b Date) int {
	return time.Date(a.Year, a.Month, a.Day, 0, 0, 0, 0, time.UTC).Compare(time.Date(b.Year, b.Month, b.Day, 0, 0, 0, 0, time.UTC))
}

// Apply adds the days of the given years to c's holidays and make-up working days.
func (c *Calendar) Apply(years ...Year) {
	if c.Holidays == nil {
		c.Holidays = map[Date]string{}
	}
	if c.Workdays == nil {
		c.Workdays = map[Date]string{}
	}
	for _, y := range years {
		for _, d := range y.Days {
			if d.Kind == Holiday {
				c.Holidays[d.Date] = d.Name
			} else {
				c.Workdays[d.Date] = d.Name
			}
		}
	}
}

// Shanghai is Asia/Shanghai; the binary embeds time/tzdata, so it loads on any host.
var Shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// DefaultName is the name of the shipped calendar.
const DefaultName = "cn-workday"

// CNWorkday returns the shipped default calendar cn-workday: Asia/Shanghai, Monday to Friday
// 09:00–12:00 and 13:00–18:00, with the statutory holidays and make-up working days of every shipped year.
func CNWorkday() *Calendar {
	day := []Interval{Clock("09:00", "12:00"), Clock("13:00", "18:00")}
	c := &Calendar{Name: DefaultName, Location: Shanghai, MakeupHours: day}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		c.Week[wd] = day
	}
	c.Apply(ShippedYears()...)
	return c
}

// AlwaysOpen24x7 returns a 7×24 calendar in loc.
func AlwaysOpen24x7(name string, loc *time.Location) *Calendar {
	c := &Calendar{Name: name, Location: loc, AlwaysOpen: true, MakeupHours: []Interval{{0, 1440}}}
	for wd := range c.Week {
		c.Week[wd] = []Interval{{0, 1440}}
	}
	return c
}
