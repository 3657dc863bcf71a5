package reports

import (
	"math/bits"
	"slices"
	"time"

	"kefu/kpi"
	"kefu/store"
)

// numbers turns a conversation's facts into the columns a report sums.
// Durations that feed medians are kept in whole seconds (rounded down), so
// a report's medians and percentiles are exact to the second.
func numbers(f kpi.Facts) store.FactNumbers {
	secs := func(d *time.Duration) *int64 {
		if d == nil {
			return nil
		}
		s := int64(*d / time.Second)
		return &s
	}
	n := store.FactNumbers{FRTOwed: f.FirstResponseOwed, FRTSeconds: secs(f.FirstResponse), HandoffSeconds: secs(f.FirstResponseAfterHandoff),
		Resolved: f.Resolved, HandleMS: f.Handle.Milliseconds(), FCR: f.FCR, RepeatContact: f.RepeatContact,
		Transferred: f.Transferred, Escalated: f.Escalated, SLATargets: f.SLATargets, SLAMet: f.SLAMet, CSAT: f.CSAT, NPS: f.NPS,
		BotStarted: f.BotStarted, BotContained: f.BotContained, UnansweredTurns: f.UnansweredTurns,
		Turns: len(f.ResponseTimes) + f.UnansweredTurns, CustomerMessages: f.CustomerMessages, Covered3m: f.Coverage3m}
	if f.Resolved {
		n.ResolutionSeconds = secs(f.Resolution)
	}
	if f.FirstResponseOwed && f.FirstResponse != nil {
		n.FRT30s, n.FRT3m = *f.FirstResponse <= 30*time.Second, *f.FirstResponse <= 3*time.Minute
	}
	for _, ep := range f.Episodes {
		if ep.Reopen && ep.HumanOwed {
			n.ReopenOwed++
		}
	}
	for _, d := range f.ResponseTimes {
		n.ResponseSumMS += d.Milliseconds()
		n.ResponseN++
		if d <= 30*time.Second {
			n.Turns30s++
		}
		if d <= 3*time.Minute {
			n.Turns3m++
		}
	}
	for _, d := range f.ResponseTimesCapped {
		n.CappedSumMS += d.Milliseconds()
		n.CappedN++
	}
	return n
}

// totals adds up facts: sums and counts, the distinct contacts, and the
// frequencies of the durations whose medians are reported. Its summary is
// kpi.Summarize's over the same conversations, medians to the second.
type totals struct {
	conversations, frtOwed, frt30s, frt3m, reopenOwed, resolved, handled    int64
	handleMS, fcr, contactsResolved, repeatContacts, transferred, escalated int64
	slaTargets, slaMet, csatAnswers, csatTop, csatSum, npsAnswers           int64
	promoters, detractors, botStarted, botContained, turns, unanswered      int64
	responseSumMS, responseN, cappedSumMS, cappedN, turns30s, turns3m       int64
	customerMessages, covered3m                                             int64
	// In whole seconds: first responses, first responses after a handoff,
	// resolutions (of resolved conversations).
	frt, handoff, resolution seconds
	// lean totals keep the first responses' durations only: the trends'
	// and the diagnosis' slices show no other median.
	lean      bool
	reopenFRT []time.Duration
	// The contacts with a resolved conversation, and with a resolved one
	// followed by a repeat contact.
	resolvedContacts, repeatedContacts bitset
}

func newTotals() *totals {
	return &totals{}
}

// bitset is a set of small non-negative numbers.
type bitset []uint64

// add adds n and reports whether it was new.
func (b *bitset) add(n int32) bool {
	w := int(n / 64)
	if w >= len(*b) {
		*b = append(*b, make([]uint64, w+1-len(*b))...)
	}
	bit := uint64(1) << (n % 64)
	if (*b)[w]&bit != 0 {
		return false
	}
	(*b)[w] |= bit
	return true
}

// add counts one conversation's facts; reopens are its reopen episodes'
// first responses.
func (t *totals) add(r *fact, reopens []time.Duration) {
	t.conversations++
	count := func(on bool, n *int64) {
		if on {
			*n++
		}
	}
	count(r.is(fFRTOwed), &t.frtOwed)
	count(r.is(fFRT30s), &t.frt30s)
	count(r.is(fFRT3m), &t.frt3m)
	count(r.is(fTransferred), &t.transferred)
	count(r.is(fEscalated), &t.escalated)
	count(r.is(fBotStarted), &t.botStarted)
	count(r.is(fBotStarted) && r.is(fBotContained), &t.botContained)
	if r.is(fFRTOwed) && r.frt >= 0 {
		t.frt = append(t.frt, r.frt)
	}
	if r.handoff >= 0 && !t.lean {
		t.handoff = append(t.handoff, r.handoff)
	}
	if r.is(fResolved) {
		t.resolved++
		if r.resolution >= 0 && !t.lean {
			t.resolution = append(t.resolution, r.resolution)
		}
		if r.handleMS > 0 {
			t.handled++
			t.handleMS += r.handleMS
		}
		count(r.is(fFCRKnown) && r.is(fFCR), &t.fcr)
		// A conversation without a contact is a contact of its own.
		if r.contact < 0 || t.resolvedContacts.add(r.contact) {
			t.contactsResolved++
		}
		if r.is(fRepeatKnown) && r.is(fRepeat) && (r.contact < 0 || t.repeatedContacts.add(r.contact)) {
			t.repeatContacts++
		}
	}
	if r.csat >= 1 && r.csat <= 5 {
		t.csatAnswers++
		t.csatSum += int64(r.csat)
		count(r.csat >= 4, &t.csatTop)
	}
	if r.nps >= 0 && r.nps <= 10 {
		t.npsAnswers++
		count(r.nps >= 9, &t.promoters)
		count(r.nps <= 6, &t.detractors)
	}
	t.reopenOwed += int64(r.reopenOwed)
	t.slaTargets += int64(r.slaTargets)
	t.slaMet += int64(r.slaMet)
	t.turns += int64(r.turns)
	t.unanswered += int64(r.unanswered)
	t.responseSumMS += r.responseSumMS
	t.responseN += int64(r.responseN)
	t.cappedSumMS += r.cappedSumMS
	t.cappedN += int64(r.cappedN)
	t.turns30s += int64(r.turns30s)
	t.turns3m += int64(r.turns3m)
	t.customerMessages += int64(r.customerMessages)
	t.covered3m += int64(r.covered3m)
	t.reopenFRT = append(t.reopenFRT, reopens...)
}

// summary is the KPI summary of what was added.
func (t *totals) summary() kpi.Summary {
	share := func(n, d int64) float64 {
		if d == 0 {
			return 0
		}
		return float64(n) / float64(d)
	}
	// The mean of durations summed in milliseconds, to the nanosecond as
	// kpi's: sum·10⁶/n in 128 bits.
	mean := func(sumMS, n int64) time.Duration {
		if n <= 0 || sumMS <= 0 {
			return 0
		}
		hi, lo := bits.Mul64(uint64(sumMS), uint64(time.Millisecond))
		q, _ := bits.Div64(hi, lo, uint64(n))
		return time.Duration(q)
	}
	frt := t.frt.histogram()
	m := kpi.Summary{Conversations: int(t.conversations), FRTOwed: int(t.frtOwed), FRTAnswered: frt.Len(),
		FRTMedian: frt.Median(), FRTP90: frt.Percentile(90),
		FRTWithin:      map[string]float64{"30s": share(t.frt30s, t.frtOwed), "3m": share(t.frt3m, t.frtOwed)},
		ReopenEpisodes: int(t.reopenOwed), Turns: int(t.turns), UnansweredTurns: int(t.unanswered),
		AvgResponse: mean(t.responseSumMS, t.responseN), AvgResponseCapped: mean(t.cappedSumMS, t.cappedN),
		TurnsWithin: map[string]float64{"30s": share(t.turns30s, t.turns), "3m": share(t.turns3m, t.turns)},
		Resolved:    int(t.resolved), ResolutionMedian: t.resolution.histogram().Median(), Handled: int(t.handled), AHT: mean(t.handleMS, t.handled),
		FCRCount: int(t.fcr), FCR: share(t.fcr, t.resolved), ContactsResolved: int(t.contactsResolved), RepeatContacts: int(t.repeatContacts),
		RepeatRate: share(t.repeatContacts, t.contactsResolved), Escalated: int(t.escalated), Transferred: int(t.transferred),
		EscalationRate: share(t.escalated, t.conversations), TransferRate: share(t.transferred, t.conversations),
		SLATargets: int(t.slaTargets), SLAMet: int(t.slaMet), SLACompliance: share(t.slaMet, t.slaTargets),
		CSATAnswers: int(t.csatAnswers), CSAT: share(t.csatTop, t.csatAnswers), NPSAnswers: int(t.npsAnswers),
		BotStarted: int(t.botStarted), BotContained: int(t.botContained), BotContainment: share(t.botContained, t.botStarted),
		CustomerMessages: int(t.customerMessages), Covered3m: int(t.covered3m), Coverage3m: share(t.covered3m, t.customerMessages)}
	handoff := t.handoff.histogram()
	m.HandoffsAnswered, m.FRTAfterHandoffMedian = handoff.Len(), handoff.Median()
	if t.csatAnswers > 0 {
		m.CSATMean = float64(t.csatSum) / float64(t.csatAnswers)
	}
	if t.npsAnswers > 0 {
		m.NPS = 100 * float64(t.promoters-t.detractors) / float64(t.npsAnswers)
	}
	m.ReopenEpisodesAnswered, m.ReopenFRTMedian = len(t.reopenFRT), kpi.Median(t.reopenFRT)
	return m
}

// seconds are durations in whole seconds, not negative.
type seconds []int32

// histogram sorts the durations and counts each.
func (v seconds) histogram() *kpi.Histogram {
	v.sort()
	h := &kpi.Histogram{}
	for i, x := range v {
		if i > 0 && x == v[i-1] {
			h.Counts[len(h.Counts)-1]++
			continue
		}
		h.Values = append(h.Values, time.Duration(x)*time.Second)
		h.Counts = append(h.Counts, 1)
	}
	return h
}

// sort sorts large slices by two 16-bit counting passes, linear in their
// length: a year's million first responses in milliseconds, where a
// comparison sort takes about ten times longer.
func (v seconds) sort() {
	if len(v) < 1<<14 {
		slices.Sort(v)
		return
	}
	src, dst := v, make(seconds, len(v))
	for shift := 0; shift < 32; shift += 16 {
		var at [1 << 16]int
		for _, x := range src {
			at[x>>shift&0xffff]++
		}
		sum := 0
		for i, n := range at {
			at[i], sum = sum, sum+n
		}
		for _, x := range src {
			k := x >> shift & 0xffff
			dst[at[k]] = x
			at[k]++
		}
		src, dst = dst, src
	}
}
