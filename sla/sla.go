// Package sla keeps each conversation's SLA clock: which policy applies,
// when its first response, next response and resolution are due in the
// team's business time, and what happens at the warning and the breach. One
// timer per conversation waits for the next of those moments (package
// deadline), so 100,000 open conversations cost no CPU while nothing is due.
package sla

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"
	"time"

	"kefu"
	"kefu/calendar"
	"kefu/deadline"
	"kefu/inbox"
	"kefu/store"
)

// Escalator is how SLA events name kefu as their actor.
const Escalator = "SLA"

// Service runs the SLA clocks.
type Service struct {
	DB    *store.DB
	Inbox *inbox.Service
	Clock kefu.Clock
	Log   *slog.Logger

	timers *deadline.Scheduler

	mu       sync.Mutex
	cals     map[string]compiledCalendar // by calendar id; "" is the default
	teamCals map[string]cachedCalendar   // by team id: its resolved calendar
	pols     *cachedPolicies
}

// configTTL is how long the SLA clock trusts its copy of the policies and
// of each team's calendar: it runs on every customer message, and these
// change rarely. Changes made through this node clear the copy at once;
// another node's are seen within this long.
const configTTL = 30 * time.Second

type cachedCalendar struct {
	at  time.Time
	cal *calendar.Compiled
}

type cachedPolicies struct {
	at   time.Time
	list []kefu.SLAPolicy
}

// policies returns the SLA policies, from the copy when it is fresh.
func (s *Service) policies(ctx context.Context) ([]kefu.SLAPolicy, error) {
	s.mu.Lock()
	p := s.pols
	s.mu.Unlock()
	if p != nil && time.Since(p.at) < configTTL {
		return p.list, nil
	}
	list, err := s.DB.SLAPolicies(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.pols = &cachedPolicies{at: time.Now(), list: list}
	s.mu.Unlock()
	return list, nil
}

// forget drops the copies after a change made through this node.
func (s *Service) forget() {
	s.mu.Lock()
	s.pols, s.teamCals = nil, nil
	s.mu.Unlock()
}

type compiledCalendar struct {
	id      string
	updated time.Time
	cal     *calendar.Compiled
}

// Start sets the timers of every running clock and starts them. Marks due
// while kefu was down fire at once.
func (s *Service) Start(ctx context.Context) error {
	s.timers = deadline.New(s.Clock.Now, func(id string, _ time.Time) {
		if err := s.fire(context.WithoutCancel(ctx), id); err != nil {
			s.Log.Error("SLA timer failed", "conversation", id, "err", err)
		}
	})
	clocks, err := s.DB.SLAClocks(ctx)
	if err != nil {
		return err
	}
	policies, err := s.policies(ctx)
	if err != nil {
		return err
	}
	cals := map[string]*calendar.Compiled{}
	for _, c := range clocks {
		cal, ok := cals[c.TeamID]
		if !ok {
			if cal, err = s.calendar(ctx, c.TeamID); err != nil {
				return err
			}
			cals[c.TeamID] = cal
		}
		s.scheduleMarks(c, policies, cal)
	}
	s.timers.Start()
	return nil
}

// Stop stops the timers.
func (s *Service) Stop() { s.timers.Stop() }

// RunDue fires the marks due now: for tests with a fixed clock.
func (s *Service) RunDue() int { return s.timers.RunDue() }

// Timers is how many conversations have an SLA timer set.
func (s *Service) Timers() int {
	if s.timers == nil {
		return 0
	}
	return s.timers.Len()
}

// ConversationChanged is the inbox observer: it records marks passed before
// the change (a late first reply is a breach even if the timer had not
// fired yet), re-chooses the policy when priority, team or channel changed,
// advances the clock and sets the timer.
func (s *Service) ConversationChanged(ctx context.Context, ch inbox.Change) bool {
	if ch.Before == nil {
		return false // bot answers and intents do not move the clock
	}
	ctx = kefu.NewContext(ctx, kefu.SystemActor(Escalator))
	republished, err := s.changed(ctx, *ch.Before, ch.After)
	if err != nil {
		s.Log.Error("SLA clock not updated", "conversation", ch.After.ID, "err", err)
	}
	return republished
}

func (s *Service) changed(ctx context.Context, before, after kefu.Conversation) (bool, error) {
	now := s.Clock.Now().Truncate(time.Millisecond)
	policies, cal, err := s.rules(ctx, after.TeamID)
	if err != nil {
		return false, err
	}
	// Marks passed under the old state count first.
	if _, err := s.record(ctx, after, policyByID(policies, after.SLAPolicyID), cal, now); err != nil {
		return false, err
	}
	fresh, err := s.DB.Conversation(ctx, after.ID)
	if err != nil {
		return false, err
	}
	p := policyByID(policies, fresh.SLAPolicyID)
	if !fresh.SLAPolicyPinned && (p == nil || before.Priority != fresh.Priority || before.TeamID != fresh.TeamID || before.ID == "") {
		p = Choose(policies, fresh)
	}
	next := Advance(fresh, p, cal, now)
	if sameClock(fresh, next) {
		return false, s.schedule(ctx, next)
	}
	if _, err := s.DB.SetSLA(ctx, next, nil); err != nil {
		return false, err
	}
	if err := s.schedule(ctx, next); err != nil {
		return false, err
	}
	// The observers after this one see the clock set (routing orders the
	// queue by it); before is the caller's, so they see the real change.
	_, err = s.Inbox.Changed(ctx, next.ID, before)
	return true, err
}

// Choose returns the first policy (by position) that matches, or nil.
func Choose(policies []kefu.SLAPolicy, c kefu.Conversation) *kefu.SLAPolicy {
	for i := range policies {
		if policies[i].Matches(c) {
			return &policies[i]
		}
	}
	return nil
}

func policyByID(policies []kefu.SLAPolicy, id string) *kefu.SLAPolicy {
	i := slices.IndexFunc(policies, func(p kefu.SLAPolicy) bool { return p.ID == id })
	if i < 0 {
		return nil
	}
	return &policies[i]
}

func sameTime(a, b *time.Time) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Equal(*b))
}

func sameClock(a, b kefu.Conversation) bool {
	return a.SLAPolicyID == b.SLAPolicyID && sameTime(a.FirstResponseDue, b.FirstResponseDue) &&
		sameTime(a.NextResponseDue, b.NextResponseDue) && sameTime(a.ResolutionDue, b.ResolutionDue) &&
		sameTime(a.SLARunningSince, b.SLARunningSince) && a.SLAUsed == b.SLAUsed && slices.Equal(a.SLAFired, b.SLAFired)
}

// schedule sets the conversation's timer to its next mark, or clears it.
func (s *Service) schedule(ctx context.Context, c kefu.Conversation) error {
	if s.timers == nil {
		return nil
	}
	policies, cal, err := s.rules(ctx, c.TeamID)
	if err != nil {
		return err
	}
	s.scheduleMarks(c, policies, cal)
	return nil
}

// rules returns the SLA policies and the calendar of a team's business
// hours, which together decide a conversation's marks.
func (s *Service) rules(ctx context.Context, teamID string) ([]kefu.SLAPolicy, *calendar.Compiled, error) {
	policies, err := s.policies(ctx)
	if err != nil {
		return nil, nil, err
	}
	cal, err := s.calendar(ctx, teamID)
	return policies, cal, err
}

func (s *Service) scheduleMarks(c kefu.Conversation, policies []kefu.SLAPolicy, cal *calendar.Compiled) {
	marks := Marks(c, policyByID(policies, c.SLAPolicyID), cal)
	if len(marks) == 0 {
		s.timers.Cancel(c.ID)
		return
	}
	s.timers.Set(c.ID, marks[0].At)
}

// fire records the marks of a conversation that are due and sets its timer
// to the next one.
func (s *Service) fire(ctx context.Context, id string) error {
	ctx = kefu.NewContext(ctx, kefu.SystemActor(Escalator))
	c, err := s.DB.Conversation(ctx, id)
	if err != nil {
		return err
	}
	policies, cal, err := s.rules(ctx, c.TeamID)
	if err != nil {
		return err
	}
	if c, err = s.record(ctx, c, policyByID(policies, c.SLAPolicyID), cal, s.Clock.Now()); err != nil {
		return err
	}
	return s.schedule(ctx, c)
}

// record writes the warnings and breaches due by now as events, once even
// with several kefu processes (the fired list is compared and set in one
// update), and escalates: a warning notifies the supervisors; a breach
// notifies them, raises the priority one step and, when the assignee is
// not online, puts the conversation back in the queue.
func (s *Service) record(ctx context.Context, c kefu.Conversation, p *kefu.SLAPolicy, cal *calendar.Compiled, now time.Time) (kefu.Conversation, error) {
	var due []Mark
	for _, m := range Marks(c, p, cal) {
		if !m.At.After(now) {
			due = append(due, m)
		}
	}
	if len(due) == 0 {
		return c, nil
	}
	prevFired := c.SLAFired
	next := c
	next.SLAFired = slices.Clone(c.SLAFired)
	breach := false
	for _, m := range due {
		next.SLAFired = append(next.SLAFired, m.Key())
		breach = breach || m.Kind == KindBreach
	}
	if breach {
		next.Priority = raise(c.Priority)
	}
	won := false
	err := s.DB.InTx(ctx, func(q *store.Queries) error {
		var err error
		if won, err = q.SetSLA(ctx, next, &prevFired); err != nil || !won {
			return err
		}
		for _, m := range due {
			typ := kefu.EventSLAWarning
			if m.Kind == KindBreach {
				typ = kefu.EventSLABreach
			}
			if err := q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: c.ID, Type: typ, ActorType: kefu.SenderSystem,
				ActorName: Escalator, Data: map[string]any{"target": m.Target, "due": m.Due, "policy_id": c.SLAPolicyID}, CreatedAt: now}); err != nil {
				return err
			}
		}
		if next.Priority != c.Priority {
			if err := q.SetPriority(ctx, c.ID, next.Priority); err != nil {
				return err
			}
			return q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: c.ID, Type: kefu.EventPriorityChanged,
				ActorType: kefu.SenderSystem, ActorName: Escalator, Data: map[string]any{"from": c.Priority, "to": next.Priority, "reason": "sla_breach"},
				CreatedAt: now})
		}
		return nil
	})
	if err != nil || !won {
		return c, err
	}
	kind := "sla_warning"
	if breach {
		kind = "sla_breach"
	}
	targets := make([]string, len(due))
	for i, m := range due {
		targets[i] = m.Target
	}
	s.Inbox.NotifySupervisors(ctx, kind, map[string]any{"conversation_id": c.ID, "targets": targets})
	if breach && c.AssigneeID != "" {
		if err := s.requeueIfAway(ctx, next); err != nil {
			return next, err
		}
	}
	// The observers see the escalation with the priority already raised, so
	// the policy stays: a breach must not move the goalposts.
	_, err = s.Inbox.Changed(ctx, c.ID, next)
	return next, err
}

// raise returns the next priority up; urgent stays urgent.
func raise(p string) string {
	i := slices.Index(kefu.Priorities, p)
	if i < 0 || i == len(kefu.Priorities)-1 {
		return kefu.Priorities[len(kefu.Priorities)-1]
	}
	return kefu.Priorities[i+1]
}

// requeueIfAway unassigns a breached conversation whose agent is not
// online, so routing gives it to someone who is.
func (s *Service) requeueIfAway(ctx context.Context, c kefu.Conversation) error {
	agents, err := s.DB.Agents(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(agents, func(a kefu.Agent) bool { return a.UserID == c.AssigneeID })
	if i >= 0 && agents[i].Status == kefu.PresenceOnline {
		return nil
	}
	_, err = s.Inbox.Assign(ctx, c.ID, "")
	return err
}

// calendar returns the compiled business hours of a team: its own
// calendar, else the workspace default, else always open.
func (s *Service) calendar(ctx context.Context, teamID string) (*calendar.Compiled, error) {
	s.mu.Lock()
	c, ok := s.teamCals[teamID]
	s.mu.Unlock()
	if ok && time.Since(c.at) < configTTL {
		return c.cal, nil
	}
	cal, err := s.loadCalendar(ctx, teamID)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.teamCals == nil {
		s.teamCals = map[string]cachedCalendar{}
	}
	s.teamCals[teamID] = cachedCalendar{at: time.Now(), cal: cal}
	s.mu.Unlock()
	return cal, nil
}

// loadCalendar reads and compiles a team's calendar.
func (s *Service) loadCalendar(ctx context.Context, teamID string) (*calendar.Compiled, error) {
	var row store.CalendarRow
	var err error
	if teamID != "" {
		t, terr := s.DB.Team(ctx, teamID)
		if terr == nil && t.CalendarID != "" {
			row, err = s.DB.Calendar(ctx, t.CalendarID)
		} else {
			err = kefu.Errorf(kefu.ENOTFOUND, "no team calendar")
		}
	} else {
		err = kefu.Errorf(kefu.ENOTFOUND, "no team")
	}
	if kefu.ErrorCode(err) == kefu.ENOTFOUND {
		row, err = s.DB.DefaultCalendar(ctx)
	}
	if kefu.ErrorCode(err) == kefu.ENOTFOUND {
		return calendar.Always(), nil
	} else if err != nil {
		return nil, err
	}
	s.mu.Lock()
	cached, ok := s.cals[row.ID]
	s.mu.Unlock()
	if ok && cached.updated.Equal(row.UpdatedAt) {
		return cached.cal, nil
	}
	var def calendar.Calendar
	if err := json.Unmarshal([]byte(row.Definition), &def); err != nil {
		return nil, err
	}
	cal, err := def.Compile()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.cals == nil {
		s.cals = map[string]compiledCalendar{}
	}
	s.cals[row.ID] = compiledCalendar{id: row.ID, updated: row.UpdatedAt, cal: cal}
	s.mu.Unlock()
	return cal, nil
}

// Calendar returns a team's compiled business hours (its own, else the
// workspace default, else always open), for reports.
func (s *Service) Calendar(ctx context.Context, teamID string) (*calendar.Compiled, error) {
	return s.calendar(ctx, teamID)
}

// OpenNow reports whether a team is within business hours, and when it
// opens next if not. The bot tells customers so out of hours.
func (s *Service) OpenNow(ctx context.Context, teamID string) (bool, time.Time, error) {
	cal, err := s.calendar(ctx, teamID)
	if err != nil {
		return false, time.Time{}, err
	}
	now := s.Clock.Now()
	if cal.Open(now) {
		return true, now, nil
	}
	return false, cal.NextOpen(now), nil
}
