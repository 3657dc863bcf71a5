package calendar

import "time"

// Compiled is a validated calendar ready for queries. It is never changed
// after Compile, so one value may serve any number of goroutines.
//
// Queries walk the calendar a day at a time, converting each open day's
// shifts to instants, so their cost grows with the calendar days spanned
// (Add(t, 48h) on 8-hour weekdays visits about ten), never with minutes.
//
// Results are in the calendar's time zone (Always returns them in the zone
// of the argument); compare them with Equal, not ==.
type Compiled struct {
	always bool // open at every instant; the other fields are unused

	loc    *time.Location
	weekly [7][]span      // by time.Weekday
	dates  map[int][]span // holidays (nil) and workdays, by days since 1970-01-01
}

// Always returns the calendar that is open at every instant, so that business
// time is elapsed time. It depends on no time zone.
func Always() *Compiled {
	return &Compiled{always: true}
}

// Open reports whether t is within business hours.
func (c *Compiled) Open(t time.Time) bool {
	if c.always {
		return true
	}
	n := c.dayOf(t)
	spans := c.spans(n)
	if len(spans) == 0 {
		return false
	}
	d := c.day(n)
	for _, s := range spans {
		if !t.Before(d.at(s.start)) && t.Before(d.at(s.end)) {
			return true
		}
	}
	return false
}

// NextOpen returns t if the calendar is open at t, else the start of the next
// opening after t. Compile guarantees there is one, at most two weeks after
// the last holiday, so the search ends.
func (c *Compiled) NextOpen(t time.Time) time.Time {
	if c.always {
		return t
	}
	for n := c.dayOf(t); ; n++ {
		spans := c.spans(n)
		if len(spans) == 0 {
			continue
		}
		d := c.day(n)
		for _, s := range spans {
			start, end := d.at(s.start), d.at(s.end)
			// start == end for a shift lost to clocks jumping forward.
			if t.Before(end) && start.Before(end) {
				return later(start, t).In(c.loc)
			}
		}
	}
}

// Add returns the instant at which d of business time has elapsed counting
// from start: the earliest u with Between(start, u) == d. Counting begins at
// start if the calendar is open then, else at the next opening, so a request
// made at 22:00 on a Friday, on 09:00-18:00 weekdays, is due an hour later at
// 10:00 on Monday. An amount that runs out exactly at a closing time gives
// the closing time. A d of zero or less gives start; Add never counts
// backwards.
func (c *Compiled) Add(start time.Time, d time.Duration) time.Time {
	if c.always {
		return start.Add(max(d, 0))
	}
	if d <= 0 {
		return start.In(c.loc)
	}
	left := d
	for n := c.dayOf(start); ; n++ {
		spans := c.spans(n)
		if len(spans) == 0 {
			continue
		}
		day := c.day(n)
		for _, s := range spans {
			from, to := later(day.at(s.start), start), day.at(s.end)
			if !from.Before(to) {
				continue // over before start, or lost to a clock change
			}
			if open := to.Sub(from); open < left {
				left -= open
			} else {
				return from.Add(left).In(c.loc)
			}
		}
	}
}

// Between returns the business time within [a, b), or 0 if b is not after a.
func (c *Compiled) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	if c.always {
		return b.Sub(a)
	}
	var sum time.Duration
	for n, last := c.dayOf(a), c.dayOf(b); n <= last; n++ {
		spans := c.spans(n)
		if len(spans) == 0 {
			continue
		}
		day := c.day(n)
		for _, s := range spans {
			from, to := later(day.at(s.start), a), earlier(day.at(s.end), b)
			if from.Before(to) {
				sum += to.Sub(from)
			}
		}
	}
	return sum
}

// spans returns the shifts of day n: its own if it is a holiday or workday,
// else its weekday's.
func (c *Compiled) spans(n int) []span {
	if spans, ok := c.dates[n]; ok {
		return spans
	}
	return c.weekly[(n%7+7+4)%7] // 1970-01-01 was a Thursday
}

// dayOf returns the date of t in the calendar's zone, as days since
// 1970-01-01. An instant within a shift of a day always has that day's date,
// so this is the only day whose shifts can contain t.
func (c *Compiled) dayOf(t time.Time) int {
	_, offset := t.In(c.loc).Zone()
	wall := t.Unix() + int64(offset)
	n := wall / secondsPerDay
	if wall%secondsPerDay < 0 {
		n-- // round towards the past, not towards 1970
	}
	return int(n)
}

// instant returns the first instant at which the wall clock in the
// calendar's zone reads minute m (0 to 1440) of day n.
//
// A wall time that does not exist, because the clocks jumped forward, gives
// the instant of the jump: the missing hour is skipped, and a shift within it
// has no length. A wall time that occurs twice, because the clocks went back,
// gives its first occurrence: a shift spanning the repeated hour is open
// through both. time.Date alone picks either side in both cases, depending on
// the zone.
func (c *Compiled) instant(n, m int) time.Time {
	t := time.Date(1970, time.January, 1+n, 0, m, 0, 0, c.loc) // Date normalises day and minute
	_, offset := t.Zone()
	zoneStart, zoneEnd := t.ZoneBounds()
	want := int64(n)*secondsPerDay + int64(m)*60
	switch wall := t.Unix() + int64(offset); {
	case wall < want: // in a gap; t is before the jump
		return zoneEnd
	case wall > want: // in a gap; t is after the jump
		return zoneStart
	}
	if zoneStart.IsZero() {
		return t
	}
	// If the clocks went back just before t, the same wall time was shown
	// once already, under the previous, larger offset.
	_, prevOffset := zoneStart.Add(-time.Second).Zone()
	if prevOffset > offset {
		if first := t.Add(-time.Duration(prevOffset-offset) * time.Second); first.Before(zoneStart) {
			return first
		}
	}
	return t
}

// day is one date of a calendar, ready to turn wall-clock minutes into
// instants.
type day struct {
	c        *Compiled
	n        int       // days since 1970-01-01
	midnight time.Time // the instant of minute 0
	fixed    bool      // the UTC offset is the same all day, so minute m is midnight + m
}

// day returns day n. On the days when the clocks do not change, nearly all
// of them, one conversion from wall-clock time serves all the day's shifts.
func (c *Compiled) day(n int) day {
	midnight := c.instant(n, 0)
	_, offset := midnight.Zone()
	_, zoneEnd := midnight.ZoneBounds()
	fixed := midnight.Unix()+int64(offset) == int64(n)*secondsPerDay && // midnight exists
		(zoneEnd.IsZero() || zoneEnd.After(midnight.Add(24*time.Hour)))
	return day{c: c, n: n, midnight: midnight, fixed: fixed}
}

// at returns the instant of minute m (0 to 1440) of the day.
func (d day) at(m int) time.Time {
	if d.fixed {
		return d.midnight.Add(time.Duration(m) * time.Minute)
	}
	return d.c.instant(d.n, m)
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// earlier returns the earlier of a and b.
func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
