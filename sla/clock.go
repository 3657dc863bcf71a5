package sla

import (
	"slices"
	"strings"
	"time"

	"kefu"
	"kefu/calendar"
)

// Warning and breach marks, as recorded in Conversation.SLAFired.
const (
	KindWarning = "warning"
	KindBreach  = "breach"
)

// Advance brings a conversation's SLA clock to now under a policy and a
// calendar (nil policy: no targets). The clock runs while the conversation
// is open and with a person (not the bot), is paused while pending or
// snoozed, and stops on resolve; a reopened conversation goes on from the
// business time it had used. The first-response target ends with the first
// agent reply; the next-response target runs from each customer message an
// agent has not answered yet.
func Advance(c kefu.Conversation, p *kefu.SLAPolicy, cal *calendar.Compiled, now time.Time) kefu.Conversation {
	running := c.Status == kefu.StatusOpen && !c.Bot
	switch {
	case running && c.SLARunningSince == nil:
		c.SLARunningSince = &now
	case !running && c.SLARunningSince != nil:
		c.SLAUsed += cal.Between(*c.SLARunningSince, now)
		c.SLARunningSince = nil
	}
	c.FirstResponseDue, c.NextResponseDue, c.ResolutionDue = nil, nil, nil
	if p == nil {
		c.SLAPolicyID = ""
		return c
	}
	c.SLAPolicyID = p.ID
	due := func(minutes int) *time.Time {
		if minutes <= 0 || c.SLARunningSince == nil {
			return nil
		}
		t := cal.Add(*c.SLARunningSince, time.Duration(minutes)*time.Minute-c.SLAUsed)
		return &t
	}
	if c.FirstReplyAt == nil {
		c.FirstResponseDue = due(p.FirstResponseMinutes)
	}
	c.ResolutionDue = due(p.ResolutionMinutes)
	if p.NextResponseMinutes > 0 && running && c.FirstReplyAt != nil && c.WaitingSince != nil {
		t := cal.Add(*c.WaitingSince, time.Duration(p.NextResponseMinutes)*time.Minute)
		c.NextResponseDue = &t
	} else {
		// An answered customer starts a new next-response cycle next time.
		c.SLAFired = slices.DeleteFunc(slices.Clone(c.SLAFired), func(f string) bool {
			return strings.HasPrefix(f, kefu.TargetNextResponse+".")
		})
	}
	return c
}

// Mark is a moment an SLA target is warned about or breached.
type Mark struct {
	Target string    // first_response, next_response or resolution
	Kind   string    // warning or breach
	At     time.Time // when it happens
	Due    time.Time // the target's due time
}

// Key is how the mark is recorded in SLAFired.
func (m Mark) Key() string { return m.Target + "." + m.Kind }

// Marks lists the warnings and breaches still ahead of (or due for) a
// conversation, earliest first: those not yet recorded in SLAFired.
func Marks(c kefu.Conversation, p *kefu.SLAPolicy, cal *calendar.Compiled) []Mark {
	if p == nil {
		return nil
	}
	var out []Mark
	add := func(target string, due *time.Time, warnAt func() time.Time) {
		if due == nil {
			return
		}
		for _, m := range []Mark{{Target: target, Kind: KindWarning, Due: *due}, {Target: target, Kind: KindBreach, At: *due, Due: *due}} {
			if slices.Contains(c.SLAFired, m.Key()) {
				continue
			}
			if m.Kind == KindWarning {
				if p.WarnPercent <= 0 || p.WarnPercent >= 100 {
					continue
				}
				m.At = warnAt()
			}
			out = append(out, m)
		}
	}
	share := func(minutes int) time.Duration {
		return time.Duration(minutes) * time.Minute * time.Duration(p.WarnPercent) / 100
	}
	if c.SLARunningSince != nil {
		since, used := *c.SLARunningSince, c.SLAUsed
		add(kefu.TargetFirstResponse, c.FirstResponseDue, func() time.Time { return cal.Add(since, share(p.FirstResponseMinutes)-used) })
		add(kefu.TargetResolution, c.ResolutionDue, func() time.Time { return cal.Add(since, share(p.ResolutionMinutes)-used) })
	}
	if c.WaitingSince != nil {
		since := *c.WaitingSince
		add(kefu.TargetNextResponse, c.NextResponseDue, func() time.Time { return cal.Add(since, share(p.NextResponseMinutes)) })
	}
	slices.SortStableFunc(out, func(a, b Mark) int { return a.At.Compare(b.At) })
	return out
}
