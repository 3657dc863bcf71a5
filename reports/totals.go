package reports

import (
	"context"
	"encoding/json"
	"math/bits"
	"slices"
	"time"

	"kefu"
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

// summary builds the KPI summary from the database's totals: the same
// figures as kpi.Summarize over the facts, with medians to the second.
func (s *Service) summary(ctx context.Context, f Filter) (kpi.Summary, error) {
	if _, err := kefu.Require(ctx, kefu.PermReportsView); err != nil {
		return kpi.Summary{}, err
	}
	if err := checkPeriod(f); err != nil {
		return kpi.Summary{}, err
	}
	if _, err := s.Refresh(ctx, RefreshBatch); err != nil {
		return kpi.Summary{}, err
	}
	t, err := s.DB.SummarizeFacts(ctx, f)
	if err != nil {
		return kpi.Summary{}, err
	}
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
	frt := histogram(t.FRT)
	m := kpi.Summary{Conversations: int(t.Conversations), FRTOwed: int(t.FRTOwed), FRTAnswered: frt.Len(),
		FRTMedian: frt.Median(), FRTP90: frt.Percentile(90),
		FRTWithin:      map[string]float64{"30s": share(t.FRT30s, t.FRTOwed), "3m": share(t.FRT3m, t.FRTOwed)},
		ReopenEpisodes: int(t.ReopenOwed), Turns: int(t.Turns), UnansweredTurns: int(t.Unanswered),
		AvgResponse: mean(t.ResponseSumMS, t.ResponseN), AvgResponseCapped: mean(t.CappedSumMS, t.CappedN),
		TurnsWithin: map[string]float64{"30s": share(t.Turns30s, t.Turns), "3m": share(t.Turns3m, t.Turns)},
		Resolved:    int(t.Resolved), ResolutionMedian: histogram(t.Resolution).Median(), Handled: int(t.Handled), AHT: mean(t.HandleMS, t.Handled),
		FCRCount: int(t.FCR), FCR: share(t.FCR, t.Resolved), ContactsResolved: int(t.ContactsResolved), RepeatContacts: int(t.RepeatContacts),
		RepeatRate: share(t.RepeatContacts, t.ContactsResolved), Escalated: int(t.Escalated), Transferred: int(t.Transferred),
		EscalationRate: share(t.Escalated, t.Conversations), TransferRate: share(t.Transferred, t.Conversations),
		SLATargets: int(t.SLATargets), SLAMet: int(t.SLAMet), SLACompliance: share(t.SLAMet, t.SLATargets),
		CSATAnswers: int(t.CSATAnswers), CSAT: share(t.CSATTop, t.CSATAnswers), NPSAnswers: int(t.NPSAnswers),
		BotStarted: int(t.BotStarted), BotContained: int(t.BotContained), BotContainment: share(t.BotContained, t.BotStarted),
		CustomerMessages: int(t.CustomerMessages), Covered3m: int(t.Covered3m), Coverage3m: share(t.Covered3m, t.CustomerMessages)}
	handoff := histogram(t.Handoff)
	m.HandoffsAnswered, m.FRTAfterHandoffMedian = handoff.Len(), handoff.Median()
	if t.CSATAnswers > 0 {
		m.CSATMean = float64(t.CSATSum) / float64(t.CSATAnswers)
	}
	if t.NPSAnswers > 0 {
		m.NPS = 100 * float64(t.Promoters-t.Detractors) / float64(t.NPSAnswers)
	}
	// Reopen episodes are few: their first responses come from the facts.
	reopened, err := s.DB.ReopenedFacts(ctx, f)
	if err != nil {
		return m, err
	}
	var reopenFRT []time.Duration
	for _, raw := range reopened {
		var x kpi.Facts
		if err := json.Unmarshal([]byte(raw), &x); err != nil {
			return m, err
		}
		for _, ep := range x.Episodes {
			if ep.Reopen && ep.HumanOwed && ep.FirstResponse != nil {
				reopenFRT = append(reopenFRT, *ep.FirstResponse)
			}
		}
	}
	m.ReopenEpisodesAnswered, m.ReopenFRTMedian = len(reopenFRT), kpi.Median(reopenFRT)
	return m, nil
}

// histogram turns a frequency table of whole seconds into a kpi.Histogram.
func histogram(freq map[int64]int64) *kpi.Histogram {
	keys := make([]int64, 0, len(freq))
	for k := range freq {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	h := &kpi.Histogram{}
	for _, k := range keys {
		h.Values = append(h.Values, time.Duration(k)*time.Second)
		h.Counts = append(h.Counts, freq[k])
	}
	return h
}
