package kpi_test

import (
	"testing"
	"time"

	"kefu"
	"kefu/calendar"
	"kefu/kpi"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// t0 is Monday 2 March 2026, 10:00 in Shanghai; timelines are built at
// offsets from it.
var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai)

const (
	sec    = time.Second
	minute = time.Minute
	hour   = time.Hour
	day    = 24 * time.Hour
)

// builder makes a timeline step by step, in time order.
type builder struct {
	tl  kpi.Timeline
	seq int64
}

// conv starts a conversation created at t0 by the customer's first message
// (which the caller adds).
func conv() *builder {
	b := &builder{}
	b.tl.Conversation = kefu.Conversation{ID: "c1", ContactID: "ct1", Channel: kefu.ChannelWebchat, TeamID: "t1",
		Status: kefu.StatusOpen, Priority: "normal", Intent: "logistics", CreatedAt: t0, UpdatedAt: t0}
	return b.event(0, kefu.EventCreated, kefu.SenderCustomer, map[string]any{"channel": kefu.ChannelWebchat, "team_id": "t1"})
}

func (b *builder) msg(d time.Duration, sender string, private bool) *builder {
	b.seq++
	b.tl.Messages = append(b.tl.Messages, kefu.Message{ID: "m", ConversationID: "c1", Seq: b.seq, SenderType: sender,
		Private: private, CreatedAt: t0.Add(d)})
	return b
}

func (b *builder) customer(d time.Duration) *builder { return b.msg(d, kefu.SenderCustomer, false) }
func (b *builder) agent(d time.Duration) *builder    { return b.msg(d, kefu.SenderAgent, false) }
func (b *builder) note(d time.Duration) *builder     { return b.msg(d, kefu.SenderAgent, true) }
func (b *builder) bot(d time.Duration) *builder      { return b.msg(d, kefu.SenderBot, false) }
func (b *builder) system(d time.Duration) *builder   { return b.msg(d, kefu.SenderSystem, false) }

func (b *builder) event(d time.Duration, typ, actor string, data map[string]any) *builder {
	b.tl.Events = append(b.tl.Events, kefu.Event{ID: "e", ConversationID: "c1", Type: typ, ActorType: actor, Data: data,
		CreatedAt: t0.Add(d)})
	return b
}

// botStarted marks the conversation as still handled by the bot.
func (b *builder) botStarted() *builder { b.tl.Conversation.Bot = true; return b }

func (b *builder) assign(d time.Duration, from, to string) *builder {
	return b.event(d, kefu.EventAssigned, kefu.SenderSystem, map[string]any{"from": from, "to": to})
}

func (b *builder) status(d time.Duration, from, to string) *builder {
	b.tl.Conversation.Status = to
	if to == kefu.StatusResolved {
		r := t0.Add(d)
		b.tl.Conversation.ResolvedAt = &r
	} else {
		b.tl.Conversation.ResolvedAt = nil
	}
	return b.event(d, kefu.EventStatusChanged, kefu.SenderAgent, map[string]any{"from": from, "to": to})
}

func (b *builder) resolve(d time.Duration) *builder {
	return b.status(d, kefu.StatusOpen, kefu.StatusResolved)
}

// reopen is the customer's message within the reopen window: the event, then
// the message.
func (b *builder) reopen(d time.Duration) *builder {
	b.tl.Conversation.Status, b.tl.Conversation.ResolvedAt = kefu.StatusOpen, nil
	return b.event(d, kefu.EventReopened, kefu.SenderCustomer, map[string]any{"from": kefu.StatusResolved}).customer(d)
}

// handoff is the bot giving up, as inbox.HandOff records it: the event, the
// customer notice (system) and the bot's summary for the agent (a note).
func (b *builder) handoff(d time.Duration, reason string) *builder {
	b.tl.Conversation.Bot = false
	b.event(d, kefu.EventHandoff, kefu.SenderBot, map[string]any{"reason": reason})
	return b.system(d).msg(d, kefu.SenderBot, true)
}

func (b *builder) transfer(d time.Duration, actor, fromTeam, toTeam, fromAssignee, toAssignee string) *builder {
	data := map[string]any{"from_team": fromTeam, "to_team": toTeam, "from_assignee": fromAssignee, "note": "n"}
	if actor == kefu.SenderAgent {
		data["to_assignee"] = toAssignee
	}
	return b.event(d, kefu.EventTransferred, actor, data)
}

func (b *builder) with(f func(*kpi.Timeline)) *builder { f(&b.tl); return b }

func (b *builder) facts() kpi.Facts { return kpi.Compute(b.tl) }

// want* check one measure.
func wantDur(t *testing.T, name string, got *time.Duration, want time.Duration) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %v", name, want)
	} else if *got != want {
		t.Errorf("%s = %v, want %v", name, *got, want)
	}
}

func wantNil(t *testing.T, name string, got *time.Duration) {
	t.Helper()
	if got != nil {
		t.Errorf("%s = %v, want nil", name, *got)
	}
}

func wantDurs(t *testing.T, name string, got []time.Duration, want ...time.Duration) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s = %v, want %v", name, got, want)
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s = %v, want %v", name, got, want)
			return
		}
	}
}

func wantBool(t *testing.T, name string, got, want bool) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}

func wantBoolPtr(t *testing.T, name string, got *bool, want bool) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %v", name, want)
	} else if *got != want {
		t.Errorf("%s = %v, want %v", name, *got, want)
	}
}

func wantInt(t *testing.T, name string, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %d, want %d", name, got, want)
	}
}

func officeHours(t *testing.T) *calendar.Compiled {
	t.Helper()
	shift := []calendar.Shift{{Start: "09:00", End: "18:00"}}
	c, err := calendar.Calendar{TimeZone: "Asia/Shanghai", Weekly: map[string][]calendar.Shift{
		"monday": shift, "tuesday": shift, "wednesday": shift, "thursday": shift, "friday": shift}}.Compile()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCompute(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tl    *builder
		check func(t *testing.T, f kpi.Facts)
	}{{
		name: "plain conversation",
		tl: conv().customer(0).assign(30*sec, "", "a1").agent(2 * minute).note(3 * minute).customer(5 * minute).customer(6 * minute).
			agent(9 * minute).resolve(20 * minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantDur(t, "FirstResponse", f.FirstResponse, 2*minute)
			wantBool(t, "FirstResponseOwed", f.FirstResponseOwed, true)
			wantNil(t, "FirstResponseAfterHandoff", f.FirstResponseAfterHandoff)
			wantInt(t, "episodes", len(f.Episodes), 1)
			// Turns: 0 → 2m; the run 5m, 6m → 9m.
			wantDurs(t, "ResponseTimes", f.ResponseTimes, 2*minute, 4*minute)
			wantDurs(t, "ResponseTimesCapped", f.ResponseTimesCapped, 2*minute, 4*minute)
			wantInt(t, "UnansweredTurns", f.UnansweredTurns, 0)
			wantDur(t, "Resolution", f.Resolution, 20*minute)
			if f.Handle != 19*minute+30*sec {
				t.Errorf("Handle = %v, want 19m30s", f.Handle)
			}
			wantBool(t, "Resolved", f.Resolved, true)
			wantBool(t, "Transferred", f.Transferred, false)
			wantBool(t, "Escalated", f.Escalated, false)
			wantBoolPtr(t, "FCR", f.FCR, true)
			wantBoolPtr(t, "RepeatContact", f.RepeatContact, false)
			wantBool(t, "BotStarted", f.BotStarted, false)
			// 0 → 2m yes; 5m → 9m no; 6m → 9m exactly 3m, yes.
			wantInt(t, "CustomerMessages", f.CustomerMessages, 3)
			wantInt(t, "Coverage3m", f.Coverage3m, 2)
			wantInt(t, "SLATargets", f.SLATargets, 0)
		},
	}, {
		name: "open conversation: no resolution, FCR or repeat yet",
		tl:   conv().customer(0).agent(1 * minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantNil(t, "Resolution", f.Resolution)
			if f.FCR != nil || f.RepeatContact != nil {
				t.Errorf("FCR, RepeatContact = %v, %v, want nil", f.FCR, f.RepeatContact)
			}
		},
	}, {
		name: "notes and auto-acks are not a first response",
		tl:   conv().customer(0).system(1 * sec).note(1 * minute).resolve(10 * minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantNil(t, "FirstResponse", f.FirstResponse)
			wantBool(t, "FirstResponseOwed (a missed one)", f.FirstResponseOwed, true)
			wantInt(t, "UnansweredTurns", f.UnansweredTurns, 1)
			wantDurs(t, "ResponseTimesCapped", f.ResponseTimesCapped, 10*minute)
			wantInt(t, "Coverage3m", f.Coverage3m, 0)
		},
	}, {
		name: "bot only, contained",
		tl:   conv().botStarted().customer(0).bot(5 * sec).customer(1 * minute).bot(1*minute + 5*sec).resolve(10 * minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantBool(t, "BotStarted", f.BotStarted, true)
			wantBool(t, "BotContained", f.BotContained, true)
			wantNil(t, "FirstResponse", f.FirstResponse)
			wantBool(t, "FirstResponseOwed", f.FirstResponseOwed, false)
			wantInt(t, "turns", len(f.ResponseTimes)+f.UnansweredTurns, 0)
			wantInt(t, "Coverage3m", f.Coverage3m, 2)
			if f.Handle != 0 {
				t.Errorf("Handle = %v, want 0", f.Handle)
			}
			wantBoolPtr(t, "FCR", f.FCR, true)
		},
	}, {
		name: "bot only, still open: not contained",
		tl:   conv().botStarted().customer(0).bot(5 * sec),
		check: func(t *testing.T, f kpi.Facts) {
			wantBool(t, "BotStarted", f.BotStarted, true)
			wantBool(t, "BotContained", f.BotContained, false)
		},
	}, {
		name: "bot, then the customer asks for a human",
		tl: conv().customer(0).bot(10*sec).customer(1*minute).handoff(1*minute, "asked_for_human").note(2 * minute).
			agent(5 * minute).resolve(10 * minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantBool(t, "BotStarted", f.BotStarted, true)
			wantBool(t, "AskedForHuman", f.AskedForHuman, true)
			wantBool(t, "BotContained", f.BotContained, false)
			// From the customer's first message, bot time included.
			wantDur(t, "FirstResponse", f.FirstResponse, 5*minute)
			wantDur(t, "FirstResponseAfterHandoff", f.FirstResponseAfterHandoff, 4*minute)
			// The run the bot left unanswered (1m) is the first human turn.
			wantDurs(t, "ResponseTimes", f.ResponseTimes, 4*minute)
			wantInt(t, "UnansweredTurns", f.UnansweredTurns, 0)
			// 0 → bot at 10s yes; 1m → agent at 5m no (the handoff notice is a system message).
			wantInt(t, "Coverage3m", f.Coverage3m, 1)
			wantBool(t, "Transferred", f.Transferred, false)
			wantBool(t, "Escalated", f.Escalated, false)
		},
	}, {
		name: "bot, then an agent takes over without a handoff",
		tl:   conv().customer(0).bot(10 * sec).customer(1 * minute).agent(3 * minute).resolve(10 * minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantBool(t, "BotStarted", f.BotStarted, true)
			wantBool(t, "BotContained", f.BotContained, false)
			wantDur(t, "FirstResponse", f.FirstResponse, 3*minute)
			wantNil(t, "FirstResponseAfterHandoff", f.FirstResponseAfterHandoff)
			wantDurs(t, "ResponseTimes", f.ResponseTimes, 2*minute)
		},
	}, {
		name: "bot answered, reopened within 24 h",
		tl: conv().botStarted().customer(0).bot(5 * sec).resolve(10 * minute).reopen(10 * hour).bot(10*hour + 5*sec).
			resolve(10*hour + 10*minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantBool(t, "BotContained", f.BotContained, false)
			wantBool(t, "Reopened", f.Reopened, true)
			wantBoolPtr(t, "FCR", f.FCR, false)
			wantInt(t, "episodes", len(f.Episodes), 2)
			for i, ep := range f.Episodes {
				wantBool(t, "episode HumanOwed", ep.HumanOwed, false)
				wantBool(t, "episode Reopen", ep.Reopen, i == 1)
			}
			wantDur(t, "Resolution (from the reopen)", f.Resolution, 10*minute)
		},
	}, {
		name: "bot answered, reopened after 24 h: still contained",
		tl: conv().botStarted().customer(0).bot(5 * sec).resolve(10 * minute).reopen(30 * hour).bot(30*hour + 5*sec).
			resolve(30*hour + 10*minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantBool(t, "BotContained", f.BotContained, true)
			wantBoolPtr(t, "FCR", f.FCR, false)
		},
	}, {
		name: "transfer to another team",
		tl: conv().customer(0).assign(30*sec, "", "a1").agent(1*minute).
			transfer(3*minute, kefu.SenderAgent, "t1", "t2", "a1", "").assign(5*minute, "", "a2").agent(6 * minute).resolve(10 * minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantBool(t, "Transferred", f.Transferred, true)
			wantBool(t, "Escalated", f.Escalated, true)
			wantBoolPtr(t, "FCR", f.FCR, false)
			// Assigned 30s → 3m (a1) and 5m → 10m (a2); the queue between is not handle time.
			if f.Handle != 7*minute+30*sec {
				t.Errorf("Handle = %v, want 7m30s", f.Handle)
			}
		},
	}, {
		name: "transfer to another agent of the team: not an escalation",
		tl: conv().customer(0).assign(30*sec, "", "a1").agent(1*minute).
			transfer(3*minute, kefu.SenderAgent, "t1", "", "a1", "a2").agent(6 * minute).resolve(10 * minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantBool(t, "Transferred", f.Transferred, true)
			wantBool(t, "Escalated", f.Escalated, false)
			wantBoolPtr(t, "FCR", f.FCR, false)
			if f.Handle != 9*minute+30*sec {
				t.Errorf("Handle = %v, want 9m30s", f.Handle)
			}
		},
	}, {
		name: "reassignment from one agent to another is a transfer",
		tl:   conv().customer(0).assign(30*sec, "", "a1").agent(1*minute).assign(2*minute, "a1", "a2").resolve(10 * minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantBool(t, "Transferred", f.Transferred, true)
			wantBool(t, "Escalated", f.Escalated, false)
		},
	}, {
		name: "a rule routing a new conversation to a team is neither",
		tl: conv().customer(0).transfer(0, kefu.SenderSystem, "t1", "vip", "", "").
			event(1*sec, kefu.EventOverflowed, kefu.SenderSystem, map[string]any{"from": "vip", "to": "t1"}).
			assign(1*minute, "", "a1").agent(2 * minute).resolve(10 * minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantBool(t, "Transferred", f.Transferred, false)
			wantBool(t, "Escalated", f.Escalated, false)
			wantBoolPtr(t, "FCR", f.FCR, true)
		},
	}, {
		name: "a rule moving a conversation an agent had is both",
		tl: conv().customer(0).assign(30*sec, "", "a1").agent(1*minute).
			transfer(2*minute, kefu.SenderSystem, "t1", "complaints", "a1", "").resolve(10 * minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantBool(t, "Transferred", f.Transferred, true)
			wantBool(t, "Escalated", f.Escalated, true)
		},
	}, {
		name: "a task for another department is an escalation",
		tl: conv().customer(0).agent(1*minute).
			event(2*minute, kefu.EventTaskCreated, kefu.SenderAgent, map[string]any{"department": "warehouse"}).resolve(10 * minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantBool(t, "Transferred", f.Transferred, false)
			wantBool(t, "Escalated", f.Escalated, true)
			wantBoolPtr(t, "FCR", f.FCR, false)
		},
	}, {
		name: "a task for customer service, or an urgent priority, is not",
		tl: conv().customer(0).agent(1*minute).
			event(2*minute, kefu.EventTaskCreated, kefu.SenderAgent, map[string]any{"department": "service"}).
			event(3*minute, kefu.EventPriorityChanged, kefu.SenderSystem, map[string]any{"from": "normal", "to": "urgent", "reason": "sla_breach"}).
			resolve(10 * minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantBool(t, "Escalated", f.Escalated, false)
			wantBoolPtr(t, "FCR", f.FCR, true)
		},
	}, {
		name: "reopen starts a new episode",
		tl:   conv().customer(0).agent(1 * minute).resolve(5 * minute).reopen(1 * hour).agent(1*hour + 3*minute).resolve(1*hour + 10*minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantBool(t, "Reopened", f.Reopened, true)
			wantInt(t, "Reopens", f.Reopens, 1)
			wantBoolPtr(t, "FCR", f.FCR, false)
			wantDur(t, "FirstResponse", f.FirstResponse, 1*minute)
			if len(f.Episodes) != 2 {
				t.Fatalf("episodes = %+v, want 2", f.Episodes)
			}
			wantDur(t, "episode 1 FirstResponse", f.Episodes[1].FirstResponse, 3*minute)
			wantBool(t, "episode 1 Reopen", f.Episodes[1].Reopen, true)
			wantBool(t, "episode 1 HumanOwed", f.Episodes[1].HumanOwed, true)
			if !f.Episodes[1].Start.Equal(t0.Add(1 * hour)) {
				t.Errorf("episode 1 Start = %v", f.Episodes[1].Start)
			}
			wantDurs(t, "ResponseTimes", f.ResponseTimes, 1*minute, 3*minute)
			wantDur(t, "Resolution (from the reopen)", f.Resolution, 10*minute)
		},
	}, {
		name: "resolved to pending is a reopen too",
		tl:   conv().customer(0).agent(1*minute).resolve(5*minute).status(1*hour, kefu.StatusResolved, kefu.StatusPending),
		check: func(t *testing.T, f kpi.Facts) {
			wantBool(t, "Reopened", f.Reopened, true)
			wantBool(t, "Resolved", f.Resolved, false)
		},
	}, {
		name: "an unanswered turn ends at resolve, not across the reopen",
		tl:   conv().customer(0).agent(1 * minute).customer(2 * minute).resolve(5 * minute).reopen(1 * hour).agent(1*hour + 2*minute).resolve(2 * hour),
		check: func(t *testing.T, f kpi.Facts) {
			wantDurs(t, "ResponseTimes", f.ResponseTimes, 1*minute, 2*minute)
			wantInt(t, "UnansweredTurns", f.UnansweredTurns, 1)
		},
	}, {
		name: "snooze pauses handle time, not response time",
		tl: conv().customer(0).assign(0, "", "a1").customer(4*minute).status(5*minute, kefu.StatusOpen, kefu.StatusSnoozed).
			status(65*minute, kefu.StatusSnoozed, kefu.StatusOpen).agent(66 * minute).resolve(70 * minute),
		check: func(t *testing.T, f kpi.Facts) {
			if f.Handle != 10*minute {
				t.Errorf("Handle = %v, want 10m", f.Handle)
			}
			wantDur(t, "FirstResponse", f.FirstResponse, 66*minute)
			wantDurs(t, "ResponseTimes", f.ResponseTimes, 66*minute)
		},
	}, {
		name: "Taobao capped response time with an unanswered turn",
		tl:   conv().customer(0).agent(2 * minute).customer(5 * minute).agent(20 * minute).customer(25 * minute).resolve(30 * minute),
		check: func(t *testing.T, f kpi.Facts) {
			wantDurs(t, "ResponseTimes", f.ResponseTimes, 2*minute, 15*minute)
			wantInt(t, "UnansweredTurns", f.UnansweredTurns, 1)
			wantDurs(t, "ResponseTimesCapped", f.ResponseTimesCapped, 2*minute, 10*minute, 10*minute)
		},
	}, {
		name: "CSAT and NPS from the survey answer, read back from JSON",
		tl: conv().customer(0).agent(1*minute).resolve(5*minute).
			event(1*hour, kefu.EventSurveyAnswered, kefu.SenderCustomer, map[string]any{"csat": float64(4), "nps": float64(9)}),
		check: func(t *testing.T, f kpi.Facts) {
			if f.CSAT == nil || *f.CSAT != 4 || f.NPS == nil || *f.NPS != 9 {
				t.Errorf("CSAT, NPS = %v, %v, want 4, 9", f.CSAT, f.NPS)
			}
		},
	}, {
		name: "contact tier from the contact's attributes",
		tl: conv().customer(0).with(func(tl *kpi.Timeline) {
			tl.Conversation.Contact = &kefu.Contact{Attributes: map[string]string{"vip_tier": "gold"}}
		}),
		check: func(t *testing.T, f kpi.Facts) {
			if f.ContactTier != "gold" || f.ConversationID != "c1" || f.ContactID != "ct1" || f.Intent != "logistics" {
				t.Errorf("facts = %+v", f)
			}
		},
	}} {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, tc.tl.facts()) })
	}
}

func TestBusinessHours(t *testing.T) {
	cal := officeHours(t)
	// Monday 17:50 → Tuesday 09:05: 10 minutes on Monday, 5 on Tuesday.
	evening := time.Date(2026, 3, 2, 17, 50, 0, 0, shanghai).Sub(t0)
	morning := time.Date(2026, 3, 3, 9, 5, 0, 0, shanghai).Sub(t0)
	b := conv().with(func(tl *kpi.Timeline) { tl.Conversation.CreatedAt = t0.Add(evening) }).
		customer(evening).agent(morning).resolve(morning + 30*minute)

	wall := b.facts()
	wantDur(t, "FirstResponse (wall)", wall.FirstResponse, 15*hour+15*minute)
	wantDur(t, "Resolution (wall)", wall.Resolution, 15*hour+45*minute)

	b.tl.Calendar = cal
	f := b.facts()
	wantDur(t, "FirstResponse", f.FirstResponse, 15*minute)
	wantDurs(t, "ResponseTimes", f.ResponseTimes, 15*minute)
	wantDur(t, "Resolution", f.Resolution, 45*minute)
	// Coverage is wall time whatever the calendar: the night counts.
	wantInt(t, "Coverage3m", f.Coverage3m, 0)

	// A message on Saturday answered on Monday at 09:02: 2 business minutes.
	sat := time.Date(2026, 3, 7, 11, 0, 0, 0, shanghai).Sub(t0)
	mon := time.Date(2026, 3, 9, 9, 2, 0, 0, shanghai).Sub(t0)
	f = conv().customer(sat).agent(mon).with(func(tl *kpi.Timeline) { tl.Calendar = cal }).facts()
	wantDur(t, "FirstResponse (weekend)", f.FirstResponse, 2*minute)
}

func TestRepeatContact(t *testing.T) {
	resolved := func() *builder { return conv().customer(0).agent(1 * minute).resolve(10 * minute) }
	after := func(d time.Duration) time.Time { return t0.Add(10*minute + d) } // after the resolution
	for _, tc := range []struct {
		name        string
		later       []kpi.Ref
		repeat, fcr bool
	}{
		{"none", nil, false, true},
		{"same intent within 7 days", []kpi.Ref{{ID: "c2", CreatedAt: after(6 * day), Intent: "logistics"}}, true, false},
		{"same intent at exactly 7 days", []kpi.Ref{{ID: "c2", CreatedAt: after(7 * day), Intent: "logistics"}}, true, false},
		{"same intent after 7 days", []kpi.Ref{{ID: "c2", CreatedAt: after(7*day + sec), Intent: "logistics"}}, false, true},
		{"another intent within 7 days", []kpi.Ref{{ID: "c2", CreatedAt: after(2 * day), Intent: "invoice"}}, true, true},
		{"unknown intent within 7 days", []kpi.Ref{{ID: "c2", CreatedAt: after(2 * day), Intent: ""}}, true, false},
		{"itself and earlier ones are ignored", []kpi.Ref{{ID: "c1", CreatedAt: after(1 * day), Intent: "logistics"},
			{ID: "c0", CreatedAt: t0.Add(-1 * day), Intent: "logistics"}}, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := resolved().with(func(tl *kpi.Timeline) { tl.Later = tc.later }).facts()
			wantBoolPtr(t, "RepeatContact", f.RepeatContact, tc.repeat)
			wantBoolPtr(t, "FCR", f.FCR, tc.fcr)
		})
	}
}

func TestSLA(t *testing.T) {
	policy := &kefu.SLAPolicy{ID: "p", FirstResponseMinutes: 5, NextResponseMinutes: 10, ResolutionMinutes: 60}
	breach := func(d time.Duration, target string) func(*builder) *builder {
		return func(b *builder) *builder {
			return b.event(d, kefu.EventSLABreach, kefu.SenderSystem, map[string]any{"target": target, "due": t0.Add(d)})
		}
	}
	due := t0.Add(5 * minute)
	for _, tc := range []struct {
		name        string
		tl          *builder
		targets, ok int
	}{
		{"all met: first, next and resolution", conv().customer(0).agent(2 * minute).customer(5 * minute).agent(6 * minute).resolve(30 * minute).
			with(func(tl *kpi.Timeline) { tl.SLAPolicy = policy }), 3, 3},
		{"no next turn: next response does not apply", conv().customer(0).agent(2 * minute).resolve(30 * minute).
			with(func(tl *kpi.Timeline) { tl.SLAPolicy = policy }), 2, 2},
		{"first response breached", breach(5*minute, kefu.TargetFirstResponse)(conv().customer(0)).agent(7 * minute).resolve(30 * minute).
			with(func(tl *kpi.Timeline) { tl.SLAPolicy = policy }), 2, 1},
		{"breach without the policy", breach(5*minute, kefu.TargetFirstResponse)(conv().customer(0)).agent(7 * minute).resolve(30 * minute), 1, 0},
		{"a warning marks a target that was then met", conv().customer(0).
			event(4*minute, kefu.EventSLAWarning, kefu.SenderSystem, map[string]any{"target": kefu.TargetFirstResponse}).agent(4*minute + 30*sec), 1, 1},
		{"a due time still running counts as met so far", conv().customer(0).
			with(func(tl *kpi.Timeline) { tl.Conversation.FirstResponseDue = &due }), 1, 1},
		{"bot-handled: the SLA clock never ran", conv().botStarted().customer(0).bot(5 * sec).resolve(10 * minute).
			with(func(tl *kpi.Timeline) { tl.SLAPolicy = policy }), 0, 0},
		{"no policy, no events", conv().customer(0).agent(1 * minute), 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.tl.facts()
			wantInt(t, "SLATargets", f.SLATargets, tc.targets)
			wantInt(t, "SLAMet", f.SLAMet, tc.ok)
		})
	}
}

// The input's order does not matter: events out of time order and messages
// out of seq order give the same facts.
func TestComputeSortsItsInput(t *testing.T) {
	b := conv().customer(0).assign(30*sec, "", "a1").agent(2 * minute).customer(5 * minute).agent(9 * minute).resolve(20 * minute)
	want := b.facts()
	for i, j := 0, len(b.tl.Messages)-1; i < j; i, j = i+1, j-1 {
		b.tl.Messages[i], b.tl.Messages[j] = b.tl.Messages[j], b.tl.Messages[i]
	}
	for i, j := 0, len(b.tl.Events)-1; i < j; i, j = i+1, j-1 {
		b.tl.Events[i], b.tl.Events[j] = b.tl.Events[j], b.tl.Events[i]
	}
	first := b.tl.Messages[0].Seq
	got := b.facts()
	wantDur(t, "FirstResponse", got.FirstResponse, *want.FirstResponse)
	wantDurs(t, "ResponseTimes", got.ResponseTimes, want.ResponseTimes...)
	if got.Handle != want.Handle {
		t.Errorf("Handle = %v, want %v", got.Handle, want.Handle)
	}
	if b.tl.Messages[0].Seq != first {
		t.Error("Compute reordered the caller's messages")
	}
}
