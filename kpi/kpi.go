// Package kpi is the pure part of kefu's reports: the measures of one
// conversation, computed from its timeline (Compute), and the statistics over
// many conversations' measures (Summarize, Median, Percentile …).
//
// A report over a million conversations should not re-read a million
// timelines: Facts are meant to be computed when a conversation changes and
// stored, and reports aggregate the stored facts. This package holds no
// storage and no I/O; the definitions are those of docs/kpi.md, which quotes
// the KPI table of the domain notes.
//
// Conventions used throughout:
//   - Durations measured for a person (first response, response times,
//     resolution, handle time) are business time when the Timeline has a
//     calendar, wall time otherwise. The windows of the definitions (3-minute
//     coverage, 24 h containment, 7-day repeat contact) are wall time.
//   - Shares are fractions from 0 to 1; NPS alone is in points, −100 to 100.
//   - A share whose denominator is zero is 0; every Summary share comes with
//     its denominator, so a report can tell "0 %" from "nothing to measure".
package kpi

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"time"

	"kefu"
	"kefu/calendar"
)

// Windows and caps fixed by the KPI definitions.
const (
	// ResponseCap is Taobao's cap on one turn's response time; an
	// unanswered turn counts as this much in the capped variant.
	ResponseCap = 10 * time.Minute
	// CoverageWindow is how soon a customer message must get any reply to
	// count as covered (24 h coverage).
	CoverageWindow = 3 * time.Minute
	// ContainmentWindow is how long after resolving a bot conversation a
	// reopen still undoes its containment.
	ContainmentWindow = 24 * time.Hour
	// RepeatWindow is how long after resolving a conversation a new one
	// from the same contact counts against FCR and as a repeat contact.
	RepeatWindow = 7 * 24 * time.Hour
)

// Handoff reason that rules out containment.
const ReasonAskedForHuman = "asked_for_human"

// DepartmentService is the task department that is customer service itself:
// a task for it is not an escalation.
const DepartmentService = "service"

// Timeline is everything about one conversation a KPI needs.
type Timeline struct {
	Conversation kefu.Conversation
	Messages     []kefu.Message     // all, notes included, in seq order
	Events       []kefu.Event       // in time order
	Calendar     *calendar.Compiled // business hours of its team; nil: 24/7
	// Later conversations of the same contact (id, created_at, intent), for
	// FCR and repeat contacts. Those created before this conversation, and
	// this conversation itself, are ignored.
	Later []Ref

	// SLAPolicy is the SLA policy the conversation ran under
	// (Conversation.SLAPolicyID), nil for none. Without it only targets
	// named by SLA events or still due on the conversation are known; a
	// target met in time leaves neither, so SLA compliance needs the policy.
	SLAPolicy *kefu.SLAPolicy
	// ContactTier is the contact's vip_tier; "" takes it from
	// Conversation.Contact's attributes, if set.
	ContactTier string
	// Now is when the facts are taken: intervals still running (assigned and
	// open) end here. Zero: the latest instant in the timeline.
	Now time.Time
}

// Ref is another conversation of the same contact.
type Ref struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	Intent    string    `json:"intent"`
}

// Episode is one stretch of a conversation owed a first response: from its
// creation, or from a reopen, to the next reopen. Start is the customer's
// first message in the stretch; a stretch without a customer message is no
// episode.
type Episode struct {
	Start           time.Time      `json:"start"`
	FirstHumanReply *time.Time     `json:"first_human_reply,omitempty"`
	FirstResponse   *time.Duration `json:"first_response,omitempty"` // Start → FirstHumanReply, business time
	Reopen          bool           `json:"reopen"`                   // begun by a reopen
	// HumanOwed: a person owed the customer an answer in this episode (the
	// conversation was with people, or the bot handed it over or an agent
	// took it over). A bot-handled episode is not owed one.
	HumanOwed bool `json:"human_owed"`
}

// Facts are one conversation's measures. Durations are in business time when
// a calendar is set (FRT, response times, resolution, handle time), wall
// time otherwise; nil/false when not applicable. Stored as JSON, durations
// are nanoseconds.
type Facts struct {
	ConversationID string    `json:"conversation_id"`
	ContactID      string    `json:"contact_id"`
	Channel        string    `json:"channel"`
	TeamID         string    `json:"team_id"`
	AssigneeID     string    `json:"assignee_id"`
	Intent         string    `json:"intent"`
	ContactTier    string    `json:"contact_tier"`
	CreatedAt      time.Time `json:"created_at"`

	// FirstResponse is the first episode's: the customer's first message →
	// the first human reply (agent, not a note). Nil when unanswered or when
	// no human was owed one (a bot-handled conversation).
	FirstResponse *time.Duration `json:"first_response,omitempty"`
	// FirstResponseOwed: the first episode owed a human reply; with
	// FirstResponse nil it is a missed first response.
	FirstResponseOwed bool `json:"first_response_owed"`
	// FirstResponseAfterHandoff is the bot's handoff → the first human reply
	// after it: the human queue's own first response.
	FirstResponseAfterHandoff *time.Duration `json:"first_response_after_handoff,omitempty"`
	// Episodes lists the first episode and each reopen's.
	Episodes []Episode `json:"episodes,omitempty"`

	// ResponseTimes has one entry per answered customer turn (customer
	// message, first of a run → next human reply).
	ResponseTimes   []time.Duration `json:"response_times,omitempty"`
	UnansweredTurns int             `json:"unanswered_turns"`
	// ResponseTimesCapped is Taobao's variant: every turn, each capped at
	// ResponseCap, unanswered turns counted as ResponseCap.
	ResponseTimesCapped []time.Duration `json:"response_times_capped,omitempty"`

	// Resolution is created (or the last reopen) → the last resolve; nil
	// unless resolved.
	Resolution *time.Duration `json:"resolution,omitempty"`
	ResolvedAt *time.Time     `json:"resolved_at,omitempty"`
	// Handle (AHT's sample) is the time the conversation was assigned to an
	// agent and open.
	Handle time.Duration `json:"handle"`

	Resolved    bool `json:"resolved"`
	Reopened    bool `json:"reopened"`
	Reopens     int  `json:"reopens"`
	Transferred bool `json:"transferred"`
	Escalated   bool `json:"escalated"`

	// FCR and RepeatContact are set for resolved conversations only.
	FCR           *bool `json:"fcr,omitempty"`
	RepeatContact *bool `json:"repeat_contact,omitempty"`

	BotStarted    bool `json:"bot_started"`
	BotContained  bool `json:"bot_contained"`
	AskedForHuman bool `json:"asked_for_human"`

	SLATargets int `json:"sla_targets"`
	SLAMet     int `json:"sla_met"`

	CSAT *int `json:"csat,omitempty"`
	NPS  *int `json:"nps,omitempty"`

	// Coverage3m counts customer messages that got any reply (bot or agent;
	// not a note, not a system message) within CoverageWindow, wall time.
	Coverage3m       int `json:"coverage_3m"`
	CustomerMessages int `json:"customer_messages"`
}

// clock measures durations in business time, or wall time without a
// calendar. Durations are never negative.
type clock struct{ cal *calendar.Compiled }

func (k clock) between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	if k.cal == nil {
		return b.Sub(a)
	}
	return k.cal.Between(a, b)
}

func (k clock) ptr(a, b time.Time) *time.Duration {
	d := k.between(a, b)
	return &d
}

// isHumanReply reports whether m is an agent's message to the customer.
func isHumanReply(m kefu.Message) bool { return m.SenderType == kefu.SenderAgent && !m.Private }

// isBotReply reports whether m is the bot's message to the customer.
func isBotReply(m kefu.Message) bool { return m.SenderType == kefu.SenderBot && !m.Private }

// isReopen reports whether e takes the conversation out of resolved.
func isReopen(e kefu.Event) bool {
	switch e.Type {
	case kefu.EventReopened:
		return true
	case kefu.EventStatusChanged:
		return str(e.Data, "from") == kefu.StatusResolved && str(e.Data, "to") != kefu.StatusResolved
	}
	return false
}

// isResolve reports whether e resolves the conversation.
func isResolve(e kefu.Event) bool {
	return e.Type == kefu.EventStatusChanged && str(e.Data, "to") == kefu.StatusResolved
}

// Compute returns the facts of one conversation. It reads only t, so the same
// timeline always gives the same facts; compute them again whenever the
// timeline changes (a reopen, a late survey answer, a later conversation of
// the contact).
func Compute(t Timeline) Facts {
	c := t.Conversation
	k := clock{t.Calendar}
	msgs := t.Messages
	if !slices.IsSortedFunc(msgs, func(a, b kefu.Message) int { return cmp.Compare(a.Seq, b.Seq) }) {
		msgs = slices.Clone(msgs)
		slices.SortStableFunc(msgs, func(a, b kefu.Message) int { return cmp.Compare(a.Seq, b.Seq) })
	}
	evs := t.Events
	if !slices.IsSortedFunc(evs, func(a, b kefu.Event) int { return a.CreatedAt.Compare(b.CreatedAt) }) {
		evs = slices.Clone(evs)
		slices.SortStableFunc(evs, func(a, b kefu.Event) int { return a.CreatedAt.Compare(b.CreatedAt) })
	}

	f := Facts{ConversationID: c.ID, ContactID: c.ContactID, Channel: c.Channel, TeamID: c.TeamID,
		AssigneeID: c.AssigneeID, Intent: c.Intent, ContactTier: t.ContactTier, CreatedAt: c.CreatedAt,
		Resolved: c.Status == kefu.StatusResolved}
	if f.ContactTier == "" && c.Contact != nil {
		f.ContactTier = c.Contact.Attributes["vip_tier"]
	}

	now := t.Now
	if now.IsZero() {
		now = latest(c, msgs, evs)
	}

	// The first human reply, the first handoff, and when the bot stopped
	// handling the conversation: at the handoff or at an agent's first reply
	// (a takeover), whichever came first.
	var firstHuman, handoffAt, botUntil *time.Time
	firstBot := -1
	for i, m := range msgs {
		if isHumanReply(m) && firstHuman == nil {
			firstHuman = &msgs[i].CreatedAt
		}
		if isBotReply(m) && firstBot < 0 && firstHuman == nil {
			firstBot = i
		}
	}
	for i, e := range evs {
		if e.Type == kefu.EventHandoff {
			if handoffAt == nil {
				handoffAt = &evs[i].CreatedAt
			}
			if str(e.Data, "reason") == ReasonAskedForHuman {
				f.AskedForHuman = true
			}
		}
	}
	f.BotStarted = c.Bot || handoffAt != nil || firstBot >= 0
	if f.BotStarted {
		botUntil = earliest(handoffAt, firstHuman)
	}
	if handoffAt != nil {
		for _, m := range msgs {
			if isHumanReply(m) && !m.CreatedAt.Before(*handoffAt) {
				f.FirstResponseAfterHandoff = k.ptr(*handoffAt, m.CreatedAt)
				break
			}
		}
	}

	// Reopens, resolves, transfers, escalations, SLA, surveys: one pass over
	// the events, which also replays status and assignee for handle time.
	var (
		reopens, resolves []time.Time
		lastResolve       *time.Time
		reopenedSoon      bool // within ContainmentWindow of a resolve
		firstAssigned     *time.Time
		slaNamed          = map[string]bool{}
		slaBreached       = map[string]bool{}
		status            = kefu.StatusOpen
		assignee          string
		since             = c.CreatedAt
	)
	for i, e := range evs {
		if e.Type == kefu.EventAssigned && str(e.Data, "to") != "" && firstAssigned == nil {
			firstAssigned = &evs[i].CreatedAt
		}
	}
	touched := earliest(firstAssigned, firstHuman) // a person had the conversation from then on
	for _, e := range evs {
		at := e.CreatedAt
		if status == kefu.StatusOpen && assignee != "" && at.After(since) {
			f.Handle += k.between(since, at)
		}
		if at.After(since) {
			since = at
		}
		switch {
		case isResolve(e):
			resolves = append(resolves, at)
			lastResolve = &at
		case isReopen(e):
			reopens = append(reopens, at)
			if lastResolve != nil && at.Sub(*lastResolve) <= ContainmentWindow {
				reopenedSoon = true
			}
		}
		switch e.Type {
		case kefu.EventCreated, kefu.EventHandoff:
			status = kefu.StatusOpen
		case kefu.EventReopened:
			status = kefu.StatusOpen
			if to := str(e.Data, "to"); to != "" {
				status = to
			}
		case kefu.EventStatusChanged:
			if to := str(e.Data, "to"); to != "" {
				status = to
			}
		case kefu.EventAssigned:
			from, to := str(e.Data, "from"), str(e.Data, "to")
			if from != "" && to != "" && from != to {
				f.Transferred = true // from one agent to another
			}
			assignee = to
		case kefu.EventUnassigned:
			assignee = ""
		case kefu.EventTransferred:
			// An agent's transfer always counts. The system's (a rule
			// routing to a team) counts once a person has had the
			// conversation; before that it is routing.
			if e.ActorType == kefu.SenderAgent || (touched != nil && !at.Before(*touched)) {
				f.Transferred = true
				if to := str(e.Data, "to_team"); to != "" && to != str(e.Data, "from_team") {
					f.Escalated = true
				}
			}
			if _, ok := e.Data["to_assignee"]; ok {
				assignee = str(e.Data, "to_assignee")
			}
		case kefu.EventTaskCreated:
			if d := str(e.Data, "department"); d != "" && d != DepartmentService {
				f.Escalated = true
			}
		case kefu.EventSLAWarning, kefu.EventSLABreach:
			if target := str(e.Data, "target"); target != "" {
				slaNamed[target] = true
				if e.Type == kefu.EventSLABreach {
					slaBreached[target] = true
				}
			}
		case kefu.EventSurveyAnswered:
			if v, ok := num(e.Data, "csat"); ok {
				f.CSAT = &v
			}
			if v, ok := num(e.Data, "nps"); ok {
				f.NPS = &v
			}
		}
	}
	if status == kefu.StatusOpen && assignee != "" {
		f.Handle += k.between(since, now)
	}
	f.Reopens = len(reopens)
	f.Reopened = f.Reopens > 0

	// Episodes: the stretch before the first reopen, then one per reopen.
	windowEnd := func(i int) *time.Time { // end of stretch i, nil for the last
		if i < len(reopens) {
			return &reopens[i]
		}
		return nil
	}
	for i := 0; i <= len(reopens); i++ {
		var from time.Time
		if i > 0 {
			from = reopens[i-1]
		}
		end := windowEnd(i)
		in := func(m kefu.Message) bool {
			return !m.CreatedAt.Before(from) && (end == nil || m.CreatedAt.Before(*end))
		}
		start := -1
		for j, m := range msgs {
			if m.SenderType == kefu.SenderCustomer && in(m) {
				start = j
				break
			}
		}
		if start < 0 {
			continue
		}
		ep := Episode{Start: msgs[start].CreatedAt, Reopen: i > 0}
		for _, m := range msgs[start+1:] {
			if isHumanReply(m) && in(m) {
				ep.FirstHumanReply = &m.CreatedAt
				ep.FirstResponse = k.ptr(ep.Start, m.CreatedAt)
				break
			}
		}
		ep.HumanOwed = !f.BotStarted || (botUntil != nil && (end == nil || botUntil.Before(*end)))
		f.Episodes = append(f.Episodes, ep)
	}
	if len(f.Episodes) > 0 && !f.Episodes[0].Reopen {
		f.FirstResponseOwed = f.Episodes[0].HumanOwed
		if f.FirstResponseOwed {
			f.FirstResponse = f.Episodes[0].FirstResponse
		}
	}

	// Customer turns, replayed with the handoff and the resolves: while the
	// bot handles the conversation, customer messages are the bot's; the run
	// the bot left unanswered when a person took over is the first human
	// turn. A resolve ends an open turn unanswered.
	type marker struct {
		at      time.Time
		handoff bool // else a resolve
	}
	var marks []marker
	if handoffAt != nil {
		marks = append(marks, marker{at: *handoffAt, handoff: true})
	}
	for _, r := range resolves {
		marks = append(marks, marker{at: r})
	}
	slices.SortStableFunc(marks, func(a, b marker) int { return a.at.Compare(b.at) })
	withBot := f.BotStarted
	var turn, botRun *time.Time
	nextOwed := false // a customer turn began after the first human reply
	humanSeen := false
	toHuman := func() {
		if withBot {
			withBot = false
			if turn == nil {
				turn = botRun
			}
			botRun = nil
		}
	}
	endTurn := func(reply *time.Time) {
		if turn == nil {
			return
		}
		if reply == nil {
			f.UnansweredTurns++
			f.ResponseTimesCapped = append(f.ResponseTimesCapped, ResponseCap)
		} else {
			d := k.between(*turn, *reply)
			f.ResponseTimes = append(f.ResponseTimes, d)
			f.ResponseTimesCapped = append(f.ResponseTimesCapped, min(d, ResponseCap))
		}
		turn = nil
	}
	mi := 0
	apply := func(m marker) {
		if m.handoff {
			toHuman()
		} else {
			endTurn(nil)
			botRun = nil
		}
	}
	for i, m := range msgs {
		for mi < len(marks) && marks[mi].at.Before(m.CreatedAt) {
			apply(marks[mi])
			mi++
		}
		switch {
		case m.SenderType == kefu.SenderCustomer:
			f.CustomerMessages++
			if withBot {
				if botRun == nil {
					botRun = &msgs[i].CreatedAt
				}
			} else if turn == nil {
				turn = &msgs[i].CreatedAt
				nextOwed = nextOwed || humanSeen
			}
		case isBotReply(m):
			if withBot {
				botRun = nil
			}
		case isHumanReply(m):
			toHuman()
			endTurn(&msgs[i].CreatedAt)
			humanSeen = true
		}
	}
	for ; mi < len(marks); mi++ {
		apply(marks[mi])
	}
	endTurn(nil)

	// 24 h coverage: the next bot or agent reply after each customer message.
	var next *time.Time
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if isHumanReply(m) || isBotReply(m) {
			next = &msgs[i].CreatedAt
		} else if m.SenderType == kefu.SenderCustomer && next != nil && next.Sub(m.CreatedAt) <= CoverageWindow {
			f.Coverage3m++
		}
	}

	// Resolution, FCR, repeat contact, containment.
	if f.Resolved {
		var resolvedAt time.Time
		switch {
		case lastResolve != nil:
			resolvedAt = *lastResolve
		case c.ResolvedAt != nil:
			resolvedAt = *c.ResolvedAt
		default:
			resolvedAt = now
		}
		from := c.CreatedAt
		for _, r := range reopens {
			if r.Before(resolvedAt) && r.After(from) {
				from = r
			}
		}
		f.ResolvedAt = &resolvedAt
		f.Resolution = k.ptr(from, resolvedAt)

		repeat, sameTopic := false, false
		for _, r := range t.Later {
			if r.ID == c.ID || !r.CreatedAt.After(c.CreatedAt) || r.CreatedAt.Sub(resolvedAt) > RepeatWindow {
				continue
			}
			repeat = true
			if c.Intent == "" || r.Intent == "" || r.Intent == c.Intent {
				sameTopic = true
			}
		}
		fcr := !f.Reopened && !f.Transferred && !f.Escalated && !sameTopic
		f.FCR, f.RepeatContact = &fcr, &repeat
		f.BotContained = f.BotStarted && botUntil == nil && !f.AskedForHuman && !reopenedSoon
	}

	// SLA: the policy's targets that applied, plus any target an SLA event
	// names or the conversation still has a due time for; met unless
	// breached.
	applied := map[string]bool{}
	for target := range slaNamed {
		applied[target] = true
	}
	for target, due := range map[string]*time.Time{kefu.TargetFirstResponse: c.FirstResponseDue,
		kefu.TargetNextResponse: c.NextResponseDue, kefu.TargetResolution: c.ResolutionDue} {
		if due != nil {
			applied[target] = true
		}
	}
	if p := t.SLAPolicy; p != nil {
		withPeople := !f.BotStarted || botUntil != nil // the SLA clock runs only with people
		if p.FirstResponseMinutes > 0 && withPeople {
			applied[kefu.TargetFirstResponse] = true
		}
		if p.ResolutionMinutes > 0 && withPeople {
			applied[kefu.TargetResolution] = true
		}
		if p.NextResponseMinutes > 0 && nextOwed {
			applied[kefu.TargetNextResponse] = true
		}
	}
	f.SLATargets = len(applied)
	for target := range applied {
		if !slaBreached[target] {
			f.SLAMet++
		}
	}
	return f
}

// latest returns the latest instant of the timeline.
func latest(c kefu.Conversation, msgs []kefu.Message, evs []kefu.Event) time.Time {
	t := c.CreatedAt
	if c.UpdatedAt.After(t) {
		t = c.UpdatedAt
	}
	if c.ResolvedAt != nil && c.ResolvedAt.After(t) {
		t = *c.ResolvedAt
	}
	for _, m := range msgs {
		if m.CreatedAt.After(t) {
			t = m.CreatedAt
		}
	}
	for _, e := range evs {
		if e.CreatedAt.After(t) {
			t = e.CreatedAt
		}
	}
	return t
}

// earliest returns the earlier of two optional instants.
func earliest(a, b *time.Time) *time.Time {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case b.Before(*a):
		return b
	}
	return a
}

// str reads a string from event data.
func str(data map[string]any, key string) string {
	s, _ := data[key].(string)
	return s
}

// num reads a whole number from event data, as stored (int) or read back
// from JSON (float64, json.Number, a numeric string).
func num(data map[string]any, key string) (int, bool) {
	switch v := data[key].(type) {
	case int:
		return v, true
	case int32:
		return int(v), true
	case int64:
		return int(v), true
	case float64:
		if v == math.Trunc(v) && !math.IsInf(v, 0) {
			return int(v), true
		}
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return int(n), true
		}
	case string:
		if n, err := strconv.Atoi(v); err == nil {
			return n, true
		}
	}
	return 0, false
}
