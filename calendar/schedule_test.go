package calendar_test

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"kefu"
	"kefu/calendar"
)

// TestParseScheduleFile reads the example 2026 schedule. It checks what the
// file says, not whether the file is right about 2026.
func TestParseScheduleFile(t *testing.T) {
	f, err := os.Open("testdata/china-2026.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	holidays, workdays, err := calendar.ParseSchedule(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(holidays) != 33 || len(workdays) != 6 {
		t.Fatalf("got %d holidays and %d workdays, want 33 and 6", len(holidays), len(workdays))
	}
	if got, want := holidays[0], (calendar.Day{Date: "2026-01-01", Name: "元旦"}); !reflect.DeepEqual(got, want) {
		t.Errorf("first holiday = %+v, want %+v", got, want)
	}
	if got, want := workdays[len(workdays)-1], (calendar.Day{Date: "2026-10-10", Name: "国庆节调休"}); !reflect.DeepEqual(got, want) {
		t.Errorf("last workday = %+v, want %+v", got, want)
	}

	// On a weekday desk, every listed holiday is closed and every listed
	// workday open at 10:00.
	c := mustCompile(t, calendar.Calendar{Weekly: weekdays(nineToSix), Holidays: holidays, Workdays: workdays})
	for _, days := range []struct {
		days []calendar.Day
		open bool
	}{{holidays, false}, {workdays, true}} {
		for _, d := range days.days {
			if ten := at(t, "", d.Date+" 10:00"); c.Open(ten) != days.open {
				t.Errorf("Open(%v) = %v, want %v (%s)", ten, !days.open, days.open, d.Name)
			}
		}
	}
}

func TestParseSchedule(t *testing.T) {
	in := "\uFEFF# exported from Excel\n" +
		"Date, Name, Kind\n" +
		"2026-10-01,National Day,holiday\n" +
		"\n" +
		"2026-10-10, 国庆节调休 ,班\n" +
		"\"2026-10-02\",\"国庆节, 第二天\",休\n" +
		"2026-10-11,,WORKDAY\n"
	holidays, workdays, err := calendar.ParseSchedule(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	wantHolidays := []calendar.Day{{Date: "2026-10-01", Name: "National Day"}, {Date: "2026-10-02", Name: "国庆节, 第二天"}}
	wantWorkdays := []calendar.Day{{Date: "2026-10-10", Name: "国庆节调休"}, {Date: "2026-10-11"}}
	if !reflect.DeepEqual(holidays, wantHolidays) || !reflect.DeepEqual(workdays, wantWorkdays) {
		t.Errorf("got %+v and %+v, want %+v and %+v", holidays, workdays, wantHolidays, wantWorkdays)
	}
}

func TestParseScheduleErrors(t *testing.T) {
	const header = "date,name,kind\n"
	for _, tt := range []struct {
		name, in string
		line     string // the line the error must name, as "Line N:"
	}{
		{"empty", "", "Line 1:"},
		{"comments only", "# nothing\n", "Line 1:"},
		{"wrong header", "day,name,kind\n2026-10-01,国庆节,休\n", "Line 1:"},
		{"bad date", header + "2026-10-01,国庆节,休\n2026-13-01,国庆节,休\n", "Line 3:"},
		{"slashes", header + "2026/10/01,国庆节,休\n", "Line 2:"},
		{"unknown kind", header + "2026-10-01,国庆节,放假\n", "Line 2:"},
		{"two fields", header + "2026-10-01,国庆节\n", "Line 2:"},
		{"four fields", header + "# comment\n2026-10-01,国庆节,休,x\n", "Line 3:"},
		{"bare quote", header + "2026-10-01,\"国庆\"节,休\n", "Line 2:"},
		{"listed twice, after a blank line", header + "2026-10-01,国庆节,休\n\n2026-10-01,国庆节,班\n", "Line 4:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := calendar.ParseSchedule(strings.NewReader(tt.in))
			if kefu.ErrorCode(err) != kefu.EINVALID || kefu.ErrorField(err) != "schedule" {
				t.Fatalf("ParseSchedule() = %v, want EINVALID for field schedule", err)
			}
			if msg := kefu.ErrorMessage(err); !strings.HasPrefix(msg, tt.line) {
				t.Errorf("message %q does not start with %q", msg, tt.line)
			}
		})
	}
}

// TestScheduleIsUsable feeds a parsed schedule into a calendar with a
// weekend desk: listed holidays close its Saturdays too.
func TestScheduleIsUsable(t *testing.T) {
	holidays, workdays, err := calendar.ParseSchedule(strings.NewReader("date,name,kind\n2026-10-03,国庆节,休\n2026-10-10,国庆节调休,班\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := mustCompile(t, calendar.Calendar{Weekly: everyDay(nineToSix), Holidays: holidays, Workdays: workdays})
	if got, want := c.Add(at(t, "", "2026-10-02 17:00"), 2*time.Hour), at(t, "", "2026-10-04 10:00"); !got.Equal(want) {
		t.Errorf("Add over the Saturday holiday = %v, want %v", got, want)
	}
}
