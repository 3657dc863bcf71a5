package kpi

import (
	"math"
	"math/bits"
	"slices"
	"time"
)

// Median returns the median of ds: the middle value, or for an even count
// the mean of the two middle values (truncated to the nanosecond). It
// returns 0 for no values and does not change ds.
//
// The median is the usual one, not Percentile(ds, 50): for [1s, 2s, 3s, 4s]
// it is 2.5s where the nearest-rank 50th percentile is 2s.
func Median(ds []time.Duration) time.Duration {
	return medianSorted(sorted(ds))
}

// Percentile returns the p-th percentile of ds by the nearest-rank method:
// the smallest value such that at least p % of the values are at or below
// it, which is the value of rank ⌈p/100 · n⌉ (1-based) in ascending order. It
// is always one of the values, never interpolated. p ≤ 0 gives the smallest
// value, p ≥ 100 the largest; no values give 0. ds is not changed.
//
// For example, p90 of ten values is the 9th smallest; of eleven, the 10th.
func Percentile(ds []time.Duration, p float64) time.Duration {
	return percentileSorted(sorted(ds), p)
}

// WithinShare returns the share (0 to 1) of ds at or below limit; 0 for no
// values.
func WithinShare(ds []time.Duration, limit time.Duration) float64 {
	n := 0
	for _, d := range ds {
		if d <= limit {
			n++
		}
	}
	return share(n, len(ds))
}

// CSATScore returns the top-2-box share (0 to 1) of scores on the 1–5 scale,
// the share rated 4 or 5, and the mean score. Scores outside 1–5 are not
// ratings and are ignored; no ratings give 0, 0.
func CSATScore(scores []int) (top2 float64, mean float64) {
	var n, top, sum int
	for _, s := range scores {
		if s < 1 || s > 5 {
			continue
		}
		n++
		sum += s
		if s >= 4 {
			top++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return share(top, n), float64(sum) / float64(n)
}

// NPSScore returns the net promoter score of scores on the 0–10 scale, in
// points from −100 to 100: the percentage of promoters (9–10) minus the
// percentage of detractors (0–6). Scores outside 0–10 are ignored; none give
// 0.
func NPSScore(scores []int) float64 {
	var n, promoters, detractors int
	for _, s := range scores {
		switch {
		case s < 0 || s > 10:
			continue
		case s >= 9:
			promoters++
		case s <= 6:
			detractors++
		}
		n++
	}
	return nps(promoters, detractors, n)
}

func nps(promoters, detractors, n int) float64 {
	if n == 0 {
		return 0
	}
	return 100 * float64(promoters-detractors) / float64(n)
}

// share returns part/whole, or 0 when whole is 0.
func share(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// sorted returns a sorted copy of ds.
func sorted(ds []time.Duration) []time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s
}

func medianSorted(s []time.Duration) time.Duration {
	return medianAt(len(s), func(i int) time.Duration { return s[i] })
}

// medianAt is the median of n sorted values read by rank (0-based).
func medianAt(n int, at func(int) time.Duration) time.Duration {
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return at(n / 2)
	}
	a, b := at(n/2-1), at(n/2)
	return a + (b-a)/2
}

func percentileSorted(s []time.Duration, p float64) time.Duration {
	return percentileAt(len(s), func(i int) time.Duration { return s[i] }, p)
}

// percentileAt is the nearest-rank percentile of n sorted values read by
// rank (0-based).
func percentileAt(n int, at func(int) time.Duration, p float64) time.Duration {
	switch {
	case n == 0:
		return 0
	case p <= 0 || math.IsNaN(p):
		return at(0)
	case p >= 100:
		return at(n - 1)
	}
	// p·n/100, forgiving the rounding error of a p such as 99.9 that has no
	// exact binary form: 99.9 · 1000 / 100 must be rank 999, not 1000.
	x := p * float64(n) / 100
	rank := math.Ceil(x)
	if fl := math.Floor(x); x-fl < 1e-9*math.Max(1, x) {
		rank = fl
	}
	r := int(rank)
	r = max(1, min(r, n))
	return at(r - 1)
}

// Histogram is durations as distinct values, ascending, with how many times
// each occurs: a million first responses in whole seconds are a few
// thousand entries. Its median and percentiles are those of the durations.
type Histogram struct {
	Values []time.Duration
	Counts []int64
	cum    []int64 // running totals, built on first use
}

// Len is how many durations the histogram holds.
func (h *Histogram) Len() int {
	h.cumulate()
	if len(h.cum) == 0 {
		return 0
	}
	return int(h.cum[len(h.cum)-1])
}

func (h *Histogram) cumulate() {
	if h.cum != nil || len(h.Counts) == 0 {
		return
	}
	h.cum = make([]int64, len(h.Counts))
	var total int64
	for i, c := range h.Counts {
		total += c
		h.cum[i] = total
	}
}

// at returns the duration of a 0-based rank.
func (h *Histogram) at(i int) time.Duration {
	j, _ := slices.BinarySearch(h.cum, int64(i)+1)
	return h.Values[j]
}

// Median is the median of the durations (the mean of the two middle ones
// for an even count), as Median.
func (h *Histogram) Median() time.Duration { return medianAt(h.Len(), h.at) }

// Percentile is the nearest-rank percentile, as Percentile.
func (h *Histogram) Percentile(p float64) time.Duration { return percentileAt(h.Len(), h.at, p) }

// mean accumulates non-negative durations exactly, in 128 bits, so that the
// mean of ten million day-long waits does not overflow.
type mean struct {
	hi, lo uint64
	n      uint64
}

// add adds d; a negative d counts as 0.
func (m *mean) add(d time.Duration) {
	var carry uint64
	m.lo, carry = bits.Add64(m.lo, uint64(max(d, 0)), 0)
	m.hi += carry
	m.n++
}

// value returns the mean truncated to the nanosecond, 0 for no values.
func (m mean) value() time.Duration {
	if m.n == 0 {
		return 0
	}
	q, _ := bits.Div64(m.hi, m.lo, m.n) // hi < n: every value is below 2^63
	return time.Duration(q)
}

// Limits reported in Summary.FRTWithin and TurnsWithin: JD's 30-second answer rate and
// Taobao's and Pinduoduo's 3-minute human reply rate.
var frtLimits = []struct {
	key   string
	limit time.Duration
}{{"30s", 30 * time.Second}, {"3m", 3 * time.Minute}}

// Summary is the statistics over many conversations' facts. Each share is
// followed or preceded by the counts it is made of; a share with a zero
// denominator is 0.
type Summary struct {
	Conversations int `json:"conversations"`

	// First response (first episodes). FRTMedian and FRTP90 are over the
	// answered ones (FRTAnswered); FRTWithin["30s"] and ["3m"] are the
	// answered within that time ÷ FRTOwed, so a missed first response
	// counts against them.
	FRTOwed     int                `json:"frt_owed"`
	FRTAnswered int                `json:"frt_answered"`
	FRTMedian   time.Duration      `json:"frt_median"`
	FRTP90      time.Duration      `json:"frt_p90"`
	FRTWithin   map[string]float64 `json:"frt_within"`
	// The human queue after a bot handoff: handoff → first human reply.
	HandoffsAnswered      int           `json:"handoffs_answered"`
	FRTAfterHandoffMedian time.Duration `json:"frt_after_handoff_median"`
	// Reopen episodes owed a human reply, those answered, and the median of
	// their first responses.
	ReopenEpisodes         int           `json:"reopen_episodes"`
	ReopenEpisodesAnswered int           `json:"reopen_episodes_answered"`
	ReopenFRTMedian        time.Duration `json:"reopen_frt_median"`

	// Response time per customer turn: AvgResponse over answered turns
	// (Turns − UnansweredTurns), AvgResponseCapped over all Turns.
	// TurnsWithin["30s"] and ["3m"] are the turns answered within that time
	// ÷ Turns: the platforms' per-round reply rates (Taobao's and
	// Pinduoduo's 3-minute human reply rate).
	Turns             int                `json:"turns"`
	UnansweredTurns   int                `json:"unanswered_turns"`
	AvgResponse       time.Duration      `json:"avg_response"`
	AvgResponseCapped time.Duration      `json:"avg_response_capped"`
	TurnsWithin       map[string]float64 `json:"turns_within"`

	// Resolved conversations: the denominator of resolution, FCR.
	Resolved         int           `json:"resolved"`
	ResolutionMedian time.Duration `json:"resolution_median"`
	// AHT is the mean handle time of the resolved conversations an agent
	// handled (Handled: handle time above zero).
	Handled int           `json:"handled"`
	AHT     time.Duration `json:"aht"`

	FCRCount int     `json:"fcr_count"`
	FCR      float64 `json:"fcr"` // FCRCount ÷ Resolved

	// Contacts with a resolved conversation, and those of them who opened
	// another within 7 days of one.
	ContactsResolved int     `json:"contacts_resolved"`
	RepeatContacts   int     `json:"repeat_contacts"`
	RepeatRate       float64 `json:"repeat_rate"`

	Escalated      int     `json:"escalated"`
	Transferred    int     `json:"transferred"`
	EscalationRate float64 `json:"escalation_rate"` // Escalated ÷ Conversations
	TransferRate   float64 `json:"transfer_rate"`   // Transferred ÷ Conversations

	SLATargets    int     `json:"sla_targets"`
	SLAMet        int     `json:"sla_met"`
	SLACompliance float64 `json:"sla_compliance"`

	CSATAnswers int     `json:"csat_answers"`
	CSAT        float64 `json:"csat"`      // top-2 box, 0 to 1
	CSATMean    float64 `json:"csat_mean"` // 1 to 5
	NPSAnswers  int     `json:"nps_answers"`
	NPS         float64 `json:"nps"` // points, −100 to 100

	BotStarted     int     `json:"bot_started"`
	BotContained   int     `json:"bot_contained"`
	BotContainment float64 `json:"bot_containment"`

	CustomerMessages int     `json:"customer_messages"`
	Covered3m        int     `json:"covered_3m"`
	Coverage3m       float64 `json:"coverage_3m"`
}

// Summarize returns the statistics over fs. It reads each fact once and
// sorts only the durations whose median or percentile it reports. Facts
// should be of distinct conversations.
func Summarize(fs []Facts) Summary {
	s := Summary{Conversations: len(fs), FRTWithin: map[string]float64{}, TurnsWithin: map[string]float64{}}
	frt := make([]time.Duration, 0, len(fs))
	var afterHandoff, reopenFRT, resolution []time.Duration
	var response, capped, handle mean
	within := make([]int, len(frtLimits))      // first responses
	turnsWithin := make([]int, len(frtLimits)) // turns
	var csatN, csatTop, csatSum, promoters, detractors int
	repeat := map[string]bool{} // contact → a repeat contact after a resolved conversation

	for i := range fs {
		f := &fs[i]
		if f.FirstResponseOwed {
			s.FRTOwed++
			if f.FirstResponse != nil {
				d := *f.FirstResponse
				frt = append(frt, d)
				for j, l := range frtLimits {
					if d <= l.limit {
						within[j]++
					}
				}
			}
		}
		if f.FirstResponseAfterHandoff != nil {
			afterHandoff = append(afterHandoff, *f.FirstResponseAfterHandoff)
		}
		for _, ep := range f.Episodes {
			if ep.Reopen && ep.HumanOwed {
				s.ReopenEpisodes++
				if ep.FirstResponse != nil {
					reopenFRT = append(reopenFRT, *ep.FirstResponse)
				}
			}
		}

		for _, d := range f.ResponseTimes {
			response.add(d)
			for j, l := range frtLimits {
				if d <= l.limit {
					turnsWithin[j]++
				}
			}
		}
		for _, d := range f.ResponseTimesCapped {
			capped.add(d)
		}
		s.Turns += len(f.ResponseTimes) + f.UnansweredTurns
		s.UnansweredTurns += f.UnansweredTurns

		if f.Resolved {
			s.Resolved++
			if f.Resolution != nil {
				resolution = append(resolution, *f.Resolution)
			}
			if f.Handle > 0 {
				handle.add(f.Handle)
			}
			if f.FCR != nil && *f.FCR {
				s.FCRCount++
			}
			key := f.ContactID
			if key == "" {
				key = "conversation:" + f.ConversationID // an unknown contact is its own
			}
			repeat[key] = repeat[key] || (f.RepeatContact != nil && *f.RepeatContact)
		}
		if f.Escalated {
			s.Escalated++
		}
		if f.Transferred {
			s.Transferred++
		}
		s.SLATargets += f.SLATargets
		s.SLAMet += f.SLAMet

		if f.CSAT != nil && *f.CSAT >= 1 && *f.CSAT <= 5 {
			csatN++
			csatSum += *f.CSAT
			if *f.CSAT >= 4 {
				csatTop++
			}
		}
		if f.NPS != nil && *f.NPS >= 0 && *f.NPS <= 10 {
			s.NPSAnswers++
			switch {
			case *f.NPS >= 9:
				promoters++
			case *f.NPS <= 6:
				detractors++
			}
		}
		if f.BotStarted {
			s.BotStarted++
			if f.BotContained {
				s.BotContained++
			}
		}
		s.CustomerMessages += f.CustomerMessages
		s.Covered3m += f.Coverage3m
	}

	slices.Sort(frt)
	s.FRTAnswered = len(frt)
	s.FRTMedian, s.FRTP90 = medianSorted(frt), percentileSorted(frt, 90)
	for j, l := range frtLimits {
		s.FRTWithin[l.key] = share(within[j], s.FRTOwed)
	}
	s.HandoffsAnswered = len(afterHandoff)
	s.FRTAfterHandoffMedian = Median(afterHandoff)
	s.ReopenEpisodesAnswered = len(reopenFRT)
	s.ReopenFRTMedian = Median(reopenFRT)

	s.AvgResponse, s.AvgResponseCapped = response.value(), capped.value()
	for j, l := range frtLimits {
		s.TurnsWithin[l.key] = share(turnsWithin[j], s.Turns)
	}
	s.ResolutionMedian = Median(resolution)
	s.Handled, s.AHT = int(handle.n), handle.value()
	s.FCR = share(s.FCRCount, s.Resolved)

	s.ContactsResolved = len(repeat)
	for _, r := range repeat {
		if r {
			s.RepeatContacts++
		}
	}
	s.RepeatRate = share(s.RepeatContacts, s.ContactsResolved)
	s.EscalationRate = share(s.Escalated, s.Conversations)
	s.TransferRate = share(s.Transferred, s.Conversations)
	s.SLACompliance = share(s.SLAMet, s.SLATargets)

	s.CSATAnswers = csatN
	s.CSAT = share(csatTop, csatN)
	if csatN > 0 {
		s.CSATMean = float64(csatSum) / float64(csatN)
	}
	s.NPS = nps(promoters, detractors, s.NPSAnswers)

	s.BotContainment = share(s.BotContained, s.BotStarted)
	s.Coverage3m = share(s.Covered3m, s.CustomerMessages)
	return s
}
