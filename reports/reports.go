// Package reports computes kefu's KPIs (package kpi, definitions in
// docs/kpi.md) over conversations: each conversation's facts are computed
// from its timeline when it changes and stored, and a report filters and
// summarizes the stored facts. Every figure drills down to the
// conversations behind it, and exports as CSV.
package reports

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"
	"time"

	"kefu"
	"kefu/kpi"
	"kefu/sla"
	"kefu/staffing"
	"kefu/store"
)

// Service computes reports.
type Service struct {
	DB    *store.DB
	SLA   *sla.Service
	Clock kefu.Clock
	Log   *slog.Logger

	mu    sync.Mutex
	since time.Time // conversations changed before this have their facts
}

// Skew is how far back a refresh looks again before the last change it
// saw: another node's clock, or a transaction that committed late, may have
// stamped a change a little earlier.
const Skew = 5 * time.Minute

// RefreshBatch bounds the facts recomputed before a report answers; the
// background job catches up with the rest.
const RefreshBatch = 2000

// Refresh recomputes the facts of up to limit conversations changed since
// their facts were taken. It returns how many it recomputed.
func (s *Service) Refresh(ctx context.Context, limit int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Read the latest change first: what changes after it is found next time.
	last, err := s.DB.LastConversationChange(ctx)
	if err != nil {
		return 0, err
	}
	ids, _, err := s.DB.StaleFacts(ctx, s.since, limit)
	if err != nil {
		return 0, err
	}
	defer func() {
		if len(ids) < limit { // caught up: next time start just before the latest change
			if next := last.Add(-Skew); next.After(s.since) {
				s.since = next
			}
		}
	}()
	policies, err := s.DB.SLAPolicies(ctx)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := s.compute(ctx, id, policies); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

func (s *Service) compute(ctx context.Context, id string, policies []kefu.SLAPolicy) error {
	c, err := s.DB.Conversation(ctx, id)
	if err != nil {
		return err
	}
	msgs, err := s.DB.Messages(ctx, id, 0, 100000, true)
	if err != nil {
		return err
	}
	events, err := s.DB.Events(ctx, id)
	if err != nil {
		return err
	}
	cal, err := s.SLA.Calendar(ctx, c.TeamID)
	if err != nil {
		return err
	}
	later, err := s.DB.LaterConversations(ctx, c.ContactID, c.CreatedAt)
	if err != nil {
		return err
	}
	t := kpi.Timeline{Conversation: c, Messages: msgs, Events: events, Calendar: cal, Now: s.Clock.Now()}
	for _, r := range later {
		t.Later = append(t.Later, kpi.Ref{ID: r.ID, CreatedAt: r.CreatedAt, Intent: r.Intent})
	}
	for i := range policies {
		if policies[i].ID == c.SLAPolicyID {
			t.SLAPolicy = &policies[i]
		}
	}
	if row, err := s.DB.Contact(ctx, c.ContactID); err == nil {
		t.ContactTier = row.Attributes["vip_tier"]
	}
	f := kpi.Compute(t)
	data, _ := json.Marshal(f)
	return s.DB.InTx(ctx, func(q *store.Queries) error {
		if err := q.PutFacts(ctx, store.FactsRow{ConversationID: c.ID, ContactID: c.ContactID, CreatedAt: c.CreatedAt, Channel: c.Channel,
			TeamID: c.TeamID, AssigneeID: c.AssigneeID, Intent: c.Intent, ContactTier: t.ContactTier, Data: string(data),
			SourceUpdatedAt: c.UpdatedAt, Numbers: numbers(f)}, s.Clock.Now()); err != nil {
			return err
		}
		// This conversation may turn the contact's earlier ones into repeat
		// contacts and cost them their first-contact resolution.
		return q.MarkFactsStale(ctx, c.ContactID, c.CreatedAt.Add(-8*24*time.Hour), c.CreatedAt)
	})
}

// Filter selects the conversations of a report: created in [From, To),
// and optionally of one channel, team, agent, intent or contact tier.
type Filter = store.FactsFilter

// checkPeriod refuses an empty or over-long period.
func checkPeriod(f Filter) error {
	if !f.To.After(f.From) {
		return kefu.Invalid("to", "The end of the period comes after its start.")
	}
	if f.To.Sub(f.From) > 400*24*time.Hour {
		return kefu.Invalid("to", "Report at most 400 days at once.")
	}
	return nil
}

// facts refreshes what changed and returns the facts a filter selects.
func (s *Service) facts(ctx context.Context, f Filter) ([]kpi.Facts, error) {
	if _, err := kefu.Require(ctx, kefu.PermReportsView); err != nil {
		return nil, err
	}
	if err := checkPeriod(f); err != nil {
		return nil, err
	}
	if _, err := s.Refresh(ctx, RefreshBatch); err != nil {
		return nil, err
	}
	raw, err := s.DB.Facts(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]kpi.Facts, 0, len(raw))
	for _, r := range raw {
		var x kpi.Facts
		if err := json.Unmarshal([]byte(r), &x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// KPI summarizes the conversations a filter selects, adding up their facts
// in the database. Requires reports.view.
func (s *Service) KPI(ctx context.Context, f Filter) (kpi.Summary, error) {
	return s.summary(ctx, f)
}

// Measures are the figures a report drills into: each selects the
// conversations behind one number.
var Measures = map[string]func(kpi.Facts) bool{
	"all":        func(f kpi.Facts) bool { return true },
	"frt_missed": func(f kpi.Facts) bool { return f.FirstResponseOwed && f.FirstResponse == nil },
	"frt_over_3m": func(f kpi.Facts) bool {
		return f.FirstResponseOwed && (f.FirstResponse == nil || *f.FirstResponse > 3*time.Minute)
	},
	"unresolved":        func(f kpi.Facts) bool { return !f.Resolved },
	"not_fcr":           func(f kpi.Facts) bool { return f.FCR != nil && !*f.FCR },
	"repeat_contact":    func(f kpi.Facts) bool { return f.RepeatContact != nil && *f.RepeatContact },
	"transferred":       func(f kpi.Facts) bool { return f.Transferred },
	"escalated":         func(f kpi.Facts) bool { return f.Escalated },
	"sla_missed":        func(f kpi.Facts) bool { return f.SLAMet < f.SLATargets },
	"csat_low":          func(f kpi.Facts) bool { return f.CSAT != nil && *f.CSAT <= 3 },
	"nps_detractor":     func(f kpi.Facts) bool { return f.NPS != nil && *f.NPS <= 6 },
	"bot_contained":     func(f kpi.Facts) bool { return f.BotContained },
	"bot_not_contained": func(f kpi.Facts) bool { return f.BotStarted && !f.BotContained },
	"unanswered_turns":  func(f kpi.Facts) bool { return f.UnansweredTurns > 0 },
	"coverage_missed":   func(f kpi.Facts) bool { return f.Coverage3m < f.CustomerMessages },
}

// Drill lists the facts of the conversations behind a measure, newest
// first, at most limit. Requires reports.view.
func (s *Service) Drill(ctx context.Context, f Filter, measure string, limit int) ([]kpi.Facts, int, error) {
	pick, ok := Measures[measure]
	if !ok {
		return nil, 0, kefu.Invalid("measure", "Unknown measure %q.", measure)
	}
	fs, err := s.facts(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	var out []kpi.Facts
	total := 0
	for i := len(fs) - 1; i >= 0; i-- {
		if pick(fs[i]) {
			total++
			if len(out) < limit {
				out = append(out, fs[i])
			}
		}
	}
	if out == nil {
		out = []kpi.Facts{}
	}
	return out, total, nil
}

// Rows returns every selected conversation's facts, oldest first, for the
// per-conversation export. Requires reports.view.
func (s *Service) Rows(ctx context.Context, f Filter) ([]kpi.Facts, error) {
	return s.facts(ctx, f)
}

// AgentRow is one agent's figures over a period.
type AgentRow struct {
	AgentID string      `json:"agent_id"`
	Summary kpi.Summary `json:"summary"`
}

// ByAgent summarizes the selected conversations per assigned agent ("" for
// those no agent had). Requires reports.view.
func (s *Service) ByAgent(ctx context.Context, f Filter) ([]AgentRow, error) {
	fs, err := s.facts(ctx, f)
	if err != nil {
		return nil, err
	}
	groups := map[string][]kpi.Facts{}
	var order []string
	for _, x := range fs {
		if _, ok := groups[x.AssigneeID]; !ok {
			order = append(order, x.AssigneeID)
		}
		groups[x.AssigneeID] = append(groups[x.AssigneeID], x)
	}
	slices.Sort(order)
	out := make([]AgentRow, 0, len(order))
	for _, id := range order {
		out = append(out, AgentRow{AgentID: id, Summary: kpi.Summarize(groups[id])})
	}
	return out, nil
}

// StaffingInput asks for an Erlang C staffing plan over a typical day.
type StaffingInput struct {
	Filter
	Multiplier   float64       // 3 for a promotion day (大促); 0 means 1
	AHT          time.Duration // 0: the period's measured AHT, else 5 minutes
	Concurrency  int           // chats one agent handles at once; 0 means 1
	ServiceLevel float64       // e.g. 0.9
	Within       time.Duration // e.g. 3 minutes
	Shrinkage    float64       // breaks, meetings: 0–0.9
}

// Staffing is a plan per 30-minute interval of a typical day: the average
// arrivals of that interval over the days of the period, scaled, and the
// agents Erlang C says are needed.
type Staffing struct {
	Days  int             `json:"days"`
	AHT   time.Duration   `json:"aht"`
	Plans []staffing.Plan `json:"plans"`
}

// PlanInterval is the length of a staffing interval.
const PlanInterval = 30 * time.Minute

// Staffing plans agents for a typical day from the period's arrivals.
// Requires reports.view.
func (s *Service) Staffing(ctx context.Context, in StaffingInput, loc *time.Location) (Staffing, error) {
	switch {
	case in.ServiceLevel <= 0 || in.ServiceLevel >= 1:
		return Staffing{}, kefu.Invalid("service_level", "Give the share answered in time, between 0 and 1 (e.g. 0.9).")
	case in.Within <= 0:
		return Staffing{}, kefu.Invalid("within", "Give the answer time target, e.g. 180 seconds.")
	case in.Multiplier < 0 || in.Multiplier > 20:
		return Staffing{}, kefu.Invalid("multiplier", "Scale the volume by 0 to 20 (3 for a promotion day).")
	case in.Shrinkage < 0 || in.Shrinkage > 0.9:
		return Staffing{}, kefu.Invalid("shrinkage", "Shrinkage is between 0 and 0.9.")
	case in.Concurrency < 0 || in.Concurrency > 20:
		return Staffing{}, kefu.Invalid("concurrency", "An agent handles 1 to 20 chats at once.")
	}
	fs, err := s.facts(ctx, in.Filter)
	if err != nil {
		return Staffing{}, err
	}
	days := max(1, int(in.To.Sub(in.From).Hours()/24+0.5))
	aht := in.AHT
	if aht == 0 {
		if aht = kpi.Summarize(fs).AHT; aht == 0 {
			aht = 5 * time.Minute
		}
	}
	slots := int(24 * time.Hour / PlanInterval)
	counts := make([]float64, slots)
	for _, f := range fs {
		t := f.CreatedAt.In(loc)
		counts[(t.Hour()*60+t.Minute())/int(PlanInterval/time.Minute)]++
	}
	day := time.Date(2000, 1, 1, 0, 0, 0, 0, loc)
	intervals := make([]staffing.Interval, slots)
	for i := range slots {
		intervals[i] = staffing.Interval{Start: day.Add(time.Duration(i) * PlanInterval), Contacts: counts[i] / float64(days)}
	}
	plans := staffing.Staff(intervals, PlanInterval, aht, max(1, in.Concurrency), in.Multiplier,
		staffing.Target{ServiceLevel: in.ServiceLevel, Within: in.Within, Shrinkage: in.Shrinkage})
	return Staffing{Days: days, AHT: aht, Plans: plans}, nil
}

// StoreFacts stores computed facts as they are for a conversation changed
// at updatedAt: for imports of pre-computed facts and for tests.
func StoreFacts(ctx context.Context, q *store.Queries, f kpi.Facts, updatedAt time.Time) error {
	data, _ := json.Marshal(f)
	return q.PutFacts(ctx, store.FactsRow{ConversationID: f.ConversationID, ContactID: f.ContactID, CreatedAt: f.CreatedAt, Channel: f.Channel,
		TeamID: f.TeamID, AssigneeID: f.AssigneeID, Intent: f.Intent, ContactTier: f.ContactTier, Data: string(data),
		SourceUpdatedAt: updatedAt, Numbers: numbers(f)}, updatedAt)
}
