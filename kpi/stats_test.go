package kpi_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"kefu/kpi"
)

func seconds(ns ...int) []time.Duration {
	out := make([]time.Duration, len(ns))
	for i, n := range ns {
		out[i] = time.Duration(n) * time.Second
	}
	return out
}

func oneToN(n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration(n-i) * time.Second // descending: the functions sort
	}
	return out
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{seconds(7), 7 * sec},
		{seconds(3, 1, 2), 2 * sec},
		{seconds(4, 1, 3, 2), 2500 * time.Millisecond}, // mean of the two middle values
		{[]time.Duration{1, 2}, 1},                     // truncated to the nanosecond
	} {
		in := slices.Clone(tc.in)
		if got := kpi.Median(in); got != tc.want {
			t.Errorf("Median(%v) = %v, want %v", tc.in, got, tc.want)
		}
		if !slices.Equal(in, tc.in) {
			t.Errorf("Median changed its input: %v", in)
		}
	}
}

func TestPercentile(t *testing.T) {
	for _, tc := range []struct {
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{nil, 90, 0},
		{oneToN(10), 90, 9 * sec}, // rank ⌈0.9·10⌉ = 9
		{oneToN(10), 50, 5 * sec}, // nearest rank: not the median 5.5s
		{oneToN(10), 10, 1 * sec},
		{oneToN(10), 11, 2 * sec}, // ⌈1.1⌉ = 2
		{oneToN(10), 100, 10 * sec},
		{oneToN(10), 0, 1 * sec},
		{oneToN(10), -5, 1 * sec},
		{oneToN(10), 150, 10 * sec},
		{oneToN(11), 90, 10 * sec},      // ⌈9.9⌉ = 10
		{oneToN(1000), 99.9, 999 * sec}, // 99.9 has no exact binary form; still rank 999
		{oneToN(20), 95, 19 * sec},
		{seconds(5), 90, 5 * sec},
	} {
		if got := kpi.Percentile(tc.in, tc.p); got != tc.want {
			t.Errorf("Percentile(%d values, %v) = %v, want %v", len(tc.in), tc.p, got, tc.want)
		}
	}
}

func TestWithinShare(t *testing.T) {
	ds := seconds(10, 30, 31, 180, 181)
	for _, tc := range []struct {
		limit time.Duration
		want  float64
	}{{30 * sec, 0.4}, {3 * minute, 0.8}, {0, 0}, {time.Hour, 1}} {
		if got := kpi.WithinShare(ds, tc.limit); got != tc.want {
			t.Errorf("WithinShare(%v) = %v, want %v", tc.limit, got, tc.want)
		}
	}
	if got := kpi.WithinShare(nil, time.Minute); got != 0 {
		t.Errorf("WithinShare(nil) = %v", got)
	}
}

func TestCSATScore(t *testing.T) {
	for _, tc := range []struct {
		in         []int
		top2, mean float64
	}{
		{[]int{5, 4, 3, 2, 1}, 0.4, 3},
		{[]int{5, 5, 4, 4}, 1, 4.5},
		{[]int{5, 0, 6, -1}, 1, 5}, // not ratings: ignored
		{nil, 0, 0},
	} {
		top2, mean := kpi.CSATScore(tc.in)
		if top2 != tc.top2 || mean != tc.mean {
			t.Errorf("CSATScore(%v) = %v, %v, want %v, %v", tc.in, top2, mean, tc.top2, tc.mean)
		}
	}
}

func TestNPSScore(t *testing.T) {
	for _, tc := range []struct {
		in   []int
		want float64
	}{
		{[]int{10, 9, 8, 7, 6, 0}, 0}, // 2 promoters, 2 detractors
		{[]int{10, 10, 10}, 100},
		{[]int{0, 6}, -100},
		{[]int{9, 8, 7, 6}, 0},
		{[]int{10, 9, 9, 7}, 75},
		{[]int{10, 11, -1}, 100}, // out of range: ignored
		{nil, 0},
	} {
		if got := kpi.NPSScore(tc.in); got != tc.want {
			t.Errorf("NPSScore(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestSummarize(t *testing.T) {
	fs := []kpi.Facts{
		{ConversationID: "1", ContactID: "a", FirstResponseOwed: true, FirstResponse: ptr(20 * sec),
			ResponseTimes: seconds(20, 900), ResponseTimesCapped: seconds(20, 600),
			Resolved: true, Resolution: ptr(10 * minute), Handle: 8 * minute, FCR: ptr(true), RepeatContact: ptr(false),
			SLATargets: 3, SLAMet: 3, CSAT: ptr(5), NPS: ptr(10), Coverage3m: 2, CustomerMessages: 2},
		{ConversationID: "2", ContactID: "a", FirstResponseOwed: true, FirstResponse: ptr(2 * minute),
			ResponseTimes: seconds(120), UnansweredTurns: 1, ResponseTimesCapped: seconds(120, 600),
			Resolved: true, Resolution: ptr(30 * minute), Handle: 12 * minute, FCR: ptr(false), RepeatContact: ptr(true),
			Transferred: true, Escalated: true, SLATargets: 2, SLAMet: 1, CSAT: ptr(3), NPS: ptr(6),
			Episodes:   []kpi.Episode{{}, {Reopen: true, HumanOwed: true, FirstResponse: ptr(4 * minute)}},
			Coverage3m: 1, CustomerMessages: 3},
		{ConversationID: "3", ContactID: "b", FirstResponseOwed: true, FirstResponse: ptr(10 * minute),
			FirstResponseAfterHandoff: ptr(6 * minute), BotStarted: true, AskedForHuman: true,
			ResponseTimes: seconds(600), ResponseTimesCapped: seconds(600), CustomerMessages: 2},
		{ConversationID: "4", ContactID: "c", FirstResponseOwed: true, UnansweredTurns: 1, ResponseTimesCapped: seconds(600),
			Transferred: true, CustomerMessages: 1},
		{ConversationID: "5", ContactID: "d", BotStarted: true, BotContained: true, Resolved: true, Resolution: ptr(1 * minute),
			FCR: ptr(true), RepeatContact: ptr(false), CSAT: ptr(4), Coverage3m: 2, CustomerMessages: 2},
	}
	s := kpi.Summarize(fs)
	checks := []struct {
		name      string
		got, want any
	}{
		{"Conversations", s.Conversations, 5},
		{"FRTOwed", s.FRTOwed, 4},
		{"FRTAnswered", s.FRTAnswered, 3},
		{"FRTMedian", s.FRTMedian, 2 * minute},
		{"FRTP90", s.FRTP90, 10 * minute},
		{"FRTWithin 30s", s.FRTWithin["30s"], 0.25}, // 1 of 4 owed; the unanswered one counts as missed
		{"FRTWithin 3m", s.FRTWithin["3m"], 0.5},
		{"HandoffsAnswered", s.HandoffsAnswered, 1},
		{"FRTAfterHandoffMedian", s.FRTAfterHandoffMedian, 6 * minute},
		{"ReopenEpisodes", s.ReopenEpisodes, 1},
		{"ReopenFRTMedian", s.ReopenFRTMedian, 4 * minute},
		{"Turns", s.Turns, 6},
		{"UnansweredTurns", s.UnansweredTurns, 2},
		{"AvgResponse", s.AvgResponse, (20 + 900 + 120 + 600) * sec / 4},
		{"AvgResponseCapped", s.AvgResponseCapped, (20 + 600 + 120 + 600 + 600 + 600) * sec / 6}, // unanswered: 10 min
		{"TurnsWithin 30s", s.TurnsWithin["30s"], 1.0 / 6},                                       // 20s of 6 turns
		{"TurnsWithin 3m", s.TurnsWithin["3m"], 2.0 / 6},                                         // 20s, 2m
		{"Resolved", s.Resolved, 3},
		{"ResolutionMedian", s.ResolutionMedian, 10 * minute},
		{"Handled", s.Handled, 2},
		{"AHT", s.AHT, 10 * minute},
		{"FCRCount", s.FCRCount, 2},
		{"FCR", s.FCR, 2.0 / 3},
		{"ContactsResolved", s.ContactsResolved, 2}, // a, d
		{"RepeatContacts", s.RepeatContacts, 1},     // a
		{"RepeatRate", s.RepeatRate, 0.5},
		{"Escalated", s.Escalated, 1},
		{"EscalationRate", s.EscalationRate, 0.2},
		{"Transferred", s.Transferred, 2},
		{"TransferRate", s.TransferRate, 0.4},
		{"SLACompliance", s.SLACompliance, 0.8},
		{"CSATAnswers", s.CSATAnswers, 3},
		{"CSAT", s.CSAT, 2.0 / 3},
		{"CSATMean", s.CSATMean, 4.0},
		{"NPSAnswers", s.NPSAnswers, 2},
		{"NPS", s.NPS, 0.0},
		{"BotStarted", s.BotStarted, 2},
		{"BotContained", s.BotContained, 1},
		{"BotContainment", s.BotContainment, 0.5},
		{"CustomerMessages", s.CustomerMessages, 10},
		{"Covered3m", s.Covered3m, 5},
		{"Coverage3m", s.Coverage3m, 0.5},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestSummarizeEmpty(t *testing.T) {
	s := kpi.Summarize(nil)
	if s.Conversations != 0 || s.FRTMedian != 0 || s.FCR != 0 || s.NPS != 0 || math.IsNaN(s.CSAT) || s.FRTWithin["3m"] != 0 {
		t.Errorf("Summarize(nil) = %+v", s)
	}
}

// A mean of many long durations must not overflow int64 nanoseconds.
func TestSummarizeLongMeans(t *testing.T) {
	const n = 2_000_000
	fs := make([]kpi.Facts, 1)
	fs[0].ResponseTimes = make([]time.Duration, n)
	for i := range fs[0].ResponseTimes {
		fs[0].ResponseTimes[i] = 100 * day // n · 100 days ≈ 1.7e22 ns, far beyond int64
	}
	if got := kpi.Summarize(fs).AvgResponse; got != 100*day {
		t.Errorf("AvgResponse = %v, want %v", got, 100*day)
	}
}

// syntheticFacts makes n varied facts without timelines.
func syntheticFacts(n int) []kpi.Facts {
	fs := make([]kpi.Facts, n)
	x := uint64(88172645463325252)
	rnd := func(m uint64) uint64 { // xorshift: fast and repeatable
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return x % m
	}
	for i := range fs {
		f := &fs[i]
		f.ConversationID = string(rune('a'+i%26)) + time.Duration(i).String()
		f.ContactID = time.Duration(rnd(uint64(n/2) + 1)).String()
		f.FirstResponseOwed = rnd(10) > 0
		if f.FirstResponseOwed && rnd(20) > 0 {
			f.FirstResponse = ptr(time.Duration(rnd(600)) * time.Second)
		}
		turns := int(rnd(5))
		for range turns {
			d := time.Duration(rnd(1200)) * time.Second
			f.ResponseTimes = append(f.ResponseTimes, d)
			f.ResponseTimesCapped = append(f.ResponseTimesCapped, min(d, kpi.ResponseCap))
		}
		f.Resolved = rnd(10) < 8
		if f.Resolved {
			f.Resolution = ptr(time.Duration(rnd(7200)) * time.Second)
			f.Handle = time.Duration(rnd(1800)) * time.Second
			f.FCR, f.RepeatContact = ptr(rnd(10) < 8), ptr(rnd(10) < 2)
		}
		f.Transferred, f.Escalated = rnd(100) < 8, rnd(100) < 3
		f.SLATargets = int(rnd(4))
		f.SLAMet = int(rnd(uint64(f.SLATargets) + 1))
		if rnd(5) == 0 {
			f.CSAT = ptr(int(rnd(5)) + 1)
		}
		f.BotStarted = rnd(2) == 0
		f.BotContained = f.BotStarted && f.Resolved && rnd(2) == 0
		f.CustomerMessages = int(rnd(8))
		f.Coverage3m = int(rnd(uint64(f.CustomerMessages) + 1))
	}
	return fs
}

func BenchmarkSummarize(b *testing.B) {
	fs := syntheticFacts(1_000_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		kpi.Summarize(fs)
	}
}

func TestHistogramMatchesMedianAndPercentile(t *testing.T) {
	for _, values := range [][]int{{}, {5}, {1, 2}, {3, 3, 3, 9}, {1, 2, 2, 3, 7, 7, 7, 7, 10, 40, 40}} {
		var ds []time.Duration
		freq := map[int]int64{}
		for _, v := range values {
			ds = append(ds, time.Duration(v)*time.Second)
			freq[v]++
		}
		h := &kpi.Histogram{}
		for v := range 50 {
			if c := freq[v]; c > 0 {
				h.Values = append(h.Values, time.Duration(v)*time.Second)
				h.Counts = append(h.Counts, c)
			}
		}
		if h.Len() != len(ds) || h.Median() != kpi.Median(ds) {
			t.Errorf("%v: histogram median %v (n %d), want %v", values, h.Median(), h.Len(), kpi.Median(ds))
		}
		for _, p := range []float64{0, 10, 50, 90, 99.9, 100} {
			if got, want := h.Percentile(p), kpi.Percentile(ds, p); got != want {
				t.Errorf("%v p%v: %v, want %v", values, p, got, want)
			}
		}
	}
}
