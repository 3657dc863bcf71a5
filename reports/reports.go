// Package reports computes kefu's KPIs (package kpi, definitions in
// docs/kpi.md) over conversations: each conversation's facts are computed
// from its timeline when it changes and stored; an in-memory index of the
// stored facts' numbers answers the reports. Every figure drills down to
// the conversations behind it, and exports as CSV.
package reports

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
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
	ix    index
}

// Skew is how far back a refresh looks again before the last change it
// saw: another node's clock, or a transaction that committed late, may have
// stamped a change a little earlier.
const Skew = 5 * time.Minute

// RefreshBatch bounds the facts recomputed before a report answers; the
// background job catches up with the rest.
const RefreshBatch = 2000

// Refresh recomputes the facts of up to limit conversations changed since
// their facts were taken, and reads the facts computed since the last look
// (on any node) into the index. It returns how many it recomputed. The
// first call loads the whole index.
func (s *Service) Refresh(ctx context.Context, limit int) (int, error) {
	n, err := s.recompute(ctx, limit)
	if err != nil {
		return n, err
	}
	return n, s.ix.refresh(ctx, s.DB)
}

func (s *Service) recompute(ctx context.Context, limit int) (int, error) {
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
			TeamID: c.TeamID, AssigneeID: c.AssigneeID, Intent: c.Intent, ContactTier: t.ContactTier, ComplaintCategory: c.ComplaintCategory,
			Data: string(data), SourceUpdatedAt: c.UpdatedAt, Numbers: numbers(f)}, s.Clock.Now()); err != nil {
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

// prepare checks the reader and the period and brings the facts and the
// index up to date.
func (s *Service) prepare(ctx context.Context, f Filter) error {
	if _, err := kefu.Require(ctx, kefu.PermReportsView); err != nil {
		return err
	}
	if err := checkPeriod(f); err != nil {
		return err
	}
	_, err := s.Refresh(ctx, RefreshBatch)
	return err
}

// read prepares a report and calls fn with the index read-locked.
func (s *Service) read(ctx context.Context, f Filter, fn func(ix *index) error) error {
	if err := s.prepare(ctx, f); err != nil {
		return err
	}
	s.ix.mu.RLock()
	defer s.ix.mu.RUnlock()
	return fn(&s.ix)
}

// add counts a fact into totals with its reopen episodes.
func (ix *index) add(t *totals, r *fact) {
	var reopens []time.Duration
	if r.reopenOwed > 0 {
		reopens = ix.reopens[r.id]
	}
	t.add(r, reopens)
}

// total adds up the facts a filter selects.
func (ix *index) total(f Filter) *totals {
	t := newTotals()
	ix.each(f, func(r *fact) { ix.add(t, r) })
	return t
}

// KPI summarizes the conversations a filter selects. Requires reports.view.
func (s *Service) KPI(ctx context.Context, f Filter) (kpi.Summary, error) {
	var m kpi.Summary
	err := s.read(ctx, f, func(ix *index) error {
		m = ix.total(f).summary()
		return nil
	})
	return m, err
}

// Measures are the figures a report drills into: each selects the
// conversations behind one number.
var Measures = map[string]func(*fact) bool{
	"all":               func(f *fact) bool { return true },
	"frt_missed":        func(f *fact) bool { return f.is(fFRTOwed) && f.frt < 0 },
	"frt_over_3m":       func(f *fact) bool { return f.is(fFRTOwed) && !f.is(fFRT3m) },
	"unresolved":        func(f *fact) bool { return !f.is(fResolved) },
	"not_fcr":           func(f *fact) bool { return f.is(fFCRKnown) && !f.is(fFCR) },
	"repeat_contact":    func(f *fact) bool { return f.is(fRepeatKnown) && f.is(fRepeat) },
	"transferred":       func(f *fact) bool { return f.is(fTransferred) },
	"escalated":         func(f *fact) bool { return f.is(fEscalated) },
	"sla_missed":        func(f *fact) bool { return f.slaMet < f.slaTargets },
	"csat_low":          func(f *fact) bool { return f.csat >= 1 && f.csat <= 3 },
	"nps_detractor":     func(f *fact) bool { return f.nps >= 0 && f.nps <= 6 },
	"bot_contained":     func(f *fact) bool { return f.is(fBotContained) },
	"bot_not_contained": func(f *fact) bool { return f.is(fBotStarted) && !f.is(fBotContained) },
	"unanswered_turns":  func(f *fact) bool { return f.unanswered > 0 },
	"coverage_missed":   func(f *fact) bool { return f.covered3m < f.customerMessages },
}

// Drill lists the facts of the conversations behind a measure, newest
// first, at most limit, and how many there are. Requires reports.view.
func (s *Service) Drill(ctx context.Context, f Filter, measure string, limit int) ([]kpi.Facts, int, error) {
	pick, ok := Measures[measure]
	if !ok {
		return nil, 0, kefu.Invalid("measure", "Unknown measure %q.", measure)
	}
	var ids []string
	total := 0
	err := s.read(ctx, f, func(ix *index) error {
		ix.eachNewest(f, func(r *fact) bool {
			if pick(r) {
				total++
				if len(ids) < limit {
					ids = append(ids, ix.conversationID(r.id))
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	data, err := s.DB.FactsData(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	out := make([]kpi.Facts, 0, len(ids))
	for _, id := range ids {
		raw, ok := data[id]
		if !ok {
			continue // gone between the index and the database: rare, and nothing to show
		}
		var x kpi.Facts
		if err := json.Unmarshal([]byte(raw), &x); err != nil {
			return nil, 0, fmt.Errorf("reports: facts of %s: %w", id, err)
		}
		out = append(out, x)
	}
	return out, total, nil
}

// EachRow calls fn with every selected conversation's facts, oldest
// first, as they are read: the per-conversation export of a year streams
// rather than holding a million facts. Requires reports.view.
func (s *Service) EachRow(ctx context.Context, f Filter, fn func(kpi.Facts) error) error {
	if err := s.prepare(ctx, f); err != nil {
		return err
	}
	return s.DB.EachFactsData(ctx, f, func(data string) error {
		var x kpi.Facts
		if err := json.Unmarshal([]byte(data), &x); err != nil {
			return err
		}
		return fn(x)
	})
}

// AgentRow is one agent's figures over a period.
type AgentRow struct {
	AgentID string      `json:"agent_id"`
	Summary kpi.Summary `json:"summary"`
}

// TeamRow is one team's figures over a period.
type TeamRow struct {
	TeamID  string      `json:"team_id"`
	Summary kpi.Summary `json:"summary"`
}

// ByAgent summarizes the selected conversations per assigned agent ("" for
// those no agent had). Requires reports.view.
func (s *Service) ByAgent(ctx context.Context, f Filter) ([]AgentRow, error) {
	out := []AgentRow{}
	err := s.breakdown(ctx, f, dimAgent, func(id string, m kpi.Summary) { out = append(out, AgentRow{AgentID: id, Summary: m}) })
	return out, err
}

// ByTeam summarizes the selected conversations per team ("" for those
// without one). Requires reports.view.
func (s *Service) ByTeam(ctx context.Context, f Filter) ([]TeamRow, error) {
	out := []TeamRow{}
	err := s.breakdown(ctx, f, dimTeam, func(id string, m kpi.Summary) { out = append(out, TeamRow{TeamID: id, Summary: m}) })
	return out, err
}

// breakdown summarizes the selected conversations per value of a
// dimension, in the order of the values.
func (s *Service) breakdown(ctx context.Context, f Filter, d int, row func(string, kpi.Summary)) error {
	return s.read(ctx, f, func(ix *index) error {
		names := ix.dims[d].names
		groups := ix.group(f, len(names), false, func(r *fact) int { return int(r.dim[d]) })
		order := make([]int, 0, len(groups))
		for i, t := range groups {
			if t != nil {
				order = append(order, i)
			}
		}
		slices.SortFunc(order, func(a, b int) int { return strings.Compare(names[a], names[b]) })
		for _, i := range order {
			row(names[i], groups[i].summary())
		}
		return nil
	})
}

// group adds up the facts a filter selects per key, a number from 0 to
// n-1; the keys no fact had are nil. Lean groups have the medians of first
// responses only.
func (ix *index) group(f Filter, n int, lean bool, key func(*fact) int) []*totals {
	groups := make([]*totals, n)
	ix.each(f, func(r *fact) {
		k := key(r)
		if groups[k] == nil {
			groups[k] = &totals{lean: lean}
		}
		ix.add(groups[k], r)
	})
	return groups
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
	slots := int(24 * time.Hour / PlanInterval)
	counts := make([]float64, slots)
	var measured time.Duration
	err := s.read(ctx, in.Filter, func(ix *index) error {
		t, clock := newTotals(), localClock{loc: loc}
		ix.each(in.Filter, func(r *fact) {
			ix.add(t, r)
			counts[clock.secondOfDay(r.created)/int64(PlanInterval/time.Second)]++
		})
		measured = t.summary().AHT
		return nil
	})
	if err != nil {
		return Staffing{}, err
	}
	days := max(1, int(in.To.Sub(in.From).Hours()/24+0.5))
	aht := in.AHT
	if aht == 0 {
		if aht = measured; aht == 0 {
			aht = 5 * time.Minute
		}
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
