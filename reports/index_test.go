package reports

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// localClock reads the wall clock as time.In does, across offset changes.
func TestLocalClock(t *testing.T) {
	for _, name := range []string{"Asia/Shanghai", "America/New_York", "Australia/Lord_Howe", "UTC"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		c := localClock{loc: loc}
		r := rand.New(rand.NewPCG(3, 4))
		ms := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
		for range 20000 {
			ms += r.Int64N(4 * 3600 * 1000) // forward, as reports read
			if r.IntN(50) == 0 {
				ms -= r.Int64N(200 * 24 * 3600 * 1000) // and sometimes back
			}
			wall := time.UnixMilli(ms).In(loc)
			wantDay := time.Date(wall.Year(), wall.Month(), wall.Day(), 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay
			wantSecond := int64(wall.Hour()*3600 + wall.Minute()*60 + wall.Second())
			if d, s := c.day(ms), c.secondOfDay(ms); d != wantDay || s != wantSecond {
				t.Fatalf("%s %s: day %d second %d, want %d %d", name, wall, d, s, wantDay, wantSecond)
			}
		}
	}
}

// Large slices of seconds sort by counting passes as slices.Sort sorts.
func TestSecondsSort(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	v := make(seconds, 100_000)
	for i := range v {
		v[i] = r.Int32N(1 << 30)
		if i%3 == 0 {
			v[i] = r.Int32N(100)
		}
	}
	want := slices.Clone(v)
	slices.Sort(want)
	v.sort()
	if !slices.Equal(v, want) {
		t.Fatal("counting sort differs from slices.Sort")
	}
}
