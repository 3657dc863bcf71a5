// Package automation runs the workspace's rules (package rules) on
// conversations: when one is created, when the customer writes, and when the
// bot hands over. Matching rules set the team, priority, labels or SLA
// policy, send a canned reply, add a note or call a webhook. Each rule acts
// at most once per conversation, so a complaint moved on by an agent is not
// pulled back by the customer's next message.
package automation

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"kefu"
	"kefu/inbox"
	"kefu/rules"
	"kefu/store"
)

// Actor is how rule actions name kefu in the timeline.
const Actor = "自动化规则"

// Service evaluates and applies rules.
type Service struct {
	DB     *store.DB
	Inbox  *inbox.Service
	Clock  kefu.Clock
	Log    *slog.Logger
	Client *http.Client // for call_webhook actions

	// Mood returns a customer's sentiment (angry, negative, neutral,
	// positive) for the sentiment condition; nil: neutral.
	Mood func(text string) string
	// TimeZone returns the workspace's time zone; OpenNow whether a team is
	// within business hours.
	TimeZone func(ctx context.Context) (*time.Location, error)
	OpenNow  func(ctx context.Context, teamID string) (bool, error)

	mu      sync.Mutex
	version string
	set     *rules.Set
}

// compiled returns the rules, compiled once per change of the rules table.
func (s *Service) compiled(ctx context.Context) (*rules.Set, error) {
	version, err := s.DB.RulesVersion(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.set != nil && version == s.version {
		return s.set, nil
	}
	list, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	set, err := rules.Compile(list)
	if err != nil {
		return nil, err
	}
	s.set, s.version = set, version
	return set, nil
}

func (s *Service) load(ctx context.Context) ([]rules.Rule, error) {
	rows, err := s.DB.Rules(ctx)
	if err != nil {
		return nil, err
	}
	out := []rules.Rule{}
	for _, row := range rows {
		var r rules.Rule
		if err := json.Unmarshal([]byte(row.Definition), &r); err != nil {
			return nil, err
		}
		r.ID, r.Position = row.ID, row.Position
		out = append(out, r)
	}
	return out, nil
}

// event names the rules event of a change, or "".
func event(ch inbox.Change) string {
	switch {
	case ch.Before == nil:
		return ""
	case ch.Message != nil && ch.Before.ID == "":
		return rules.EventConversationCreated
	case ch.Message != nil:
		return rules.EventMessageReceived
	case ch.Before.Bot && !ch.After.Bot:
		return rules.EventHandoff
	}
	return ""
}

// ConversationChanged is the inbox observer. It runs first, so that a
// complaint goes to the complaints team before routing assigns it.
func (s *Service) ConversationChanged(ctx context.Context, ch inbox.Change) bool {
	ev := event(ch)
	if ev == "" {
		return false
	}
	ctx = kefu.NewContext(ctx, kefu.SystemActor(Actor))
	republished, err := s.run(ctx, ev, ch)
	if err != nil {
		s.Log.Error("automation rules failed", "conversation", ch.After.ID, "err", err)
	}
	return republished
}

// AllFacts asks Facts for everything, as the console's rule test does.
var AllFacts = rules.Needs{Rules: true, Sentiment: true, Contact: true, OrderValue: true, BusinessHours: true}

// Facts gathers what rules look at for a conversation and a message text;
// the costlier parts (the mood models, the contact, orders, business hours)
// only when need says a rule reads them, since this runs on every customer
// message.
func (s *Service) Facts(ctx context.Context, ev string, c kefu.Conversation, text string, need rules.Needs) (rules.Facts, error) {
	f := rules.Facts{Event: ev, Channel: c.Channel, InboxID: c.InboxID, Intent: c.Intent, Text: text, Sentiment: "neutral",
		Priority: c.Priority, Labels: c.Labels, Contact: map[string]string{}}
	if need.Sentiment && s.Mood != nil && text != "" {
		f.Sentiment = s.Mood(text)
	}
	if need.Contact && c.ContactID != "" {
		row, err := s.DB.Contact(ctx, c.ContactID)
		if err != nil && kefu.ErrorCode(err) != kefu.ENOTFOUND {
			return f, err
		}
		for k, v := range row.Attributes {
			f.Contact[k] = v
		}
	}
	if need.OrderValue && c.ContactID != "" {
		// order.value: the order attached to the conversation, else the
		// contact's latest.
		orders, err := s.DB.ConversationOrders(ctx, c.ID)
		if err != nil {
			return f, err
		}
		if len(orders) == 0 {
			if orders, err = s.DB.ContactOrders(ctx, c.ContactID, 1); err != nil {
				return f, err
			}
		}
		if len(orders) > 0 {
			yuan := float64(orders[0].Total) / 100
			f.OrderValue = &yuan
		}
	}
	f.Now = s.Clock.Now()
	if s.TimeZone != nil {
		loc, err := s.TimeZone(ctx)
		if err != nil {
			return f, err
		}
		f.Now = f.Now.In(loc)
	}
	if need.BusinessHours && s.OpenNow != nil {
		open, err := s.OpenNow(ctx, c.TeamID)
		if err != nil {
			return f, err
		}
		f.BusinessHours = open
	}
	return f, nil
}

func (s *Service) run(ctx context.Context, ev string, ch inbox.Change) (bool, error) {
	set, err := s.compiled(ctx)
	if err != nil {
		return false, err
	}
	need := set.Needs(ev)
	if !need.Rules {
		return false, nil
	}
	text := ""
	if ch.Message != nil {
		text = ch.Message.Text
	} else if m, err := s.DB.LastCustomerMessage(ctx, ch.After.ID); err == nil {
		text = m.Text
	}
	facts, err := s.Facts(ctx, ev, ch.After, text, need)
	if err != nil {
		return false, err
	}
	matches := set.Evaluate(facts)
	if len(matches) == 0 {
		return false, nil
	}
	// Each rule acts once per conversation.
	events, err := s.DB.Events(ctx, ch.After.ID)
	if err != nil {
		return false, err
	}
	matches = slices.DeleteFunc(matches, func(m rules.Match) bool {
		return slices.ContainsFunc(events, func(e kefu.Event) bool {
			return e.Type == kefu.EventRuleFired && e.Data["rule_id"] == m.RuleID
		})
	})
	if len(matches) == 0 {
		return false, nil
	}
	return true, s.apply(ctx, ch.After, rules.Merge(matches))
}

// apply carries out what the matching rules asked for and publishes the
// conversation once.
func (s *Service) apply(ctx context.Context, c kefu.Conversation, o rules.Outcome) error {
	before := c
	now := s.Clock.Now().Truncate(time.Millisecond)
	var team *kefu.Team
	if o.TeamID != "" && o.TeamID != c.TeamID {
		t, err := s.DB.Team(ctx, o.TeamID)
		if kefu.ErrorCode(err) == kefu.ENOTFOUND {
			s.Log.Warn("a rule names a team that no longer exists", "team", o.TeamID, "rules", o.Rules)
		} else if err != nil {
			return err
		} else {
			team = &t
		}
	}
	var notes []kefu.Message
	err := s.DB.InTx(ctx, func(q *store.Queries) error {
		for i, id := range o.RuleIDs {
			if err := q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: c.ID, Type: kefu.EventRuleFired, ActorType: kefu.SenderSystem,
				ActorName: Actor, Data: map[string]any{"rule_id": id, "rule": o.Rules[i]}, CreatedAt: now}); err != nil {
				return err
			}
		}
		if team != nil {
			if err := q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: c.ID, Type: kefu.EventTransferred, ActorType: kefu.SenderSystem,
				ActorName: Actor, Data: map[string]any{"from_team": c.TeamID, "to_team": team.ID, "from_assignee": c.AssigneeID,
					"note": "规则：" + strings.Join(o.Rules, "、")}, CreatedAt: now}); err != nil {
				return err
			}
			c.TeamID = team.ID
			if c.AssigneeID != "" && !slices.Contains(team.MemberIDs, c.AssigneeID) {
				c.AssigneeID = "" // the new team's queue takes it
			}
		}
		if o.Priority != "" && o.Priority != c.Priority {
			if err := q.InsertEvent(ctx, kefu.Event{ID: kefu.NewID(), ConversationID: c.ID, Type: kefu.EventPriorityChanged, ActorType: kefu.SenderSystem,
				ActorName: Actor, Data: map[string]any{"from": c.Priority, "to": o.Priority, "reason": "rule"}, CreatedAt: now}); err != nil {
				return err
			}
			c.Priority = o.Priority
		}
		for _, l := range o.Labels {
			if !slices.Contains(c.Labels, l) {
				c.Labels = append(slices.Clone(c.Labels), l)
			}
		}
		c.UpdatedAt = now
		if err := q.UpdateConversation(ctx, c); err != nil {
			return err
		}
		if o.SLAPolicyID != "" {
			if err := q.SetSLAPolicy(ctx, c.ID, o.SLAPolicyID); err != nil {
				return err
			}
		}
		for _, text := range o.Notes {
			m := kefu.Message{ID: kefu.NewID(), ConversationID: c.ID, SenderType: kefu.SenderSystem, SenderName: Actor, Private: true,
				Text: text, Attachments: []kefu.Attachment{}, Status: "sent", CreatedAt: now}
			if err := q.AppendMessage(ctx, &m); err != nil {
				return err
			}
			notes = append(notes, m)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, m := range notes {
		s.Inbox.PublishMessage(m)
	}
	for _, id := range o.CannedIDs {
		reply, err := s.DB.CannedReply(ctx, id)
		if err != nil {
			s.Log.Warn("a rule names a canned reply that no longer exists", "canned", id, "err", err)
			continue
		}
		if _, err := s.Inbox.BotReply(ctx, c.ID, reply.Content); err != nil {
			return err
		}
	}
	for _, url := range o.Webhooks {
		go s.call(url, c, o.Rules)
	}
	_, err = s.Inbox.Changed(ctx, c.ID, before)
	return err
}

// call posts the conversation to a rule's webhook URL, once, best effort:
// subscriptions that need retries and signatures are webhooks proper.
func (s *Service) call(url string, c kefu.Conversation, ruleNames []string) {
	body, _ := json.Marshal(map[string]any{"event": "rule.fired", "rules": ruleNames, "conversation": c})
	client := s.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		s.Log.Warn("a rule's webhook failed", "url", url, "err", err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		s.Log.Warn("a rule's webhook answered with an error", "url", url, "status", resp.StatusCode)
	}
}
