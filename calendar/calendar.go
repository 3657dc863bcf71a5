// Package calendar holds business-hours calendars and the business-time
// arithmetic behind SLA timers: whether a desk is open at an instant, when it
// next opens, the instant at which a given amount of business time has
// elapsed (an SLA due time is Add(created, 1h)), and how much business time
// lies between two instants.
//
// A Calendar is the form stored as JSON and edited in the console: weekly
// shifts in one time zone, closed days (法定节假日) and make-up working days
// (调休上班). Compile checks it and turns it into a Compiled calendar, which
// answers queries by whole days rather than minute by minute and is safe for
// concurrent use.
package calendar

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	// kefu ships as one static binary that may run on a host without
	// /usr/share/zoneinfo; embedding the zone database (about 400 KB) keeps
	// every calendar's time zone loadable there.
	_ "time/tzdata"

	"kefu"
)

// DefaultTimeZone is the zone of a calendar whose TimeZone is empty.
const DefaultTimeZone = "Asia/Shanghai"

// Shift is one stretch of opening hours within a day, in wall-clock time.
type Shift struct {
	Start string `json:"start"` // "HH:MM", 00:00 to 23:59
	End   string `json:"end"`   // "HH:MM" after Start; "24:00" is the end of the day
}

// Day is a date with a special meaning in a calendar: a holiday, or a working
// day with its own hours.
type Day struct {
	Date   string  `json:"date"` // "YYYY-MM-DD"
	Name   string  `json:"name"` // e.g. 国庆节; shown to agents, not interpreted
	Shifts []Shift `json:"shifts,omitempty"`
}

// Calendar is a desk's business hours.
type Calendar struct {
	// TimeZone is an IANA zone name; empty means DefaultTimeZone.
	TimeZone string `json:"time_zone"`

	// Weekly maps "monday" to "sunday" to that day's shifts, sorted and not
	// overlapping. Several shifts make a split shift (09:00-12:00 and
	// 13:30-18:00 close for lunch). A missing or empty day is closed.
	Weekly map[string][]Shift `json:"weekly"`

	// Holidays are closed all day whatever the weekday; their Shifts are
	// ignored.
	Holidays []Day `json:"holidays"`

	// Workdays are open whatever the weekday: a 调休 Saturday, or a weekday
	// with shortened hours such as New Year's Eve. A workday without Shifts
	// has Monday's hours, the normal weekday hours.
	Workdays []Day `json:"workdays"`
}

// weekdays names the keys of Calendar.Weekly, indexed by time.Weekday.
var weekdays = [7]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

const (
	minutesPerDay = 24 * 60
	secondsPerDay = 24 * 60 * 60
)

// span is one shift as minutes since midnight, 0 <= start < end <= 1440.
type span struct{ start, end int }

// Validate reports the first problem in c as an EINVALID error naming the
// field at fault, such as "weekly.monday[0].start" or "holidays[2].date".
func (c Calendar) Validate() error {
	_, err := c.Compile()
	return err
}

// Compile validates c and precomputes what queries need: each weekday's
// shifts and a map from each holiday and workday to its shifts.
//
// A calendar must be open on at least one day of the week. That rules out a
// desk that never opens, for which no due time exists, and it bounds every
// search for the next opening: past the last holiday, a day with hours comes
// within two weeks.
func (c Calendar) Compile() (*Compiled, error) {
	name := c.TimeZone
	if name == "" {
		name = DefaultTimeZone
	}
	// "Local" would make business hours depend on the server's settings.
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, kefu.Invalid("time_zone", "There is no time zone %q; use an IANA name such as Asia/Shanghai.", name)
	}
	out := &Compiled{loc: loc, dates: make(map[int][]span)}

	open := false
	for wd, key := range weekdays {
		spans, err := parseShifts("weekly."+key, c.Weekly[key])
		if err != nil {
			return nil, err
		}
		out.weekly[wd] = spans
		open = open || len(spans) > 0
	}
	keys := make([]string, 0, len(c.Weekly))
	for key := range c.Weekly {
		keys = append(keys, key)
	}
	slices.Sort(keys) // so that the same calendar always reports the same error
	for _, key := range keys {
		if !slices.Contains(weekdays[:], key) {
			return nil, kefu.Invalid("weekly."+key, "Use the days monday to sunday, in lower case.")
		}
	}
	if !open {
		return nil, kefu.Invalid("weekly", "Open on at least one day of the week.")
	}

	// listed maps each date already seen to the field that listed it, so that
	// a date is neither a holiday twice nor both a holiday and a workday.
	listed := make(map[int]string)
	for i, h := range c.Holidays {
		field := fmt.Sprintf("holidays[%d]", i)
		n, err := parseListedDate(field, h.Date, listed)
		if err != nil {
			return nil, err
		}
		out.dates[n] = nil
	}
	for i, w := range c.Workdays {
		field := fmt.Sprintf("workdays[%d]", i)
		n, err := parseListedDate(field, w.Date, listed)
		if err != nil {
			return nil, err
		}
		spans, err := parseShifts(field+".shifts", w.Shifts)
		if err != nil {
			return nil, err
		}
		if len(w.Shifts) == 0 {
			spans = out.weekly[time.Monday]
		}
		if len(spans) == 0 {
			return nil, kefu.Invalid(field+".shifts", "Give this day its hours: Monday has none to copy.")
		}
		out.dates[n] = spans
	}
	return out, nil
}

// parseShifts checks the shifts of one day, named field, and returns them as
// spans.
func parseShifts(field string, shifts []Shift) ([]span, error) {
	var spans []span
	for i, s := range shifts {
		f := fmt.Sprintf("%s[%d]", field, i)
		start, ok := ParseClock(s.Start)
		if !ok || start == minutesPerDay {
			return nil, kefu.Invalid(f+".start", "Use a time from 00:00 to 23:59, such as 09:00.")
		}
		end, ok := ParseClock(s.End)
		if !ok {
			return nil, kefu.Invalid(f+".end", "Use a time from 00:00 to 24:00, such as 18:00.")
		}
		if end <= start {
			return nil, kefu.Invalid(f+".end", "End the shift after it starts (%s).", s.Start)
		}
		if i > 0 && start < spans[i-1].end {
			return nil, kefu.Invalid(f+".start", "Start at or after the end of the shift before (%s); list shifts in order.", shifts[i-1].End)
		}
		spans = append(spans, span{start, end})
	}
	return spans, nil
}

// ParseClock parses "HH:MM" (two digits each, up to 24:00) into minutes
// since midnight.
func ParseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, err1 := strconv.ParseUint(s[:2], 10, 8)
	m, err2 := strconv.ParseUint(s[3:], 10, 8)
	if err1 != nil || err2 != nil || h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, false
	}
	return int(h)*60 + int(m), true
}

// parseDate parses "YYYY-MM-DD" into days since 1970-01-01.
func parseDate(s string) (int, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, false
	}
	return int(t.Unix() / secondsPerDay), true // midnight UTC: exact even before 1970
}

// parseListedDate parses the date of the day named field and records it in
// listed, refusing a date listed before.
func parseListedDate(field, date string, listed map[int]string) (int, error) {
	n, ok := parseDate(date)
	if !ok {
		return 0, kefu.Invalid(field+".date", "Use a date like 2026-10-01.")
	}
	if prev, ok := listed[n]; ok {
		return 0, kefu.Invalid(field+".date", "%s is already listed as %s; list a date once.", date, prev)
	}
	listed[n] = field
	return n, nil
}
