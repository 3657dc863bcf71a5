package reports

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"kefu"
	"kefu/kpi"
)

// Finding is one figure of a diagnosis against its target.
type Finding struct {
	KPI       string  `json:"kpi"`       // frt_median_minutes, fcr, repeat_rate, escalation_rate, csat, coverage_3m
	Value     float64 `json:"value"`     // minutes for FRT, a share for the rest
	Target    float64 `json:"target"`    // the workspace's target (settings)
	Reference string  `json:"reference"` // an industry reference, where one is known
	Met       bool    `json:"met"`
	Known     bool    `json:"known"` // false when nothing was measured (no denominator)
	// Features are the kefu features that address a missed target.
	Features []string `json:"features,omitempty"`
}

// Slot is a figure for one hour of the day or one intent.
type Slot struct {
	Key           string        `json:"key"` // "09" for 09:00–10:00, or an intent
	Conversations int           `json:"conversations"`
	FRTMedian     time.Duration `json:"frt_median"`
	FCR           float64       `json:"fcr"`
	Resolved      int           `json:"resolved"`
}

// Diagnosis is the baseline of a period (seed 000 phase 1, 客服诊断): the
// KPIs against the targets, the worst hours and intents, and what to use.
type Diagnosis struct {
	From, To   time.Time   `json:"-"`
	Summary    kpi.Summary `json:"summary"`
	Findings   []Finding   `json:"findings"`
	WorstHours []Slot      `json:"worst_hours"`   // by FRT median, slowest first (hours with at least 5 conversations)
	TopIntents []Slot      `json:"top_intents"`   // by volume
	WorstFCR   []Slot      `json:"worst_intents"` // by FCR, lowest first (intents with at least 5 resolved)
}

// features are what kefu offers against each missed target.
var features = map[string][]string{
	"frt_median_minutes": {"bot", "routing", "sla", "canned_replies", "staffing"},
	"fcr":                {"knowledge_base", "agent_assist", "orders_panel", "tasks"},
	"repeat_rate":        {"logistics_alerts", "returns", "knowledge_base", "surveys"},
	"escalation_rate":    {"rules", "agent_assist", "returns"},
	"csat":               {"surveys", "sla", "anger_detection", "routing"},
	"coverage_3m":        {"bot", "business_hours", "staffing"},
}

// Diagnose computes the diagnosis of the conversations a filter selects.
// Requires reports.view.
func (s *Service) Diagnose(ctx context.Context, f Filter, targets kefu.KPITargets, loc *time.Location) (Diagnosis, error) {
	d := Diagnosis{From: f.From, To: f.To}
	var byHour, byIntent []*totals
	var intents []string
	err := s.read(ctx, f, func(ix *index) error {
		d.Summary = ix.total(f).summary()
		clock := localClock{loc: loc}
		byHour = ix.group(f, 24, true, func(r *fact) int { return int(clock.secondOfDay(r.created) / 3600) })
		intents = slices.Clone(ix.dims[dimIntent].names)
		byIntent = ix.group(f, len(intents), true, func(r *fact) int { return int(r.dim[dimIntent]) })
		return nil
	})
	if err != nil {
		return d, err
	}
	m := d.Summary
	find := func(name string, value, target float64, higherBetter, known bool, reference string) {
		met := value <= target
		if higherBetter {
			met = value >= target
		}
		fd := Finding{KPI: name, Value: value, Target: target, Reference: reference, Met: met && known, Known: known}
		if known && !met {
			fd.Features = features[name]
		}
		d.Findings = append(d.Findings, fd)
	}
	find("frt_median_minutes", m.FRTMedian.Minutes(), targets.FRTMinutes, false, m.FRTAnswered > 0, "")
	find("fcr", m.FCR, targets.FCR, true, m.Resolved > 0, "SQM Group: 70–79 % good, ≥ 80 % world class; retail ≈ 78 %")
	find("repeat_rate", m.RepeatRate, targets.RepeatRate, false, m.ContactsResolved > 0, "")
	find("escalation_rate", m.EscalationRate, targets.EscalationRate, false, m.Conversations > 0, "")
	find("csat", m.CSAT, targets.CSAT, true, m.CSATAnswers > 0, "retail CSAT ≈ 81 %")
	find("coverage_3m", m.Coverage3m, targets.Coverage, true, m.CustomerMessages > 0, "")

	slot := func(key string, t *totals) Slot {
		sm := t.summary()
		return Slot{Key: key, Conversations: sm.Conversations, FRTMedian: sm.FRTMedian, FCR: sm.FCR, Resolved: sm.Resolved}
	}
	for h, g := range byHour {
		if g != nil && g.conversations >= 5 {
			d.WorstHours = append(d.WorstHours, slot(fmt.Sprintf("%02d", h), g))
		}
	}
	// Ties go by key, so the report reads the same every time.
	slices.SortFunc(d.WorstHours, func(a, b Slot) int { return cmp.Or(cmp.Compare(b.FRTMedian, a.FRTMedian), cmp.Compare(a.Key, b.Key)) })
	for intent, g := range byIntent {
		if g == nil {
			continue
		}
		sl := slot(cmp.Or(intents[intent], "other"), g)
		d.TopIntents = append(d.TopIntents, sl)
		if sl.Resolved >= 5 {
			d.WorstFCR = append(d.WorstFCR, sl)
		}
	}
	slices.SortFunc(d.TopIntents, func(a, b Slot) int { return cmp.Or(b.Conversations-a.Conversations, cmp.Compare(a.Key, b.Key)) })
	slices.SortFunc(d.WorstFCR, func(a, b Slot) int { return cmp.Or(cmp.Compare(a.FCR, b.FCR), cmp.Compare(a.Key, b.Key)) })
	d.WorstHours, d.TopIntents, d.WorstFCR = top(d.WorstHours, 5), top(d.TopIntents, 5), top(d.WorstFCR, 5)
	return d, nil
}

func top(s []Slot, n int) []Slot {
	if s == nil {
		return []Slot{}
	}
	return s[:min(n, len(s))]
}
