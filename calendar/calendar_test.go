package calendar_test

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"kefu"
	"kefu/calendar"
)

// weekdays returns shifts for Monday to Friday.
func weekdays(shifts ...calendar.Shift) map[string][]calendar.Shift {
	return map[string][]calendar.Shift{
		"monday": shifts, "tuesday": shifts, "wednesday": shifts, "thursday": shifts, "friday": shifts,
	}
}

// everyDay returns shifts for all seven days.
func everyDay(shifts ...calendar.Shift) map[string][]calendar.Shift {
	w := weekdays(shifts...)
	w["saturday"], w["sunday"] = shifts, shifts
	return w
}

var (
	nineToSix = calendar.Shift{Start: "09:00", End: "18:00"}

	// office is a Shanghai desk open 09:00-18:00 on weekdays, with National
	// Day 2026 off, a 调休 Saturday after it, a short New Year's Eve and New
	// Year's Day 2027 off.
	office = calendar.Calendar{
		Weekly: weekdays(nineToSix),
		Holidays: []calendar.Day{
			{Date: "2026-10-01"}, {Date: "2026-10-02"}, {Date: "2026-10-03"}, {Date: "2026-10-04"},
			{Date: "2026-10-05"}, {Date: "2026-10-06"}, {Date: "2026-10-07"}, {Date: "2027-01-01"},
		},
		Workdays: []calendar.Day{
			{Date: "2026-10-10", Name: "国庆节调休"},
			{Date: "2026-12-31", Name: "除夕", Shifts: []calendar.Shift{{Start: "09:00", End: "15:00"}}},
		},
	}

	// lunch closes for lunch on weekdays.
	lunch = calendar.Calendar{
		Weekly: weekdays(calendar.Shift{Start: "09:00", End: "12:00"}, calendar.Shift{Start: "13:30", End: "18:00"}),
	}

	// night is open 20:00 to 02:00 every night: two shifts, one ending at
	// 24:00 and one starting at 00:00.
	night = calendar.Calendar{
		Weekly: everyDay(calendar.Shift{Start: "00:00", End: "02:00"}, calendar.Shift{Start: "20:00", End: "24:00"}),
	}

	london = calendar.Calendar{TimeZone: "Europe/London", Weekly: weekdays(calendar.Shift{Start: "09:00", End: "17:00"})}

	// Calendars whose zones change their clocks. In 2026 New York springs
	// forward on 8 March at 02:00 and falls back on 1 November at 02:00;
	// Berlin on 29 March at 02:00 and 25 October at 03:00.
	newYorkAllDay = calendar.Calendar{TimeZone: "America/New_York", Weekly: everyDay(calendar.Shift{Start: "00:00", End: "24:00"})}
	newYorkSmall  = calendar.Calendar{TimeZone: "America/New_York", Weekly: everyDay(calendar.Shift{Start: "01:00", End: "04:00"})}
	berlinSmall   = calendar.Calendar{TimeZone: "Europe/Berlin", Weekly: everyDay(calendar.Shift{Start: "02:00", End: "04:00"})}
	berlinInGap   = calendar.Calendar{TimeZone: "Europe/Berlin", Weekly: everyDay(calendar.Shift{Start: "02:15", End: "02:45"})}

	// Santiago changes its clocks at midnight: on Saturday 4 April 2026
	// 24:00 becomes 23:00, and on Sunday 6 September 00:00 becomes 01:00.
	santiago = calendar.Calendar{TimeZone: "America/Santiago", Weekly: map[string][]calendar.Shift{
		"saturday": {{Start: "00:00", End: "24:00"}},
		"sunday":   {{Start: "00:00", End: "01:00"}},
	}}
)

func mustCompile(tb testing.TB, c calendar.Calendar) *calendar.Compiled {
	tb.Helper()
	cc, err := c.Compile()
	if err != nil {
		tb.Fatal(err)
	}
	return cc
}

// at parses "2006-01-02 15:04" in zone, or Shanghai if zone is "".
func at(tb testing.TB, zone, s string) time.Time {
	tb.Helper()
	if zone == "" {
		zone = calendar.DefaultTimeZone
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		tb.Fatal(err)
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// utc parses "2006-01-02 15:04" in UTC.
func utc(tb testing.TB, s string) time.Time { return at(tb, "UTC", s) }

func TestAdd(t *testing.T) {
	for _, tt := range []struct {
		name  string
		cal   calendar.Calendar
		start time.Time
		d     time.Duration
		want  time.Time
	}{
		{"within hours", office, at(t, "", "2026-03-04 10:00"), time.Hour, at(t, "", "2026-03-04 11:00")},
		{"before opening", office, at(t, "", "2026-03-04 07:00"), time.Hour, at(t, "", "2026-03-04 10:00")},
		{"past closing", office, at(t, "", "2026-03-04 17:30"), time.Hour, at(t, "", "2026-03-05 09:30")},
		{"runs out at closing", office, at(t, "", "2026-03-04 09:00"), 9 * time.Hour, at(t, "", "2026-03-04 18:00")},
		{"overnight Friday", office, at(t, "", "2026-03-06 22:00"), time.Hour, at(t, "", "2026-03-09 10:00")},
		{"weekend", office, at(t, "", "2026-03-07 12:00"), 30 * time.Minute, at(t, "", "2026-03-09 09:30")},
		{"48h over a weekend", office, at(t, "", "2026-03-05 09:00"), 48 * time.Hour, at(t, "", "2026-03-12 12:00")},
		{"holiday", office, at(t, "", "2026-09-30 17:00"), 2 * time.Hour, at(t, "", "2026-10-08 10:00")},
		{"调休 Saturday", office, at(t, "", "2026-10-09 17:00"), 2 * time.Hour, at(t, "", "2026-10-10 10:00")},
		{"short day, then holiday and weekend", office, at(t, "", "2026-12-31 14:00"), 2 * time.Hour, at(t, "", "2027-01-04 10:00")},
		{"zero", office, at(t, "", "2026-03-07 12:00"), 0, at(t, "", "2026-03-07 12:00")},
		{"negative", office, at(t, "", "2026-03-07 12:00"), -time.Hour, at(t, "", "2026-03-07 12:00")},
		{"start in UTC", office, utc(t, "2026-03-06 14:00"), time.Hour, at(t, "", "2026-03-09 10:00")},

		{"over lunch", lunch, at(t, "", "2026-03-04 11:30"), time.Hour, at(t, "", "2026-03-04 14:00")},
		{"runs out at lunch", lunch, at(t, "", "2026-03-04 11:00"), time.Hour, at(t, "", "2026-03-04 12:00")},
		{"during lunch", lunch, at(t, "", "2026-03-04 12:15"), time.Hour, at(t, "", "2026-03-04 14:30")},

		{"through midnight", night, at(t, "", "2026-03-07 23:30"), time.Hour, at(t, "", "2026-03-08 00:30")},
		{"to the next night", night, at(t, "", "2026-03-08 01:30"), time.Hour, at(t, "", "2026-03-08 20:30")},

		{"London", london, at(t, "Europe/London", "2026-03-06 16:30"), time.Hour, utc(t, "2026-03-09 09:30")},
		{"London into summer time", london, at(t, "Europe/London", "2026-03-27 16:30"), time.Hour, utc(t, "2026-03-30 08:30")},

		{"New York, missing hour skipped", newYorkSmall, at(t, "America/New_York", "2026-03-08 00:00"), 90 * time.Minute, utc(t, "2026-03-08 07:30")},
		{"New York, repeated hour counted", newYorkSmall, at(t, "America/New_York", "2026-11-01 00:00"), 3 * time.Hour, utc(t, "2026-11-01 08:00")},
		{"Berlin, shift lost in the gap", berlinInGap, at(t, "Europe/Berlin", "2026-03-29 00:00"), 10 * time.Minute, at(t, "Europe/Berlin", "2026-03-30 02:25")},
		{"Berlin, repeated hour from its first pass", berlinSmall, at(t, "Europe/Berlin", "2026-10-25 00:00"), time.Hour, utc(t, "2026-10-25 01:00")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCompile(t, tt.cal)
			got := c.Add(tt.start, tt.d)
			if !got.Equal(tt.want) {
				t.Errorf("Add(%v, %v) = %v, want %v", tt.start, tt.d, got, tt.want)
			}
			if tt.d > 0 {
				if b := c.Between(tt.start, got); b != tt.d {
					t.Errorf("Between(%v, %v) = %v, want %v", tt.start, got, b, tt.d)
				}
			}
		})
	}
}

func TestBetween(t *testing.T) {
	for _, tt := range []struct {
		name string
		cal  calendar.Calendar
		a, b time.Time
		want time.Duration
	}{
		{"empty", office, at(t, "", "2026-03-04 12:00"), at(t, "", "2026-03-04 12:00"), 0},
		{"backwards", office, at(t, "", "2026-03-04 12:00"), at(t, "", "2026-03-04 10:00"), 0},
		{"one day", office, at(t, "", "2026-03-04 00:00"), at(t, "", "2026-03-05 00:00"), 9 * time.Hour},
		{"a week", office, at(t, "", "2026-03-02 00:00"), at(t, "", "2026-03-09 00:00"), 45 * time.Hour},
		{"National Day week with 调休", office, at(t, "", "2026-09-28 00:00"), at(t, "", "2026-10-12 00:00"), 6 * 9 * time.Hour},
		{"year 2026", office, at(t, "", "2026-01-01 00:00"), at(t, "", "2027-01-01 00:00"), (261-5+1)*9*time.Hour - 3*time.Hour},
		{"lunch", lunch, at(t, "", "2026-03-04 11:00"), at(t, "", "2026-03-04 14:00"), 90 * time.Minute},
		{"through midnight", night, at(t, "", "2026-03-07 23:00"), at(t, "", "2026-03-08 01:00"), 2 * time.Hour},
		{"London day", london, at(t, "Europe/London", "2026-03-30 00:00"), at(t, "Europe/London", "2026-03-31 00:00"), 8 * time.Hour},

		{"New York spring day", newYorkAllDay, at(t, "America/New_York", "2026-03-08 00:00"), at(t, "America/New_York", "2026-03-09 00:00"), 23 * time.Hour},
		{"New York autumn day", newYorkAllDay, at(t, "America/New_York", "2026-11-01 00:00"), at(t, "America/New_York", "2026-11-02 00:00"), 25 * time.Hour},
		{"New York ordinary day", newYorkAllDay, at(t, "America/New_York", "2026-11-02 00:00"), at(t, "America/New_York", "2026-11-03 00:00"), 24 * time.Hour},
		{"New York spring shift", newYorkSmall, at(t, "America/New_York", "2026-03-08 00:00"), at(t, "America/New_York", "2026-03-09 00:00"), 2 * time.Hour},
		{"New York autumn shift", newYorkSmall, at(t, "America/New_York", "2026-11-01 00:00"), at(t, "America/New_York", "2026-11-02 00:00"), 4 * time.Hour},
		{"Berlin spring shift", berlinSmall, at(t, "Europe/Berlin", "2026-03-29 00:00"), at(t, "Europe/Berlin", "2026-03-30 00:00"), time.Hour},
		{"Berlin autumn shift", berlinSmall, at(t, "Europe/Berlin", "2026-10-25 00:00"), at(t, "Europe/Berlin", "2026-10-26 00:00"), 3 * time.Hour},
		{"Berlin shift in the gap", berlinInGap, at(t, "Europe/Berlin", "2026-03-29 00:00"), at(t, "Europe/Berlin", "2026-03-30 00:00"), 0},
		{"Santiago, midnight repeated", santiago, utc(t, "2026-04-03 12:00"), utc(t, "2026-04-06 12:00"), 25*time.Hour + time.Hour},
		{"Santiago, midnight missing", santiago, utc(t, "2026-09-04 12:00"), utc(t, "2026-09-07 12:00"), 24 * time.Hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustCompile(t, tt.cal).Between(tt.a, tt.b); got != tt.want {
				t.Errorf("Between(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestOpenAndNextOpen(t *testing.T) {
	for _, tt := range []struct {
		name string
		cal  calendar.Calendar
		t    time.Time
		open bool
		next time.Time
	}{
		{"opening", office, at(t, "", "2026-03-04 09:00"), true, at(t, "", "2026-03-04 09:00")},
		{"closing", office, at(t, "", "2026-03-04 18:00"), false, at(t, "", "2026-03-05 09:00")},
		{"Friday night", office, at(t, "", "2026-03-06 22:00"), false, at(t, "", "2026-03-09 09:00")},
		{"Saturday", office, at(t, "", "2026-03-07 10:00"), false, at(t, "", "2026-03-09 09:00")},
		{"holiday", office, at(t, "", "2026-10-05 10:00"), false, at(t, "", "2026-10-08 09:00")},
		{"调休 Saturday", office, at(t, "", "2026-10-10 10:00"), true, at(t, "", "2026-10-10 10:00")},
		{"after a short day", office, at(t, "", "2026-12-31 16:00"), false, at(t, "", "2027-01-04 09:00")},
		{"lunch", lunch, at(t, "", "2026-03-04 12:15"), false, at(t, "", "2026-03-04 13:30")},
		{"midnight", night, at(t, "", "2026-03-08 00:00"), true, at(t, "", "2026-03-08 00:00")},
		{"02:00", night, at(t, "", "2026-03-08 02:00"), false, at(t, "", "2026-03-08 20:00")},
		{"just before 24:00", night, at(t, "", "2026-03-07 23:59"), true, at(t, "", "2026-03-07 23:59")},
		{"London, from Shanghai", london, at(t, "", "2026-03-06 18:00"), true, utc(t, "2026-03-06 10:00")},
		{"New York, before the missing hour", newYorkSmall, utc(t, "2026-03-08 05:30"), false, utc(t, "2026-03-08 06:00")},
		{"New York, after the missing hour", newYorkSmall, utc(t, "2026-03-08 07:30"), true, utc(t, "2026-03-08 07:30")},
		{"New York, repeated hour, second pass", newYorkSmall, utc(t, "2026-11-01 06:30"), true, utc(t, "2026-11-01 06:30")},
		{"Berlin, shift in the gap", berlinInGap, at(t, "Europe/Berlin", "2026-03-29 00:00"), false, at(t, "Europe/Berlin", "2026-03-30 02:15")},
		{"Berlin, repeated hour, first pass", berlinSmall, utc(t, "2026-10-25 00:30"), true, utc(t, "2026-10-25 00:30")},
		{"Santiago, repeated hour before midnight", santiago, utc(t, "2026-04-05 03:30"), true, utc(t, "2026-04-05 03:30")},
		{"Santiago, after Saturday, into a lost shift", santiago, utc(t, "2026-09-06 04:00"), false, utc(t, "2026-09-12 03:00")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCompile(t, tt.cal)
			if got := c.Open(tt.t); got != tt.open {
				t.Errorf("Open(%v) = %v, want %v", tt.t, got, tt.open)
			}
			if got := c.NextOpen(tt.t); !got.Equal(tt.next) {
				t.Errorf("NextOpen(%v) = %v, want %v", tt.t, got, tt.next)
			}
		})
	}
}

func TestAlways(t *testing.T) {
	c := calendar.Always()
	a := utc(t, "2026-10-01 03:00")
	if !c.Open(a) || !c.NextOpen(a).Equal(a) {
		t.Error("Always is closed")
	}
	if got, want := c.Add(a, 48*time.Hour), utc(t, "2026-10-03 03:00"); !got.Equal(want) {
		t.Errorf("Add = %v, want %v", got, want)
	}
	if got := c.Between(a, a.Add(90*time.Minute)); got != 90*time.Minute {
		t.Errorf("Between = %v, want 1h30m", got)
	}
	if got := c.Between(a, a.Add(-time.Minute)); got != 0 {
		t.Errorf("Between backwards = %v, want 0", got)
	}
}

// TestProperties checks, on random instants through 2026, that Add and
// Between agree with each other and with Open and NextOpen.
func TestProperties(t *testing.T) {
	schedule, err := os.Open("testdata/china-2026.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer schedule.Close()
	holidays, workdays, err := calendar.ParseSchedule(schedule)
	if err != nil {
		t.Fatal(err)
	}
	china := calendar.Calendar{Weekly: lunch.Weekly, Holidays: holidays, Workdays: workdays}

	rng := rand.New(rand.NewPCG(2026, 1))
	year := utc(t, "2026-01-01 00:00")
	random := func() time.Time { return year.Add(time.Duration(rng.Int64N(365*24*3600)) * time.Second) }
	for _, cal := range []calendar.Calendar{office, lunch, night, london, china, newYorkAllDay, newYorkSmall, berlinSmall, berlinInGap, santiago} {
		c := mustCompile(t, cal)
		for range 1000 {
			a, b := random(), random()
			d := time.Duration(1+rng.Int64N(200*3600)) * time.Second

			due := c.Add(a, d)
			if got := c.Between(a, due); got != d {
				t.Fatalf("%s: Between(a, Add(a, %v)) = %v with a = %v", cal.TimeZone, d, got, a)
			}
			if got := c.Add(a, c.Between(a, b)); b.After(a) && got.After(b) {
				t.Fatalf("%s: Add(a, Between(a, b)) = %v after b = %v with a = %v", cal.TimeZone, got, b, a)
			}
			if ab, bd := c.Between(a, b), c.Between(b, due); b.After(a) && due.After(b) && ab+bd != d {
				t.Fatalf("%s: Between is not additive: %v + %v != %v with a = %v, b = %v", cal.TimeZone, ab, bd, d, a, b)
			}
			if open := c.Between(a, a.Add(time.Second)) == time.Second; c.Open(a) != open {
				t.Fatalf("%s: Open(%v) = %v, but a second after it is open: %v", cal.TimeZone, a, c.Open(a), open)
			}
			next := c.NextOpen(a)
			if !c.Open(next) || c.Between(a, next) != 0 {
				t.Fatalf("%s: NextOpen(%v) = %v, which is closed or not the next opening", cal.TimeZone, a, next)
			}
		}
	}
}

// TestJSON pins the stored form: calendars live as JSON in the database.
func TestJSON(t *testing.T) {
	c := calendar.Calendar{
		Weekly:   map[string][]calendar.Shift{"monday": {nineToSix}},
		Holidays: []calendar.Day{{Date: "2026-10-01", Name: "国庆节"}},
		Workdays: []calendar.Day{{Date: "2026-12-31", Shifts: []calendar.Shift{{Start: "09:00", End: "15:00"}}}},
	}
	got, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"time_zone":"","weekly":{"monday":[{"start":"09:00","end":"18:00"}]},` +
		`"holidays":[{"date":"2026-10-01","name":"国庆节"}],` +
		`"workdays":[{"date":"2026-12-31","name":"","shifts":[{"start":"09:00","end":"15:00"}]}]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestValidate(t *testing.T) {
	monday := func(shifts ...calendar.Shift) map[string][]calendar.Shift {
		return map[string][]calendar.Shift{"monday": shifts}
	}
	valid := monday(nineToSix)
	for _, tt := range []struct {
		name  string
		cal   calendar.Calendar
		field string // "" for a valid calendar
	}{
		{"default zone", calendar.Calendar{Weekly: valid}, ""},
		{"other zone", calendar.Calendar{TimeZone: "Europe/London", Weekly: valid}, ""},
		{"to midnight, adjacent shifts", calendar.Calendar{Weekly: monday(calendar.Shift{Start: "00:00", End: "12:00"}, calendar.Shift{Start: "12:00", End: "24:00"})}, ""},
		{"workday with Monday's hours", calendar.Calendar{Weekly: valid, Workdays: []calendar.Day{{Date: "2026-10-10"}}}, ""},

		{"unknown zone", calendar.Calendar{TimeZone: "Asia/Beijing", Weekly: valid}, "time_zone"},
		{"server's zone", calendar.Calendar{TimeZone: "Local", Weekly: valid}, "time_zone"},
		{"one-digit hour", calendar.Calendar{Weekly: monday(calendar.Shift{Start: "9:00", End: "18:00"})}, "weekly.monday[0].start"},
		{"start at 24:00", calendar.Calendar{Weekly: monday(calendar.Shift{Start: "24:00", End: "24:00"})}, "weekly.monday[0].start"},
		{"end past 24:00", calendar.Calendar{Weekly: monday(calendar.Shift{Start: "09:00", End: "24:30"})}, "weekly.monday[0].end"},
		{"minute 60", calendar.Calendar{Weekly: monday(calendar.Shift{Start: "09:00", End: "17:60"})}, "weekly.monday[0].end"},
		{"end before start", calendar.Calendar{Weekly: monday(calendar.Shift{Start: "18:00", End: "09:00"})}, "weekly.monday[0].end"},
		{"empty shift", calendar.Calendar{Weekly: monday(calendar.Shift{Start: "09:00", End: "09:00"})}, "weekly.monday[0].end"},
		{"overlap", calendar.Calendar{Weekly: monday(calendar.Shift{Start: "09:00", End: "12:00"}, calendar.Shift{Start: "11:00", End: "18:00"})}, "weekly.monday[1].start"},
		{"out of order", calendar.Calendar{Weekly: monday(calendar.Shift{Start: "13:00", End: "18:00"}, calendar.Shift{Start: "09:00", End: "12:00"})}, "weekly.monday[1].start"},
		{"later day", calendar.Calendar{Weekly: map[string][]calendar.Shift{"monday": {nineToSix}, "sunday": {{Start: "9", End: "10"}}}}, "weekly.sunday[0].start"},
		{"capitalised day", calendar.Calendar{Weekly: map[string][]calendar.Shift{"Monday": {nineToSix}}}, "weekly.Monday"},
		{"never open", calendar.Calendar{Weekly: map[string][]calendar.Shift{"monday": {}}}, "weekly"},
		{"bad holiday date", calendar.Calendar{Weekly: valid, Holidays: []calendar.Day{{Date: "2026-10-01"}, {Date: "2026-02-30"}}}, "holidays[1].date"},
		{"holiday listed twice", calendar.Calendar{Weekly: valid, Holidays: []calendar.Day{{Date: "2026-10-01"}, {Date: "2026-10-02"}, {Date: "2026-10-01"}}}, "holidays[2].date"},
		{"holiday and workday", calendar.Calendar{Weekly: valid, Holidays: []calendar.Day{{Date: "2026-10-01"}}, Workdays: []calendar.Day{{Date: "2026-10-01"}}}, "workdays[0].date"},
		{"bad workday date", calendar.Calendar{Weekly: valid, Workdays: []calendar.Day{{Date: "2026/10/10"}}}, "workdays[0].date"},
		{"bad workday shift", calendar.Calendar{Weekly: valid, Workdays: []calendar.Day{{Date: "2026-12-31", Shifts: []calendar.Shift{{Start: "09:00", End: "25:00"}}}}}, "workdays[0].shifts[0].end"},
		{"workday without Monday", calendar.Calendar{Weekly: map[string][]calendar.Shift{"tuesday": {nineToSix}}, Workdays: []calendar.Day{{Date: "2026-10-10"}}}, "workdays[0].shifts"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cal.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if kefu.ErrorCode(err) != kefu.EINVALID || kefu.ErrorField(err) != tt.field {
				t.Fatalf("Validate() = %v, want EINVALID for field %s", err, tt.field)
			}
		})
	}
}

// BenchmarkAdd computes SLA due times on a Shanghai desk open 09:00-18:00
// on weekdays with the 2026 holiday schedule.
func BenchmarkAdd(b *testing.B) {
	c := benchCalendar(b)
	for _, bb := range []struct {
		name  string
		start time.Time
		d     time.Duration
	}{
		{"1h within hours", at(b, "", "2026-03-04 10:00"), time.Hour},
		{"1h from Friday night", at(b, "", "2026-03-06 22:00"), time.Hour},
		{"48h over a weekend and National Day", at(b, "", "2026-09-29 10:00"), 48 * time.Hour},
	} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				c.Add(bb.start, bb.d)
			}
		})
	}
}

// BenchmarkBetween measures business time elapsed on the calendar of
// BenchmarkAdd.
func BenchmarkBetween(b *testing.B) {
	c := benchCalendar(b)
	for _, bb := range []struct {
		name string
		a, b string
	}{
		{"1 day", "2026-03-04 10:00", "2026-03-05 10:00"},
		{"2 weeks over National Day", "2026-09-28 10:00", "2026-10-12 10:00"},
		{"1 year", "2026-01-01 00:00", "2027-01-01 00:00"},
	} {
		a, z := at(b, "", bb.a), at(b, "", bb.b)
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				c.Between(a, z)
			}
		})
	}
}

func benchCalendar(b *testing.B) *calendar.Compiled {
	f, err := os.Open("testdata/china-2026.csv")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	holidays, workdays, err := calendar.ParseSchedule(f)
	if err != nil {
		b.Fatal(err)
	}
	return mustCompile(b, calendar.Calendar{Weekly: weekdays(nineToSix), Holidays: holidays, Workdays: workdays})
}
